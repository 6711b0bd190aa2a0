/**
 * What a file is, decided before SQLite writes a byte into it: a Verdict workspace (its
 * application_id), an older Verdict workspace that predates the id, or something else, which
 * every command refuses with one line and leaves byte-identical (no WAL, no migration).
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { UserError } from '../util/errors.ts';
import { config } from '../config.ts';
import { quickCheck } from '../../../db/queries/integrity.ts';
import type { ErrorCode } from '../../shared/models/errors.ts';
import { tableNames } from '../../../db/queries/meta.ts';

/** SQLite's application_id for Verdict workspaces: "VRDC". */
export const APPLICATION_ID = 0x56524443;
/** The workspace file format this build writes (PRAGMA user_version); a newer one is refused. */
export const FORMAT_VERSION = 1;

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export type FileKind = 'verdict' | 'legacy';

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(100);
    const n = readSync(fd, buf, 0, 100, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function refuse(message: string, code: ErrorCode = 'not_a_workspace'): never {
  throw new UserError(message, code);
}

/**
 * `walLive`: the file has a non-empty -wal beside it, so another connection may be checkpointing
 * right now. A checkpoint copies page 1 (with the new page count) before the pages that extend
 * the file, so for a moment the header honestly says more than the file holds: comparing the two
 * then refused a healthy workspace ("truncated") while a CLI ingest ran beside the app. With a
 * live WAL the size is left to SQLite (quick_check for a writer, SQLITE_CORRUPT on any read).
 */
function checkHeader(path: string, size: number, header: Buffer, walLive: boolean): number {
  if (size === 0) refuse(`${path} is an empty file (0 bytes), not a Verdict workspace; remove it or choose another --workspace`);
  if (header.length < 100 || !header.subarray(0, 16).equals(MAGIC))
    refuse(`${path} is not a Verdict workspace (not an SQLite database); choose another --workspace`);
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) refuse(`${path} is damaged: its header names an impossible page size ${raw}; restore it from a backup`, 'damaged');
  // The in-header page count is valid when the change counter matches "version-valid-for".
  const pages = header.readUInt32BE(28);
  if (!walLive && header.readUInt32BE(24) === header.readUInt32BE(92) && pages > 0 && size < pages * pageSize)
    refuse(`${path} is truncated (${size} bytes, its header says ${pages * pageSize}); restore it from a backup`, 'damaged');
  return header.readUInt32BE(68);
}

/**
 * Inspects an existing file with a read-only connection. Throws a UserError for anything this
 * build must not write into; `write` also runs quick_check (within config().quickCheckMaxBytes).
 */
export function inspectWorkspaceFile(path: string, write: boolean): FileKind {
  // A read-only look at a WAL-mode file creates its -wal and -shm; a refused file keeps none.
  const sidecars = [`${path}-wal`, `${path}-shm`].filter((f) => !existsSync(f));
  try {
    return inspect(path, write);
  } catch (err) {
    for (const f of sidecars) rmSync(f, { force: true });
    throw err;
  }
}

function inspect(path: string, write: boolean): FileKind {
  const wal = `${path}-wal`;
  const walHasFrames = () => existsSync(wal) && statSync(wal).size > 0;
  // Looked at before and after reading size and header: a checkpoint needs frames in the WAL.
  const before = walHasFrames();
  const size = statSync(path).size;
  const header = readHeader(path);
  const appId = checkHeader(path, size, header, before || walHasFrames());
  if (appId !== 0 && appId !== APPLICATION_ID)
    refuse(`${path} belongs to another application (SQLite application_id 0x${appId.toString(16)}), not Verdict; choose another --workspace`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    refuse(`${path} cannot be read as a Verdict workspace (${(err as Error).message}); check the path and its permissions`);
  }
  try {
    let kind: FileKind = 'verdict';
    // The header in the main file may predate a WAL commit: read the ids through SQLite too.
    const liveId = db.pragma('application_id', { simple: true }) as number;
    if (liveId !== APPLICATION_ID) {
      const tables = tableNames(db);
      const isOldVerdict =
        liveId === 0 &&
        tables.has('__drizzle_migrations') &&
        tables.has('meta') &&
        tables.has('audit_events') &&
        tables.has('verdicts');
      if (!isOldVerdict)
        refuse(`${path} is an SQLite database of another application, not a Verdict workspace; choose another --workspace`);
      kind = 'legacy';
    }
    const format = db.pragma('user_version', { simple: true }) as number;
    if (format > FORMAT_VERSION)
      refuse(`${path} was written by a newer Verdict (format ${format}, this build reads up to ${FORMAT_VERSION}); update Verdict to open it`, 'newer_format');
    // quick_check reads every page: 29.8 s for the 5.8 GB bench workspace at 1M items / 1M
    // verdicts on this (shared) machine, about 5 ms per MB, so the default 256 MiB costs about
    // 1.3 s; bigger files leave the full check to `audit verify`, which always runs it.
    if (write && size <= config().quickCheckMaxBytes) {
      const damage = quickCheck(db);
      if (damage)
        refuse(`${path} is damaged (${damage}); nothing was written: restore it from a backup, or copy out what is readable with "sqlite3 ${path} .recover"`, 'damaged');
    }
    return kind;
  } catch (err) {
    if (err instanceof UserError) throw err;
    const message = (err as Error).message;
    refuse(`${path} is damaged or not a Verdict workspace (${message}); restore it from a backup or choose another --workspace`, 'damaged');
  } finally {
    db.close();
  }
}
