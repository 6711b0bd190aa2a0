/**
 * `npm run bench -- --only team [--count N]`: a throwaway PostgreSQL (default durability
 * settings: fsync and synchronous_commit on), N demo escalations in the team queue, then 8
 * reviewer processes doing claim → submit for a fixed time. Prints verdicts/s and claim/submit
 * latency percentiles; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { loadavg, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { join } from 'node:path';
import { migrateTeam } from '../db/team/migrate.ts';
import { integrateAll } from '../db/team/queue.ts';
import { addTeamUser } from '../db/team/users.ts';
import { verifyTeam } from '../electron/core/team/verify.ts';
import { config } from '../electron/core/config.ts';
import { percentile } from './phases.ts';
import { startCluster } from './pg-cluster.ts';
import { loadDemoItems } from './team-load.ts';

const CLIENTS = 8;

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

interface ClientStats {
  verdicts: number;
  /** Verdicts done before the measured window: the session's warm-up. */
  before: number;
  started: number;
  ended: number;
  claimMs: number[];
  submitMs: number[];
  cpuMs: number;
}

function runClient(url: string, window: { from: number; until: number }, next: boolean): Promise<ClientStats> {
  return new Promise((resolve, reject) => {
    const args = [url, '--from', String(window.from), '--until', String(window.until), '--latencies', '--quiet', ...(next ? ['--next'] : [])];
    // VERDICT_BENCH_CLIENT_PROF=DIR: each client writes a V8 CPU profile there (where client CPU goes).
    const prof = process.env.VERDICT_BENCH_CLIENT_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.VERDICT_BENCH_CLIENT_PROF}`] : [];
    const child = spawn(process.execPath, [...prof, '--import', 'tsx', join(config().root, 'bench', 'team-client.ts'), ...args], {
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
  // VERDICT_BENCH_TEAM_MODE=pair: claim and submit as two calls (two transactions) per verdict;
  // next: "save and next" only (the app's saveAndNext: submit + next claim in one call).
  const mode = process.env.VERDICT_BENCH_TEAM_MODE ?? 'both';
  if (!['both', 'pair', 'next'].includes(mode)) throw new Error(`VERDICT_BENCH_TEAM_MODE must be both, pair or next, got ${mode}`);
  // "both" (default): first the two-call cycle (its claim p95 is a real figure), then save and next
  // on the same queue (the throughput figure); one load serves both.
  const phases: Phase[] = [];
  if (mode !== 'next') phases.push({ next: false, seconds: mode === 'both' ? Math.round(seconds / 2) : seconds });
  if (mode !== 'pair') phases.push({ next: true, seconds });
  log(`Team queue on PostgreSQL (issue 12): ${fmt(count)} items, ${CLIENTS} client processes, claim → submit`);
  log(`  phases: ${phases.map((p) => `${p.next ? 'save and next (as the app calls it: verdict.submit_next_mixed, submit + next claim in one call and transaction)' : 'pair (claim, then submit: two calls)'} ${p.seconds} s`).join(', then ')} (VERDICT_BENCH_TEAM_MODE=both|pair|next)`);
  // VERDICT_BENCH_PG="synchronous_commit=off,…" adds server settings (to see what the commit flush costs).
  const extra = Object.fromEntries((process.env.VERDICT_BENCH_PG ?? '').split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
  // VERDICT_BENCH_PROFILE=1: pg_stat_statements (nested statements too) and the top statements per
  // verdict after the run. The extension costs CPU itself: compare CPU figures only between runs alike.
  const profile = process.env.VERDICT_BENCH_PROFILE === '1';
  if (profile)
    Object.assign(extra, { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all', 'pg_stat_statements.track_planning': 'on', track_functions: 'all' });
  if (Object.keys(extra).length) log(`  extra server settings: ${JSON.stringify(extra)}`);
  // The settings the README recommends for a team's server ("Server settings"); durability stays on.
  // shared_buffers: "about a quarter of the server's memory", and the bench's server is this machine.
  // With 256MB a 1M-item queue (items, records and audit log ~3 GB) read ~3.7 blocks per verdict
  // from outside shared_buffers and wrote dirty ones back from the backends to make room.
  const sharedBuffers = `${Math.floor(totalmem() / 4 / 2 ** 20)}MB`;
  // max_wal_size: the README sizes it to the WAL of one checkpoint_timeout at the floor's peak, so
  // checkpoints come from the timer. With 4GB a 1M-item load (~3.4 GB of WAL) requested a checkpoint
  // that was still spreading its writes during the phases, and every first touch of a page after its
  // start logged a full-page image (0.4-1.2 per verdict, against about 0.03 averaged over a 30-minute
  // cycle at 1,000 verdicts/s).
  // autovacuum_naptime: the queue's tables (team migration 0014) are due for a vacuum every few
  // thousand verdicts, but with the default 1 min a database is looked at once a minute, and the
  // claims walk the dead index entries at the routes' heads for that long (200k, 8 clients, 3 min:
  // 507-602 buffers per verdict with 1 min against 266-313 with 10s).
  const recommended = { shared_buffers: sharedBuffers, max_wal_size: '16GB', checkpoint_timeout: '30min', wal_compression: 'lz4', jit: 'off', autovacuum_naptime: '10s' };
  const cluster = await startCluster({ settings: { ...recommended, ...extra } });
  try {
    const admin = await cluster.adminPool.connect();
    try {
      await migrateTeam(admin);
      let t0 = performance.now();
      await loadDemoItems(admin, count, 11);
      const loadS = (performance.now() - t0) / 1000;
      t0 = performance.now();
      await integrateAll(admin);
      const seqS = (performance.now() - t0) / 1000;
      await admin.query('VACUUM ANALYZE');
      log(`  load: ${fmt(count)} items through ingest_record (validated, audited) in ${fmt(loadS, 1)} s (${fmt(count / loadS)} items/s); sequencing ${fmt(count)} audit leaves ${fmt(seqS, 1)} s`);
      const routes = (await admin.query<{ route: string }>('SELECT name AS route FROM verdict.routes ORDER BY name')).rows.map((r) => r.route);
      for (let k = 1; k <= CLIENTS; k++) await addTeamUser(admin, { name: `bench${k}`, role: 'reviewer', routes, password: `bench-password-${k}` });
      if (profile) await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset(); SELECT pg_stat_reset()');
      const shown = await admin.query<{ name: string; setting: string; unit: string | null }>(
        `SELECT name, setting, unit FROM pg_settings WHERE name = ANY ($1) ORDER BY name`,
        [['shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_compression', 'jit', 'autovacuum_naptime', 'full_page_writes', 'fsync', 'synchronous_commit', 'wal_level']],
      );
      log(`  server settings: ${shown.rows.map((r) => `${r.name}=${r.setting}${r.unit ? ` ${r.unit}` : ''}`).join(', ')}`);
      const cp = await admin.query<{ timed: string; req: string; since: string }>(
        `SELECT b.checkpoints_timed::text AS timed, b.checkpoints_req::text AS req,
           round(pg_wal_lsn_diff(pg_current_wal_lsn(), c.redo_lsn) / 1073741824, 2)::text AS since
         FROM pg_stat_bgwriter b, pg_control_checkpoint() c`,
      );
      const c = cp.rows[0]!;
      log(`  checkpoints since the server started: ${c.timed} timed, ${c.req} requested (by WAL volume); ${c.since} GB of WAL since the last one's redo point`);
    } finally {
      admin.release();
    }
    for (const [k, phase] of phases.entries()) {
      if (profile && k > 0) await cluster.adminPool.query('SELECT pg_stat_statements_reset(), pg_stat_reset()');
      await runPhase(cluster, phase, log, profile);
    }
    const t0 = performance.now();
    const v = await verifyTeam(cluster.url);
    log(`  audit verify --team afterwards: ${v.ok ? `ok, ${fmt(v.head.size)} events` : `FAILED: ${v.reason}`} in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  } finally {
    await cluster.stop();
  }
}

interface Phase {
  next: boolean;
  seconds: number;
}

type Cluster = Awaited<ReturnType<typeof startCluster>>;

/**
 * Each client's first seconds are not measured: a reviewer's session lasts a shift, and its first
 * verdicts pay for its new backend caching plans and the client's JIT (measured on the 200k dev
 * database at load 10: ~0.25 ms server + ~0.15 ms client more per verdict over a session's first
 * 100-300 verdicts). The clients start together and count only the calls they start in the window.
 */
const WARM_UP_MS = 6000;

/** One timed run of the 8 clients in one mode; prints throughput, latencies, CPU and WAL per verdict. */
async function runPhase(cluster: Cluster, phase: Phase, log: (s: string) => void, profile: boolean): Promise<void> {
  const { next, seconds } = phase;
  log(`  -- ${next ? 'save and next' : 'pair (claim, then submit)'}, ${seconds} s measured after each client's first ${WARM_UP_MS / 1000} s --`);
  const from = Date.now() + WARM_UP_MS;
  const window = { from, until: from + seconds * 1000 };
  const walAt = async () => (await cluster.adminPool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
  const fpiAt = async () => Number((await cluster.adminPool.query<{ n: string }>('SELECT wal_fpi::text AS n FROM pg_stat_wal')).rows[0]!.n);
  const countersAt = async () => ({ wal: await walAt(), fpi: await fpiAt(), io: await ioAt(cluster) });
  // Backends exit with their clients: sample while they run and keep each process's figure at the
  // window's start and end.
  const kinds = new Map<number, string>();
  const last = new Map<number, number>();
  let inWindow = false;
  const sample = () => {
    if (!inWindow) return;
    for (const [pid, ms] of cluster.serverCpuMs()) {
      last.set(pid, ms);
      if (!kinds.has(pid)) kinds.set(pid, cluster.processKind(pid));
    }
  };
  const sampler = setInterval(sample, 250);
  const at = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
  const clients = Promise.all(Array.from({ length: CLIENTS }, (_, k) => runClient(cluster.urlFor(`bench${k + 1}`, `bench-password-${k + 1}`), window, next)));
  await at(window.from);
  const cpu0 = cluster.serverCpuMs();
  inWindow = true;
  sample();
  const c0 = await countersAt();
  await at(window.until);
  sample();
  inWindow = false;
  const c1 = await countersAt();
  const stats = await clients;
  clearInterval(sampler);
  const walBytes = Number((await cluster.adminPool.query<{ b: string }>('SELECT pg_wal_lsn_diff($1, $2)::text AS b', [c1.wal, c0.wal])).rows[0]!.b);
  const fpi = c1.fpi - c0.fpi;
  const io0 = c0.io;
  const io = c1.io;
  let serverCpu = 0;
  const byKind = new Map<string, number>();
  for (const [pid, ms] of last) {
    // A process started during the window counts from zero.
    const d = ms - (cpu0.get(pid) ?? 0);
    serverCpu += d;
    const kind = kinds.get(pid) ?? 'gone';
    byKind.set(kind, (byKind.get(kind) ?? 0) + d);
  }
  const verdicts = stats.reduce((a, s) => a + s.verdicts, 0);
  const load = loadavg().map((x) => x.toFixed(2)).join(', ');
  const clientCpu = stats.reduce((a, s) => a + s.cpuMs, 0);
  const wall = (Math.max(...stats.map((s) => s.ended)) - Math.min(...stats.map((s) => s.started))) / 1000;
  const claims = stats.flatMap((s) => s.claimMs);
  const submits = stats.flatMap((s) => s.submitMs);
  log(`  verdicts/s (claim → submit, ${CLIENTS} clients): ${fmt(verdicts / wall)} (${fmt(verdicts)} in ${fmt(wall, 1)} s; target ≥ 1,000/s; load average ${load})`);
  log(`  warm-up before the window: ${fmt(stats.reduce((a, s) => a + s.before, 0))} verdicts (the clients' first ${WARM_UP_MS / 1000} s, from their start; not counted)`);
  const claimWhat = next ? ` (first claims only: ${fmt(claims.length)}; the pair phase gives the claim p95)` : '';
  const submitWhat = next ? 'submit + next claim (one call)' : 'submit';
  if (claims.length) log(`  claim  p50 ${fmt(percentile(claims, 50), 2)} ms, p95 ${fmt(percentile(claims, 95), 2)} ms, p99 ${fmt(percentile(claims, 99), 2)} ms${claimWhat} (target p95 ≤ 20 ms)`);
  else log(`  claim: every claim in this phase came with a save and next (the first ones were in the warm-up); the pair phase gives the claim p95`);
  log(`  ${submitWhat} p50 ${fmt(percentile(submits, 50), 2)} ms, p95 ${fmt(percentile(submits, 95), 2)} ms, p99 ${fmt(percentile(submits, 99), 2)} ms (target p95 ≤ 20 ms)`);
  const perVerdict = (serverCpu + clientCpu) / verdicts;
  log(
    `  CPU per verdict: server ${fmt(serverCpu / verdicts, 2)} ms + clients ${fmt(clientCpu / verdicts, 2)} ms → ` +
      `an idle 2-core machine would sustain about ${fmt(2000 / perVerdict)} verdicts/s (CPU-bound estimate, not a measurement)`,
  );
  const split = [...byKind].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]);
  log(`  server CPU per verdict by process: ${split.map(([k, ms]) => `${k} ${fmt(ms / verdicts, 3)}`).join(', ')} ms (client backends include the audit sequencer each session runs)`);
  if (profile) await printProfile(cluster.url, verdicts, log);
  log(`  WAL per verdict: ${fmt(walBytes / verdicts)} bytes, ${fmt(fpi / verdicts, 2)} full-page images (load-independent)`);
  const per = (k: keyof Io) => fmt((io[k] - io0[k]) / verdicts, 2);
  log(
    `  buffers per verdict: ${per('hit')} found in shared_buffers, ${per('read')} read from outside, ${per('backendWrites')} written back by a backend to make room; ` +
      `checkpoints during the phase: ${fmt(io.checkpoints - io0.checkpoints)} (load-independent)`,
  );
}

interface Io {
  hit: number;
  read: number;
  backendWrites: number;
  checkpoints: number;
}

/** Buffer traffic of the queue's database and the checkpoints so far (cumulative counters). */
async function ioAt(cluster: Cluster): Promise<Io> {
  const { rows } = await cluster.adminPool.query<{ hit: string; read: string; bw: string; cp: string }>(
    `SELECT d.blks_hit::text AS hit, d.blks_read::text AS read, b.buffers_backend::text AS bw, (b.checkpoints_timed + b.checkpoints_req)::text AS cp
     FROM pg_stat_database d, pg_stat_bgwriter b WHERE d.datname = current_database()`,
  );
  const r = rows[0]!;
  return { hit: Number(r.hit), read: Number(r.read), backendWrites: Number(r.bw), checkpoints: Number(r.cp) };
}

/** The statements that cost the most server time per verdict (pg_stat_statements, nested included). */
async function printProfile(url: string, verdicts: number, log: (s: string) => void): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ calls: string; ms: number; plan: number; rows: string; blks: string; query: string }>(
      `SELECT calls::text, total_exec_time AS ms, total_plan_time AS plan, rows::text, (shared_blks_hit + shared_blks_read)::text AS blks,
         regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25`,
    );
    log(`  top statements per verdict (calls, ms incl. nested, planning ms (pg_stat_statements.track_planning), buffers):`);
    for (const r of rows) {
      const per = (x: string | number) => fmt(Number(x) / verdicts, 3);
      log(`    ${per(r.calls)} calls  ${per(r.ms)} ms  ${per(r.plan)} plan ms  ${per(r.blks)} blks  ${r.query.slice(0, 150)}`);
    }
    const fns = await c.query<{ funcname: string; calls: string; self: number; total: number }>(
      `SELECT funcname, calls::text, self_time AS self, total_time AS total FROM pg_stat_user_functions ORDER BY self_time DESC LIMIT 15`,
    );
    log(`  functions per verdict (calls, self ms, total ms):`);
    for (const r of fns.rows) log(`    ${r.funcname}: ${fmt(Number(r.calls) / verdicts, 3)}  ${fmt(r.self / verdicts, 3)}  ${fmt(r.total / verdicts, 3)}`);
  } finally {
    await c.end();
  }
}
