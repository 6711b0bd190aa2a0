/**
 * Taking the write lock. Every write transaction begins IMMEDIATE (the lock up front, so it
 * waits its turn under busy_timeout instead of failing half-way when a deferred read upgrades),
 * and a writer that finds the lock taken says so: it touches `<workspace>-waiting`, and a long
 * writer (a bulk ingest) that sees the file change commits its batch early to let it in.
 */
import type Database from 'better-sqlite3';
import { closeSync, openSync, statSync, utimesSync } from 'node:fs';
import { config } from '../config.ts';
import { threadTime } from './thread-time.ts';

export const waitingFile = (path: string): string => `${path}-waiting`;

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

/** Tells a long writer that someone waits for the lock (best effort: a read-only folder just waits longer). */
let lastSignal = 0;

export function signalWaiting(path: string): void {
  if (path === ':memory:') return;
  const f = waitingFile(path);
  try {
    // Never the same time twice from this process: a writer's 'done' must differ from its 'waiting'
    // even within one millisecond, or the writer that gave way waits out its whole timeout.
    lastSignal = Math.max(Date.now(), lastSignal + 1);
    const now = new Date(lastSignal);
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
/** How often a waiting writer touches the waiting file again. */
const RESIGNAL_MS = 20;

/**
 * BEGIN IMMEDIATE, trying again every millisecond. SQLite's own busy handler sleeps 1, 2, 5, ...
 * then 25, 50 and 100 ms between tries, so a writer that gave way 1 ms into a 100 ms sleep would
 * stand idle for the rest of it while the reviewer waits. Past the busy timeout the last try
 * waits under SQLite's handler and fails with its error.
 */
function beginWhenFree(sqlite: Database.Database, path: string): void {
  const until = performance.now() + config().busyTimeoutMs;
  let signalled = performance.now();
  sqlite.pragma('busy_timeout = 0');
  try {
    while (performance.now() < until) {
      try {
        sqlite.exec('BEGIN IMMEDIATE');
        return;
      } catch (err) {
        if (!isBusy(err)) throw err;
      }
      // Said again now and then: a long writer that missed the first signal sees this one.
      if (performance.now() - signalled >= RESIGNAL_MS) {
        signalWaiting(path);
        signalled = performance.now();
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
export const lastWriteTiming = {
  waitMs: 0,
  bodyMs: 0,
  commitMs: 0,
  /** Set by the bench: also split the commit into this thread's CPU, its wait for a CPU, and the rest (disk). */
  detailed: false,
  commitCpuMs: 0,
  commitRunQueueMs: 0,
};

/**
 * A long writer taking the lock back after it gave way: it says it waits (so a short writer about
 * to start defers to it, see writeTransaction) and tries every millisecond, like any waiter.
 */
export function beginAfterGivingWay(sqlite: Database.Database, path: string): void {
  signalWaiting(path);
  beginWhenFree(sqlite, path);
}

/** How long a writer defers to another process's fresh signal before it tries for the lock. */
const DEFER_MS = 3;

export function writeTransaction<T>(sqlite: Database.Database, path: string, fn: () => T): T {
  // Nested: a savepoint of the outer transaction, so a failure here undoes this part alone.
  if (sqlite.inTransaction) return sqlite.transaction(fn)();
  const t0 = performance.now();
  // Another process signalled a moment ago (a bulk ingest taking its turn back after letting us
  // in): let it have the lock first, or back-to-back writes from here would starve it.
  const other = path === ':memory:' ? 0 : lastWaiting(path);
  if (other > lastSignal && Date.now() - other < 10) Atomics.wait(pause, 0, 0, DEFER_MS);
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
    beginWhenFree(sqlite, path);
  }
  // A writer that had to wait found another one at work (a bulk ingest, which checkpoints on its
  // own thread): this commit does not also copy that writer's WAL frames into the database file
  // on the way out. The WAL is still synced (synchronous FULL); the next commit that did not
  // wait checkpoints as usual.
  const auto = waited ? (sqlite.pragma('wal_autocheckpoint', { simple: true }) as number) : 0;
  if (waited) sqlite.pragma('wal_autocheckpoint = 0');
  try {
    const t1 = performance.now();
    // fn itself, not tx(): inside our BEGIN, tx() would open a savepoint around the whole body,
    // and every nested write (an imported line's own savepoint) then journals its pages twice:
    // `verdicts import` spent half its CPU there. A failure rolls the transaction back below.
    const result = fn();
    const c0 = lastWriteTiming.detailed ? threadTime() : null;
    const t2 = performance.now();
    sqlite.exec('COMMIT');
    lastWriteTiming.waitMs = t1 - t0;
    lastWriteTiming.bodyMs = t2 - t1;
    lastWriteTiming.commitMs = performance.now() - t2;
    const c1 = c0 ? threadTime() : null;
    if (c0 && c1) {
      lastWriteTiming.commitCpuMs = c1.cpuMs - c0.cpuMs;
      lastWriteTiming.commitRunQueueMs = c1.runQueueMs - c0.runQueueMs;
    }
    return result;
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw err;
  } finally {
    if (waited) sqlite.pragma(`wal_autocheckpoint = ${auto}`);
    // Done: the writer that made way may take the lock again.
    if (waited) signalWaiting(path);
  }
}
