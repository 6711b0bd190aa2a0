/**
 * The one place a workspace database is opened: a file check first (file-check.ts: only
 * Verdict workspaces, undamaged, not from a newer Verdict), then explicit pragmas and migrations.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { existsSync, linkSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as schema from '../../../db/schema.ts';
import { AuditLog } from '../audit/log.ts';
import { newId, nowIso } from '../util/ids.ts';
import { UserError } from '../util/errors.ts';
import { extKey } from '../util/ext-key.ts';
import { config } from '../config.ts';
import { APPLICATION_ID, FORMAT_VERSION, inspectWorkspaceFile } from './file-check.ts';
import { appliedMigrations, metaValue, stampWorkspace } from '../../../db/queries/meta.ts';
import { registerAuditLeafFunction } from '../../../db/queries/metrics-proof.ts';

// The desktop bundle lives elsewhere than the sources, so its entry point names the folder.
export function migrationsFolder(): string {
  return config().migrationsDir;
}

export type Db = BetterSQLite3Database<typeof schema>;

export interface Workspace {
  readonly path: string;
  readonly sqlite: Database.Database;
  readonly db: Db;
  readonly audit: AuditLog;
  readonly id: string;
  readonly isDemo: boolean;
  close(): void;
}

export interface OpenOptions {
  /** Create the file if it does not exist (default true). */
  create?: boolean;
  /** Mark a newly created workspace as a demo workspace. */
  demo?: boolean;
  readonly?: boolean;
}

/** The schema version this build writes: the number of migrations it ships. */
export function codeSchemaVersion(): number {
  return readMigrationFiles({ migrationsFolder: migrationsFolder() }).length;
}


function applyPragmas(sqlite: Database.Database, readonly: boolean, fresh: boolean): void {
  sqlite.pragma(`busy_timeout = ${config().busyTimeoutMs}`);
  if (fresh) {
    // Records average 2-3 KB: a 4 KiB page holds one and wastes the rest, an 8 KiB page holds
    // three. The ids are written before WAL mode so they land in the main file's header.
    sqlite.pragma('page_size = 8192');
    sqlite.pragma(`application_id = ${APPLICATION_ID}`);
    sqlite.pragma(`user_version = ${FORMAT_VERSION}`);
  }
  if (!readonly) sqlite.pragma('journal_mode = WAL');
  // FULL: a saved verdict must survive power loss, not just a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('cache_size = -32768');
  // Migration 0003 backfills with it.
  sqlite.function('verdict_ext_key', { deterministic: true }, (id: unknown) => extKey(String(id)));
  // The metric upkeep checks each verdict's audit event with it (migration 0013).
  registerAuditLeafFunction(sqlite);
}

function refuseNewerSchema(sqlite: Database.Database, path: string): void {
  const applied = appliedMigrations(sqlite);
  if (!applied) return;
  const known = readMigrationFiles({ migrationsFolder: migrationsFolder() });
  const lastKnown = Math.max(0, ...known.map((m) => m.folderMillis));
  if (applied.n > known.length || (applied.last ?? 0) > lastKnown) {
    throw new UserError(
      `${path} was written by a newer Verdict (schema ${applied.n}, this build knows ${known.length}); update Verdict to open it`,
      'newer_schema',
    );
  }
}

/** Pragmas, the id stamp of an older workspace, migrations and the workspace's meta rows. */
function initialize(sqlite: Database.Database, path: string, o: { readonly: boolean; fresh: boolean; legacy: boolean; demo: boolean }): Db {
  applyPragmas(sqlite, o.readonly, o.fresh);
  // A workspace from before application_id gets it on its first writable open.
  if (o.legacy && !o.readonly) {
    sqlite.pragma(`application_id = ${APPLICATION_ID}`);
    sqlite.pragma(`user_version = ${FORMAT_VERSION}`);
  }
  refuseNewerSchema(sqlite, path);
  const db = drizzle(sqlite, { schema });
  if (!o.readonly) migrate(db, { migrationsFolder: migrationsFolder() });
  if (!o.readonly && metaValue(sqlite, 'workspace_id') === undefined)
    stampWorkspace(sqlite, { workspaceId: newId(), createdAt: nowIso(), kind: o.demo ? 'demo' : 'workspace' });
  return db;
}

/**
 * A new workspace is built beside its path and linked into place complete: a crash while it is
 * made leaves no half-made file there (which every command would then refuse), and of two
 * processes creating it at once one wins and the other opens what it made.
 */
function createWorkspaceFile(path: string, demo: boolean): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.creating-${process.pid}-${newId()}`);
  try {
    const sqlite = new Database(tmp);
    try {
      initialize(sqlite, tmp, { readonly: false, fresh: true, legacy: false, demo });
    } finally {
      sqlite.close();
    }
    try {
      linkSync(tmp, path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return;
      // No hard links here (some network and FAT volumes): a rename, unless someone was faster.
      if (existsSync(path)) return;
      renameSync(tmp, path);
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code && /^E[A-Z]+$/.test(e.code)) throw new UserError(`cannot create workspace ${path}: ${e.message}; check the folder and its permissions`);
    throw err;
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(tmp + suffix, { force: true });
  }
}

export function openWorkspace(path: string, options: OpenOptions = {}): Workspace {
  const create = options.create ?? true;
  const readonly = options.readonly ?? false;
  const memory = path === ':memory:';
  if (!memory && !existsSync(path)) {
    if (!create) throw new UserError(`no workspace at ${path}; create one with "verdict ingest" or "verdict demo"`);
    // Only a missing file becomes a new workspace; anything else there is checked before a write.
    createWorkspaceFile(path, options.demo ?? false);
  }
  const kind = memory ? null : inspectWorkspaceFile(path, !readonly);

  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { readonly, fileMustExist: !memory });
  } catch (err) {
    throw new UserError(`cannot open workspace ${path}: ${(err as Error).message}; check the path and its permissions`);
  }
  try {
    const db = initialize(sqlite, path, { readonly, fresh: memory, legacy: kind === 'legacy', demo: options.demo ?? false });
    const id = metaValue(sqlite, 'workspace_id');
    const isDemo = metaValue(sqlite, 'kind') === 'demo';
    const audit = new AuditLog(sqlite);
    return {
      path,
      sqlite,
      db,
      audit,
      id: id ?? 'unknown',
      isDemo,
      close: () => sqlite.close(),
    };
  } catch (err) {
    sqlite.close();
    if (err instanceof UserError) throw err;
    const message = (err as Error).message;
    if (/file is not a database|malformed|disk image/i.test(message)) {
      throw new UserError(`${path} is damaged or not a Verdict workspace (${message}); restore it from a backup or choose another --workspace`, 'damaged');
    }
    throw err;
  }
}
