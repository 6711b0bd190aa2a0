/** Damaged pages, found before anything writes into them. */
import type Database from 'better-sqlite3';

/** SQLite's quick_check: null when the file is sound, else its first finding (one line). */
export function quickCheck(sqlite: Database.Database): string | null {
  let rows: string[];
  try {
    rows = sqlite.prepare('PRAGMA quick_check(1)').pluck().all() as string[];
  } catch (err) {
    return (err as Error).message;
  }
  const first = rows[0] ?? 'no result';
  return first === 'ok' ? null : first.replace(/\s+/g, ' ');
}
