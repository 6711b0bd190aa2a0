/**
 * `npm run bench -- --only team [--count N]`: a throwaway PostgreSQL (default durability
 * settings: fsync and synchronous_commit on), N demo escalations in the team queue, then 8
 * reviewer processes doing claim → submit for a fixed time. Prints verdicts/s and claim/submit
 * latency percentiles; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ingestTeamRecords } from '../db/team/ingest.ts';
import { migrateTeam } from '../db/team/migrate.ts';
import { integrateAll } from '../db/team/queue.ts';
import { addTeamUser } from '../db/team/users.ts';
import { generateDemoRecords } from '../electron/core/demo/generate.ts';
import { validateForTeam } from '../electron/core/team/ingest.ts';
import { verifyTeam } from '../electron/core/team/verify.ts';
import { config } from '../electron/core/config.ts';
import { percentile } from './phases.ts';
import { startCluster } from './pg-cluster.ts';

const CLIENTS = 8;

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

interface ClientStats {
  verdicts: number;
  started: number;
  ended: number;
  claimMs: number[];
  submitMs: number[];
  cpuMs: number;
}

function runClient(url: string, seconds: number): Promise<ClientStats> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(config().root, 'bench', 'team-client.ts'), url, '--duration', String(seconds), '--latencies'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: config().root,
    });
    let stats: ClientStats | null = null;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('STATS ')) stats = JSON.parse(line.slice(6)) as ClientStats;
    });
    child.on('exit', (code) => (code === 0 && stats ? resolve(stats) : reject(new Error(`team client exited ${code}`))));
  });
}

export async function teamBench(count: number, log: (s: string) => void, seconds = 20): Promise<void> {
  log('');
  log(`Team queue on PostgreSQL (issue 12): ${fmt(count)} items, ${CLIENTS} client processes, ${seconds} s of claim → submit`);
  // VERDICT_BENCH_PG="synchronous_commit=off,…" adds server settings (to see what the commit flush costs).
  const extra = Object.fromEntries((process.env.VERDICT_BENCH_PG ?? '').split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
  if (Object.keys(extra).length) log(`  extra server settings: ${JSON.stringify(extra)}`);
  const cluster = await startCluster({ settings: { shared_buffers: '256MB', max_wal_size: '4GB', checkpoint_timeout: '30min', ...extra } });
  try {
    const admin = await cluster.adminPool.connect();
    try {
      await migrateTeam(admin);
      let t0 = performance.now();
      let batch = [];
      let i = 0;
      for (const r of generateDemoRecords(count, 11)) {
        const o = validateForTeam(JSON.stringify(r), 'bench', String(i++));
        if (!o.ok) throw new Error(`demo record invalid: ${o.q.reason}`);
        batch.push(o.row);
        if (batch.length === 5000) {
          await ingestTeamRecords(admin, batch);
          batch = [];
        }
      }
      await ingestTeamRecords(admin, batch);
      const loadS = (performance.now() - t0) / 1000;
      t0 = performance.now();
      await integrateAll(admin);
      const seqS = (performance.now() - t0) / 1000;
      await admin.query('VACUUM ANALYZE');
      log(`  load: ${fmt(count)} items through ingest_record (validated, audited) in ${fmt(loadS, 1)} s (${fmt(count / loadS)} items/s); sequencing ${fmt(count)} audit leaves ${fmt(seqS, 1)} s`);
      const routes = (await admin.query<{ route: string }>('SELECT name AS route FROM verdict.routes ORDER BY name')).rows.map((r) => r.route);
      for (let k = 1; k <= CLIENTS; k++) await addTeamUser(admin, { name: `bench${k}`, role: 'reviewer', routes, password: `bench-password-${k}` });
    } finally {
      admin.release();
    }
    // Backends exit with their clients: sample while they run and keep each process's last figure.
    const cpu0 = cluster.serverCpuMs();
    const last = new Map(cpu0);
    const sample = () => {
      for (const [pid, ms] of cluster.serverCpuMs()) last.set(pid, ms);
    };
    const sampler = setInterval(sample, 250);
    const stats = await Promise.all(Array.from({ length: CLIENTS }, (_, k) => runClient(cluster.urlFor(`bench${k + 1}`, `bench-password-${k + 1}`), seconds)));
    clearInterval(sampler);
    sample();
    let serverCpu = 0;
    for (const [pid, ms] of last) serverCpu += ms - (cpu0.get(pid) ?? 0);
    const verdicts = stats.reduce((a, s) => a + s.verdicts, 0);
    const clientCpu = stats.reduce((a, s) => a + s.cpuMs, 0);
    const wall = (Math.max(...stats.map((s) => s.ended)) - Math.min(...stats.map((s) => s.started))) / 1000;
    const claims = stats.flatMap((s) => s.claimMs);
    const submits = stats.flatMap((s) => s.submitMs);
    log(`  verdicts/s (claim → submit, ${CLIENTS} clients): ${fmt(verdicts / wall)} (${fmt(verdicts)} in ${fmt(wall, 1)} s; target ≥ 1,000/s)`);
    log(`  claim  p50 ${fmt(percentile(claims, 50), 2)} ms, p95 ${fmt(percentile(claims, 95), 2)} ms, p99 ${fmt(percentile(claims, 99), 2)} ms (target p95 ≤ 20 ms)`);
    log(`  submit p50 ${fmt(percentile(submits, 50), 2)} ms, p95 ${fmt(percentile(submits, 95), 2)} ms, p99 ${fmt(percentile(submits, 99), 2)} ms (target p95 ≤ 20 ms)`);
    const perVerdict = (serverCpu + clientCpu) / verdicts;
    log(
      `  CPU per verdict: server ${fmt(serverCpu / verdicts, 2)} ms + clients ${fmt(clientCpu / verdicts, 2)} ms → ` +
        `an idle 2-core machine would sustain about ${fmt(2000 / perVerdict)} verdicts/s (CPU-bound estimate, not a measurement)`,
    );
    const t0 = performance.now();
    const v = await verifyTeam(cluster.url);
    log(`  audit verify --team afterwards: ${v.ok ? `ok, ${fmt(v.head.size)} events` : `FAILED: ${v.reason}`} in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  } finally {
    await cluster.stop();
  }
}
