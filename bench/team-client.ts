/**
 * One reviewer's process for the team chaos test and the team bench: claim → submit until the
 * queue is empty. Prints one line per event on stdout (ACK for an accepted verdict, LATE for the
 * stalled submit, STATS at the end) so the parent can check that no acknowledged verdict is lost.
 *
 *   node --import tsx bench/team-client.ts URL [--stall-after N] [--duration S | --from MS --until MS] [--latencies] [--next]
 *
 * --from / --until (epoch ms, the bench's measured window): the client works from its start to
 * --until, but counts verdicts, latencies and CPU only for calls it starts at or after --from, so
 * its session's first verdicts (plans cached by its new backend, the client's JIT) are outside.
 *
 * --next: "save and next" as the app does it (saveAndNext: verdict.submit_next_mixed, the submit and
 * the next claim, with the route's gold mix, in one call); the latency of that call is reported as
 * the submit latency. --quiet: no ACK/NOTACK line per verdict (the
 * bench does not read them; the chaos test does).
 */
import { parseArgs } from 'node:util';
import { connectTeam, type Lease, type SubmitResult, type TeamSession } from '../electron/core/team/api.ts';
import { TeamError } from '../electron/core/team/errors.ts';

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { 'stall-after': { type: 'string' }, 'stall-ms': { type: 'string' }, duration: { type: 'string' }, from: { type: 'string' }, until: { type: 'string' }, latencies: { type: 'boolean', default: false }, next: { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const url = positionals[0]!;
const stallAfter = values['stall-after'] ? Number(values['stall-after']) : 0;
const stallMs = Number(values['stall-ms'] ?? 1500);
/** The bench stops each client after this many seconds of work (the chaos test drains the queue). */
const durationMs = values.duration ? Number(values.duration) * 1000 : Infinity;
const from = values.from ? Number(values.from) : 0;
const until = values.until ? Number(values.until) : Infinity;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);

async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof TeamError && err.transient) || attempt > 600) throw err;
      await sleep(100);
    }
  }
}

/** Disagreement now and then, so N = 2 items reach both decided and adjudication. */
function decide(lease: Lease, user: string): 'violation' | 'dismiss' {
  let h = 0;
  for (const ch of `${lease.itemId}:${user}`) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return (h & 7) === 0 ? 'dismiss' : 'violation';
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function main(): Promise<void> {
  const session: TeamSession = await retrying(() => connectTeam(url, { max: 1, applicationName: 'verdict team-client' }));
  const me = (await retrying(() => session.whoami())).user;
  const claimMs: number[] = [];
  const submitMs: number[] = [];
  let claims = 0;
  let idle = 0;
  let started = Date.now();
  let cpuStart = process.cpuUsage();
  /** Verdicts done before the measured window (--from): the session's warm-up. */
  let before = 0;
  let measuring = from === 0;
  /** With --next, the lease the last submit call already claimed. */
  let pending: Lease | null = null;
  for (;;) {
    const now = Date.now();
    if (now - started > durationMs || now >= until) break;
    if (!measuring && now >= from) {
      measuring = true;
      started = now;
      cpuStart = process.cpuUsage();
      before = submitMs.length;
      submitMs.length = 0;
      claimMs.length = 0;
    }
    let t = performance.now();
    const lease: Lease | null = pending ?? (await retrying(() => session.claimNext()));
    const prefetched = pending !== null;
    pending = null;
    if (!lease) {
      const counts = await retrying(() => session.routeCounts());
      if (counts.every((c) => c.open === 0)) break;
      // Others hold the rest (or hold leases that will expire): look again shortly.
      if (++idle % 100 === 0) say(`WAIT ${counts.map((c) => `${c.route}:${c.open}/${c.leased}`).join(' ')}`);
      await sleep(50);
      continue;
    }
    if (!prefetched) claimMs.push(performance.now() - t);
    claims++;
    if (stallAfter && claims === stallAfter) {
      // The parent SIGSTOPs this process during the pause, past the lease, then SIGCONTs it.
      say(`STALLING ${lease.itemId} ${lease.token}`);
      await sleep(stallMs);
      const late = await retrying(() => session.submit(lease, { decision: decide(lease, me) }));
      say(`LATE ${late.status} ${lease.itemId} ${lease.token} ${late.message}`);
      if (late.status === 'accepted') say(`ACK ${lease.itemId} ${lease.token} ${me}`);
      continue;
    }
    t = performance.now();
    const verdict = { decision: decide(lease, me), clientId: `${me}:${lease.token}` };
    let res: SubmitResult;
    if (values.next && Date.now() - started <= durationMs && Date.now() < until) {
      const held: Lease = lease;
      const both: { result: SubmitResult; next: Lease | null } = await retrying(() => session.saveAndNext(held, verdict));
      res = both.result;
      pending = both.next;
    } else {
      res = await retrying(() => session.submit(lease, verdict));
    }
    submitMs.push(performance.now() - t);
    if (values.quiet) continue;
    if (res.status === 'accepted') say(`ACK ${lease.itemId} ${lease.token} ${me}`);
    else say(`NOTACK ${res.status} ${lease.itemId} ${lease.token} ${res.message}`);
  }
  // A lease claimed by the last "save and next" goes back at once.
  if (pending) await retrying(() => session.release(pending!));
  const ended = Date.now();
  // From the first claim on: start-up (module loading, connecting) is not per-verdict work.
  const cpu = process.cpuUsage(cpuStart);
  await session.close();
  const stats: Record<string, unknown> = {
    user: me,
    verdicts: submitMs.length,
    before,
    started,
    ended,
    claimP50: percentile(claimMs, 50),
    claimP95: percentile(claimMs, 95),
    submitP50: percentile(submitMs, 50),
    submitP95: percentile(submitMs, 95),
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
  if (values.latencies) Object.assign(stats, { claimMs: claimMs.map((x) => +x.toFixed(3)), submitMs: submitMs.map((x) => +x.toFixed(3)) });
  say(`STATS ${JSON.stringify(stats)}`);
}

main().catch((err) => {
  process.stderr.write(`team-client: ${(err as Error).message}\n`);
  process.exit(1);
});
