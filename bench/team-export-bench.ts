/**
 * `npm run bench -- --only team-export --count 100000`: an export from the team database (issue 12).
 * A throwaway PostgreSQL with N demo escalations, each decided by a reviewer through the real
 * claim → submit functions (a quarter with a correction, through verdict.submit_corrected), then
 * `export --team` in the classifier and SFT formats (JSONL and Parquet). Prints rows/s with the
 * CPU of the exporting process and of the server; asserts nothing.
 */
import { rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateTeam } from '../db/team/migrate.ts';
import { integrateAll } from '../db/team/queue.ts';
import { addTeamUser } from '../db/team/users.ts';
import { exportTeamDataset } from '../electron/core/team/export.ts';
import { startCluster, type PgCluster } from './pg-cluster.ts';
import { loadDemoItems } from './team-load.ts';

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');

/**
 * One reviewer decides everything: 500 claims per call, then their 500 submits in one statement
 * (each its own verdict.submit or submit_corrected call, with the lease check, trigger and audit).
 */
async function decideAll(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  let n = 0;
  try {
    for (;;) {
      const { rows } = await c.query<{ n: string }>(
        `WITH l AS (SELECT * FROM verdict.claim(NULL, 500)),
         s AS (SELECT CASE WHEN l.item_id % 4 = 0
             THEN (SELECT x.status FROM verdict.submit_corrected(l.item_id, l.token, 'violation', '["S1"]', 'high', NULL, NULL,
               'I can’t help with that. If you are in danger, contact local emergency services.') x)
             ELSE (SELECT x.status FROM verdict.submit(l.item_id, l.token, CASE WHEN l.item_id % 3 = 0 THEN 'dismiss' ELSE 'violation' END,
               CASE WHEN l.item_id % 3 = 0 THEN '[]' ELSE '["S2"]' END::jsonb) x) END AS status FROM l)
         SELECT count(*) FILTER (WHERE status = 'accepted')::text AS n FROM s`,
      );
      const got = Number(rows[0]!.n);
      if (got === 0) return n;
      n += got;
    }
  } finally {
    await c.end();
  }
}

async function timed(cluster: PgCluster, fn: () => Promise<{ rows: number }>): Promise<{ rows: number; s: number; cpuMs: number; serverMs: number }> {
  const cpu0 = process.cpuUsage();
  const srv0 = cluster.serverCpuMs();
  const last = new Map(srv0);
  const sample = () => {
    for (const [pid, ms] of cluster.serverCpuMs()) last.set(pid, ms);
  };
  const sampler = setInterval(sample, 200);
  const t0 = performance.now();
  const r = await fn();
  const s = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  sample();
  const cpu = process.cpuUsage(cpu0);
  let serverMs = 0;
  for (const [pid, ms] of last) serverMs += ms - (srv0.get(pid) ?? 0);
  return { rows: r.rows, s, cpuMs: (cpu.user + cpu.system) / 1000, serverMs };
}

export async function teamExportBench(count: number, log: (s: string) => void): Promise<void> {
  log('');
  log(`Team export (issue 12): ${fmt(count)} items decided in the team database, then export --team`);
  // Loading is setup, not the figure: the commit flush is skipped while the queue fills.
  const cluster = await startCluster({ settings: { shared_buffers: '256MB', max_wal_size: '4GB', synchronous_commit: 'off' } });
  const out = join(tmpdir(), `verdict-bench-team-export-${process.pid}`);
  try {
    const admin = await cluster.adminPool.connect();
    try {
      await migrateTeam(admin);
      let t0 = performance.now();
      await loadDemoItems(admin, count, 17);
      log(`  load: ${fmt(count)} items in ${fmt((performance.now() - t0) / 1000, 1)} s`);
      const routes = (await admin.query<{ route: string }>('SELECT name AS route FROM verdict.routes ORDER BY name')).rows.map((r) => r.route);
      await addTeamUser(admin, { name: 'rev', role: 'reviewer', routes, password: 'bench-rev' });
      await addTeamUser(admin, { name: 'dat', role: 'data', routes: [], password: 'bench-dat' });
      t0 = performance.now();
      const decided = await decideAll(cluster.urlFor('rev', 'bench-rev'));
      await integrateAll(admin);
      log(`  decided: ${fmt(decided)} verdicts through claim → submit (a quarter with a correction) in ${fmt((performance.now() - t0) / 1000, 1)} s`);
      await admin.query('VACUUM ANALYZE');
    } finally {
      admin.release();
    }
    const url = cluster.urlFor('dat', 'bench-dat');
    const runs = [
      { format: 'classifier' as const, outputs: ['jsonl' as const] },
      { format: 'classifier' as const, outputs: ['parquet' as const] },
      { format: 'sft' as const, outputs: ['jsonl' as const] },
    ];
    for (const [k, r] of runs.entries()) {
      const dir = join(out, String(k));
      const m = await timed(cluster, () => exportTeamDataset(url, { ...r, out: dir, actor: 'dat', seed: 7, allowUnredacted: true }));
      log(
        `  export --team --format ${r.format} --${r.outputs[0]}: ${fmt(m.rows)} rows in ${fmt(m.s, 2)} s = ${fmt(m.rows / m.s)} rows/s; ` +
          `CPU exporter ${fmt(m.cpuMs / 1000, 2)} s + server ${fmt(m.serverMs / 1000, 2)} s (${fmt(((m.cpuMs + m.serverMs) * 1000) / Math.max(1, m.rows), 1)} µs/row); load average ${load()}`,
      );
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
    await cluster.stop();
  }
}
