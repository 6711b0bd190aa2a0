/** Reads of the audit log's rows that the UI shows (the log itself is written by core/audit). */
import type Database from 'better-sqlite3';

/** Every audit event about one subject (an item id), in log order, with its JSON body text. */
export function eventsForSubject(sqlite: Database.Database, subject: string): { seq: number; body: string }[] {
  return sqlite.prepare('SELECT seq, body FROM audit_events WHERE subject = ? ORDER BY seq').all(subject) as { seq: number; body: string }[];
}
