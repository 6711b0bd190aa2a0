/**
 * The one place a workspace database is opened: a file check first (file-check.ts: only
 * Verdict workspaces, undamaged, not from a newer Verdict), then explicit pragmas and migrations.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../util/root.ts';
import * as schema from '../../../db/schema.ts';
import { AuditLog } from '../audit/log.ts';
import { newId, nowIso } from '../util/ids.ts';
import { UserError } from '../util/errors.ts';
import { extKey } from '../util/ext-key.ts';
import { BUSY_TIMEOUT_MS } from './pragmas.ts';
import { APPLICATION_ID, FORMAT_VERSION, inspectWorkspaceFile } from './file-check.ts';

// The desktop bundle lives elsewhere than the sources, so it names the folder explicitly.
export const MIGRATIONS_FOLDER =
  process.env.VERDICT_MIGRATIONS_DIR ?? join(REPO_ROOT, 'db', 'migrations');

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
  return readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).length;
}

export { BUSY_TIMEOUT_MS };

function applyPragmas(sqlite: Database.Database, readonly: boolean, fresh: boolean): void {
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
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
}

function refuseNewerSchema(sqlite: Database.Database, path: string): void {
  const hasTable = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!hasTable) return;
  const known = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  const lastKnown = Math.max(0, ...known.map((m) => m.folderMillis));
  const applied = sqlite.prepare('SELECT count(*) AS n, max(created_at) AS last FROM __drizzle_migrations').get() as {
    n: number;
    last: number | null;
  };
  if (applied.n > known.length || (applied.last ?? 0) > lastKnown) {
    throw new UserError(
      `${path} was written by a newer Verdict (schema ${applied.n}, this build knows ${known.length}); update Verdict to open it`,
      'newer_schema',
    );
  }
}

export function openWorkspace(path: string, options: OpenOptions = {}): Workspace {
  const create = options.create ?? true;
  const readonly = options.readonly ?? false;
  const memory = path === ':memory:';
  const exists = !memory && existsSync(path);
  if (!exists && !memory && !create) throw new UserError(`no workspace at ${path}; create one with "verdict ingest" or "verdict demo"`);
  // Only a missing file becomes a new workspace; anything else there is checked before a write.
  const kind = exists ? inspectWorkspaceFile(path, !readonly) : null;
  if (!exists && !memory) mkdirSync(dirname(path), { recursive: true });

  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { readonly, fileMustExist: exists });
  } catch (err) {
    throw new UserError(`cannot open workspace ${path}: ${(err as Error).message}; check the path and its permissions`);
  }
  try {
    applyPragmas(sqlite, readonly, kind === null);
    // A workspace from before application_id gets it on its first writable open.
    if (kind === 'legacy' && !readonly) {
      sqlite.pragma(`application_id = ${APPLICATION_ID}`);
      sqlite.pragma(`user_version = ${FORMAT_VERSION}`);
    }
    refuseNewerSchema(sqlite, path);
    const db = drizzle(sqlite, { schema });
    if (!readonly) migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    const metaGet = sqlite.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    let id = metaGet.get('workspace_id') as string | undefined;
    if (!id && !readonly) {
      id = newId();
      const put = sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      sqlite.transaction(() => {
        put.run('workspace_id', id);
        put.run('created_at', nowIso());
        put.run('kind', options.demo ? 'demo' : 'workspace');
      }).immediate();
    }
    const isDemo = metaGet.get('kind') === 'demo';
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
