/**
 * The one place a workspace database is opened: explicit pragmas, migrations, and the refusal
 * of a file written by a newer Verdict.
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

function applyPragmas(sqlite: Database.Database, readonly: boolean): void {
  // Takes effect only when the file is created. Records average 2-3 KB: a 4 KiB page holds one
  // and wastes the rest, an 8 KiB page holds three.
  if (!readonly) sqlite.pragma('page_size = 8192');
  if (!readonly) sqlite.pragma('journal_mode = WAL');
  // FULL: a saved verdict must survive power loss, not just a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
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
  const exists = path === ':memory:' || existsSync(path);
  if (!exists && !create) throw new UserError(`no workspace at ${path}; create one with "verdict ingest" or "verdict demo"`);
  if (!exists) mkdirSync(dirname(path), { recursive: true });

  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { readonly, fileMustExist: !create });
  } catch (err) {
    throw new UserError(`cannot open workspace ${path}: ${(err as Error).message}`);
  }
  try {
    applyPragmas(sqlite, readonly);
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
      })();
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
    if (/file is not a database|malformed/i.test(message)) {
      throw new UserError(`${path} is not a Verdict workspace or is damaged (${message})`, 'not_a_workspace');
    }
    throw err;
  }
}
