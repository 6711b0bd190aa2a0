/** Versioned, idempotent migrations of a team database (schema `verdict`). */
import type pg from 'pg';
import * as m1 from './migrations/0001_schema.ts';
import * as m2 from './migrations/0002_functions.ts';
import * as m3 from './migrations/0003_security.ts';
import * as m4 from './migrations/0004_bulk_ingest.ts';
import * as m5 from './migrations/0005_fast_queue.ts';
import * as m6 from './migrations/0006_export.ts';
import * as m7 from './migrations/0007_expert_review.ts';
import * as m8 from './migrations/0008_insert_only_audit.ts';
import * as m9 from './migrations/0009_revisions_corrections.ts';
import * as m10 from './migrations/0010_expert_gaps.ts';
import * as m11 from './migrations/0011_inline_timestamps.ts';
import * as m12 from './migrations/0012_row_checks.ts';
import * as m13 from './migrations/0013_sequencer_per_leaf.ts';
import * as m14 from './migrations/0014_queue_vacuum.ts';

export const TEAM_MIGRATIONS: { version: number; name: string; sql: string }[] = [
  { version: 1, name: m1.name, sql: m1.sql },
  { version: 2, name: m2.name, sql: m2.sql },
  { version: 3, name: m3.name, sql: m3.sql },
  { version: 4, name: m4.name, sql: m4.sql },
  { version: 5, name: m5.name, sql: m5.sql },
  { version: 6, name: m6.name, sql: m6.sql },
  { version: 7, name: m7.name, sql: m7.sql },
  { version: 8, name: m8.name, sql: m8.sql },
  { version: 9, name: m9.name, sql: m9.sql },
  { version: 10, name: m10.name, sql: m10.sql },
  { version: 11, name: m11.name, sql: m11.sql },
  { version: 12, name: m12.name, sql: m12.sql },
  { version: 13, name: m13.name, sql: m13.sql },
  { version: 14, name: m14.name, sql: m14.sql },
];

/** Any pool or client: the db/team functions take whichever the caller holds. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

export interface MigrateResult {
  applied: number[];
  version: number;
}

/**
 * Applies the migrations not yet applied (up to `upTo`: tests build an older database to upgrade), each in its own transaction, under an advisory lock
 * so two `team init` runs at once take turns. Running it again changes nothing.
 */
export async function migrateTeam(client: pg.ClientBase, options: { upTo?: number } = {}): Promise<MigrateResult> {
  await client.query('SELECT pg_advisory_lock(7265783000)');
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS verdict;
      CREATE TABLE IF NOT EXISTS verdict.schema_migrations (
        version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM verdict.schema_migrations')).rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of TEAM_MIGRATIONS) {
      if (done.has(m.version) || m.version > (options.upTo ?? Infinity)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO verdict.schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
      applied.push(m.version);
    }
    return { applied, version: Math.max(0, ...TEAM_MIGRATIONS.map((m) => m.version)) };
  } finally {
    await client.query('SELECT pg_advisory_unlock(7265783000)');
  }
}
