/**
 * Taking the write lock. Every write transaction begins IMMEDIATE (the lock up front, so it
 * waits its turn under busy_timeout instead of failing half-way when a deferred read upgrades),
 * and a writer that finds the lock taken says so: it touches `<workspace>-waiting`, and a long
 * writer (a bulk ingest) that sees the file change commits its batch early to let it in.
 */
import type Database from 'better-sqlite3';
import { closeSync, openSync, statSync, utimesSync } from 'node:fs';
import { config } from '../config.ts';

export const waitingFile = (path: string): string => `${path}-waiting`;

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

/** Tells a long writer that someone waits for the lock (best effort: a read-only folder just waits longer). */
export function signalWaiting(path: string): void {
  if (path === ':memory:') return;
  const f = waitingFile(path);
  try {
    const now = new Date();
    try {
      utimesSync(f, now, now);
    } catch {
      closeSync(openSync(f, 'a'));
    }
  } catch {
    // nothing to signal with
  }
}

/** When the waiting file last changed (0 if never): a long writer compares it with its batch start. */
export function lastWaiting(path: string): number {
  try {
    return statSync(waitingFile(path)).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * A long writer between two of its transactions, after it saw the waiting file change at
 * `signalled`: waits (2 ms at a time, at most `maxMs`) until the writer it let in says it is done,
 * so its next transaction does not take the lock straight back while that one's busy handler
 * sleeps (SQLite's sleeps grow to 100 ms).
 */
export async function giveWay(path: string, signalled: number, maxMs = 250): Promise<void> {
  const until = performance.now() + maxMs;
  while (performance.now() < until && lastWaiting(path) === signalled) await new Promise((r) => setTimeout(r, 2));
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * BEGIN IMMEDIATE, trying again every millisecond. SQLite's own busy handler sleeps 1, 2, 5, ...
 * then 25, 50 and 100 ms between tries, so a writer that gave way 1 ms into a 100 ms sleep would
 * stand idle for the rest of it while the reviewer waits. Past the busy timeout the last try
 * waits under SQLite's handler and fails with its error.
 */
function beginWhenFree(sqlite: Database.Database): void {
  const until = performance.now() + config().busyTimeoutMs;
  sqlite.pragma('busy_timeout = 0');
  try {
    while (performance.now() < until) {
      try {
        sqlite.exec('BEGIN IMMEDIATE');
        return;
      } catch (err) {
        if (!isBusy(err)) throw err;
      }
      Atomics.wait(pause, 0, 0, 1);
    }
  } finally {
    sqlite.pragma(`busy_timeout = ${config().busyTimeoutMs}`);
  }
  sqlite.exec('BEGIN IMMEDIATE');
}

/**
 * Runs `fn` in a write transaction that holds the lock from its first statement. Nested calls
 * become savepoints of the outer transaction.
 */
/** Where the last top-level writeTransaction spent its time (ms): read by the bench, costs three clock reads. */
export const lastWriteTiming = { waitMs: 0, bodyMs: 0, commitMs: 0 };

export function writeTransaction<T>(sqlite: Database.Database, path: string, fn: () => T): T {
  // Nested: a savepoint of the outer transaction, so a failure here undoes this part alone.
  if (sqlite.inTransaction) return sqlite.transaction(fn)();
  const t0 = performance.now();
  sqlite.pragma('busy_timeout = 0');
  let waited = false;
  try {
    sqlite.exec('BEGIN IMMEDIATE');
  } catch (err) {
    if (!isBusy(err)) throw err;
    waited = true;
  } finally {
    sqlite.pragma(`busy_timeout = ${config().busyTimeoutMs}`);
  }
  if (waited) {
    signalWaiting(path);
    beginWhenFree(sqlite);
  }
  try {
    const t1 = performance.now();
    // fn itself, not tx(): inside our BEGIN, tx() would open a savepoint around the whole body,
    // and every nested write (an imported line's own savepoint) then journals its pages twice:
    // `verdicts import` spent half its CPU there. A failure rolls the transaction back below.
    const result = fn();
    const t2 = performance.now();
    sqlite.exec('COMMIT');
    lastWriteTiming.waitMs = t1 - t0;
    lastWriteTiming.bodyMs = t2 - t1;
    lastWriteTiming.commitMs = performance.now() - t2;
    return result;
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw err;
  } finally {
    // Done: the writer that made way may take the lock again.
    if (waited) signalWaiting(path);
  }
}
