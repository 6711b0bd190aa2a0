import { describe, expect, it } from 'vitest';
import { pgForThisFile } from './pg.ts';

const pg = pgForThisFile();

describe('test/support/pg.ts', () => {
  it('starts a real PostgreSQL 15+ that survives a restart', async () => {
    const c = pg.get();
    const v = await c.adminPool.query<{ v: string }>('SELECT current_setting($$server_version_num$$) AS v');
    expect(Number(v.rows[0]!.v)).toBeGreaterThanOrEqual(150000);
    await c.adminPool.query('CREATE TABLE t (x int)');
    await c.adminPool.query('INSERT INTO t VALUES (1)');
    await c.restart();
    const r = await c.adminPool.query<{ n: string }>('SELECT count(*) AS n FROM t').catch(() => c.adminPool.query<{ n: string }>('SELECT count(*) AS n FROM t'));
    expect(r.rows[0]!.n).toBe('1');
  });
});
