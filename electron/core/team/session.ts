/** TeamSession over a pg pool: one person's connection to a team database. */
import pg from 'pg';
import * as X from '../../../db/team/expert.ts';
import {
  claimItems,
  heartbeatLease,
  integrateAudit,
  releaseLease,
  routeCounts,
  submitAndClaimNext,
  submitVerdict,
  whoami,
  type ClaimRow,
  type SubmitArgs,
  type SubmitRow,
} from '../../../db/team/queue.ts';
import { teamAgreement } from './agreement.ts';
import { leaseWithdrawal } from '../../../db/team/expert-gaps.ts';
import { leaseFate } from '../../../db/team/lease-fate.ts';
import { submitCorrected, submitNextMixed } from '../../../db/team/corrections.ts';
import type { ConnectOptions, Lease, QueueChange, SubmitResult, TeamExpertApi, TeamIdentity, TeamSession, TeamVerdictInput } from './api.ts';
import { teamConnectionConfig } from './connect.ts';
import { teamError } from './errors.ts';

// int8 columns come back as strings (they can pass 2^53); the handful we count stay numbers via ::int.

function toLease(r: ClaimRow): Lease {
  return {
    itemId: r.itemId,
    route: r.route,
    token: r.token,
    expiresAt: r.expiresAt,
    serverNow: r.serverNow,
    item: {
      id: r.itemId,
      externalId: r.extId,
      route: r.route,
      priority: r.priority,
      createdAt: r.createdAt,
      revision: r.revision,
      contentSha256: r.contentSha256,
      record: JSON.parse(r.recordText) as Record<string, unknown>,
    },
  };
}

function submitArgs(v: TeamVerdictInput): SubmitArgs {
  return { decision: v.decision, labels: v.labels ?? [], severity: v.severity ?? null, rationale: v.rationale ?? null, clientId: v.clientId ?? null };
}

function toSubmitResult(r: SubmitRow): SubmitResult {
  return r.itemStatus ? { status: r.status, message: r.message, itemStatus: r.itemStatus as 'open' | 'decided' | 'adjudication' } : { status: r.status, message: r.message };
}

const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
const DEFAULT_CALL_TIMEOUT_MS = 3_000;

/** How often a session runs the audit sequencer while it writes (it is cheap when idle). */
const SEQUENCE_EVERY_MS = 250;

export async function connectTeam(url: string, options: ConnectOptions = {}): Promise<TeamSession> {
  // Short deadlines: after a network cut the first call fails in seconds with one line, and the
  // app goes offline, instead of waiting out a connect timeout or TCP retransmission. A call that
  // times out releases its connection with the error, so the pool drops it.
  const extra: pg.ClientConfig = {
    application_name: options.applicationName ?? 'verdict',
    // The queue's functions run with search_path = pg_catalog, verdict (SECURITY DEFINER ... SET).
    // A session on the same path does not switch paths at every call into them, so their cached
    // plans skip the search-path recheck (measured: ~0.05 ms of server CPU per save and next).
    // Every query of ours names its schema, so nothing else changes.
    options: '-c search_path=pg_catalog,verdict',
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    query_timeout: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
  };
  if (options.password !== undefined) extra.password = options.password;
  let config: pg.PoolConfig;
  try {
    config = { ...(await teamConnectionConfig(url, extra)), max: options.max ?? 2 };
  } catch (err) {
    throw teamError('connect', err);
  }
  const pool = new pg.Pool(config);
  // A dropped connection (server restart, network) surfaces on the next call, not as a crash.
  pool.on('error', () => {});
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw teamError(what, err);
    }
  };
  // Prove the URL and the credentials now: a connect screen wants the error at once.
  const identity = await call('connect', () => whoami(pool));
  if (!identity.role) {
    await pool.end();
    throw teamError('connect', new Error(`role "${identity.user}" is not a member of this Verdict team; ask a lead to run "verdict team user add"`));
  }
  let wrote = false;
  const timer = setInterval(() => {
    if (!wrote) return;
    wrote = false;
    integrateAudit(pool).catch(() => {
      wrote = true;
    });
  }, SEQUENCE_EVERY_MS);
  timer.unref();
  const listeners = new Set<() => Promise<void>>();
  // A separate lookup after the refusal (verdict.submit stays as it is): was the item claimed by
  // someone else since this lease ran out? If the lookup itself fails, the refusal still stands.
  const lateSubmitFate = async (lease: { itemId: string; token: string }): Promise<Pick<SubmitResult, 'code' | 'message'> | { code: 'lease_expired' }> => {
    const fate = await leaseFate(pool, lease.itemId, lease.token).catch(() => null);
    if (!fate?.reassigned) return { code: 'lease_expired' };
    return {
      code: 'reassigned',
      message: `reassigned: your lease on item ${lease.itemId} expired at ${fate.expiresAt} and the item went to another reviewer; the verdict was not recorded on the team server`,
    };
  };

  // A refusal may be an escalation or hold by someone else that ended this lease (migration 0010):
  // say so, so the verdict is kept locally under a clear code instead of a bare "released".
  const withdrawnFate = async (lease: { itemId: string; token: string }): Promise<Partial<Pick<SubmitResult, 'code' | 'message'>>> => {
    const w = await leaseWithdrawal(pool, lease.itemId, lease.token).catch(() => null);
    if (!w) return {};
    return {
      code: 'withdrawn',
      message: `withdrawn: item ${lease.itemId} was ${w.because === 'escalated' ? 'escalated to an expert' : 'put on hold'} by ${w.byWhom} at ${w.at.slice(0, 16).replace('T', ' ')} UTC, which ended your lease; your verdict was not recorded on the team server and stays in your outbox`,
    };
  };

  // One reading of a submit's result for every way in (submit, save and next): an expired lease
  // says whether the item went to someone else, a refusal whether an escalation or hold ended it.
  const submitOutcome = async (lease: { itemId: string; token: string }, r: Parameters<typeof toSubmitResult>[0]): Promise<SubmitResult> => {
    if (r.status === 'expired') return { ...toSubmitResult(r), ...(await lateSubmitFate(lease)) };
    if (r.status === 'refused') return { ...toSubmitResult(r), ...(await withdrawnFate(lease)) };
    return toSubmitResult(r);
  };

  const session: TeamSession = {
    url,
    async whoami(): Promise<TeamIdentity> {
      const w = await call('whoami', () => whoami(pool));
      return { user: w.user, role: (w.role ?? 'admin') as TeamIdentity['role'], routes: w.routes };
    },
    routeCounts: () => call('route counts', () => routeCounts(pool)),
    async claimNext(route) {
      const rows = await call('claim', () => claimItems(pool, 1, route ?? null));
      if (rows.length) wrote = true;
      return rows[0] ? toLease(rows[0]) : null;
    },
    async claimBatch(n, route) {
      const rows = await call('claim', () => claimItems(pool, n, route ?? null));
      if (rows.length) wrote = true;
      return rows.map(toLease);
    },
    async claimMixed(route) {
      const rows = await call('claim', () => X.claimMixed(pool, route ?? null));
      if (rows.length) wrote = true;
      return rows[0] ? toLease(rows[0]) : null;
    },
    expert: expertApi(call, pool, () => {
      wrote = true;
    }),
    async heartbeat(lease) {
      const r = await call('heartbeat', () => heartbeatLease(pool, lease.itemId, lease.token));
      if (r.ok) wrote = true;
      if (r.ok) return { ok: true, expiresAt: r.expiresAt!, message: r.message };
      // Ended by someone else's escalation or hold (migration 0010): say so.
      const w = await withdrawnFate(lease);
      return w.code === 'withdrawn' ? { ok: false, code: 'withdrawn', message: w.message! } : { ok: false, message: r.message };
    },
    async submit(lease, v: TeamVerdictInput) {
      const r = await call('submit', () =>
        v.correction ? submitCorrected(pool, lease.itemId, lease.token, { ...submitArgs(v), correction: v.correction }) : submitVerdict(pool, lease.itemId, lease.token, submitArgs(v)),
      );
      wrote = true;
      return submitOutcome(lease, r);
    },
    async submitAndClaimNext(lease, v: TeamVerdictInput, route?: string) {
      const r = await call('submit', () => submitAndClaimNext(pool, lease.itemId, lease.token, submitArgs(v), route ?? null));
      wrote = true;
      return { result: await submitOutcome(lease, r.submit), next: r.next ? toLease(r.next) : null };
    },
    async saveAndNext(lease, v: TeamVerdictInput, route?: string) {
      const r = await call('submit', () => submitNextMixed(pool, lease.itemId, lease.token, { ...submitArgs(v), correction: v.correction ?? null }, route ?? null));
      wrote = true;
      return { result: await submitOutcome(lease, r.submit), next: r.next ? toLease(r.next) : null };
    },
    async release(lease) {
      const ok = await call('release', () => releaseLease(pool, lease.itemId, lease.token));
      if (ok) wrote = true;
      return ok;
    },
    async listen(onChange: (c: QueueChange) => void) {
      const client = await call('listen', () => pool.connect());
      const handler = (msg: pg.Notification) => {
        if (msg.channel !== 'verdict_queue' || !msg.payload) return;
        try {
          onChange(JSON.parse(msg.payload) as QueueChange);
        } catch {
          // A malformed payload (someone's NOTIFY by hand) is not a queue change.
        }
      };
      // A dropped network or a server restart ends this checked-out client with an 'error' event;
      // unhandled, it would crash the process (the pool's handler covers idle clients only).
      client.on('error', () => {});
      client.on('notification', handler);
      await client.query('LISTEN verdict_queue');
      let done = false;
      const stop = async () => {
        if (done) return;
        done = true;
        listeners.delete(stop);
        client.off('notification', handler);
        await client.query('UNLISTEN verdict_queue').catch(() => {});
        client.release();
      };
      listeners.add(stop);
      return stop;
    },
    async close() {
      clearInterval(timer);
      for (const stop of [...listeners]) await stop();
      if (wrote) await integrateAudit(pool).catch(() => {});
      await pool.end();
    },
  };
  return session;
}

type Call = <T>(what: string, fn: () => Promise<T>) => Promise<T>;

/** The expert-review calls over the session's pool; writes wake the audit sequencer. */
function expertApi(call: Call, pool: pg.Pool, wrote: () => void): TeamExpertApi {
  const write = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const r = await call(what, fn);
    wrote();
    return r;
  };
  return {
    claimAdjudication: (route) => write('claim adjudication', () => X.claimAdjudication(pool, route ?? null)),
    itemVerdicts: (itemId) => call('item verdicts', () => X.itemVerdicts(pool, itemId)),
    decideAdjudication: (itemId, token, v) => write('adjudicate', () => X.decideAdjudication(pool, itemId, token, v)),
    escalate: (lease, a) => write('escalate', () => X.escalateItem(pool, lease.itemId, lease.token, a)),
    expertPool: () => call('expert pool', () => X.expertPool(pool)),
    claimExpert: (route) => write('claim escalation', () => X.claimExpert(pool, route ?? null)),
    answerExpert: (id, token, a) => write('answer escalation', () => X.answerExpert(pool, id, token, a)),
    consultNotes: (itemId) => call('consult notes', () => X.consultNotes(pool, itemId)),
    overturns: () => call('overturns', () => X.expertOverturns(pool)),
    hold: (itemId, token, reason, reviewBy) => write('hold', () => X.holdItem(pool, itemId, token, reason, reviewBy)),
    releaseHold: (itemId) => write('release hold', () => X.releaseHold(pool, itemId)),
    holds: () => call('holds', () => X.holdsList(pool)),
    reopen: (itemId, reason) => write('reopen', () => X.reopenItem(pool, itemId, reason)),
    history: (itemId) => call('history', () => X.itemHistory(pool, itemId)),
    markGold: (itemId, decision, labels) => write('mark gold', () => X.markGold(pool, itemId, decision, labels)),
    goldAccuracy: () => call('gold accuracy', () => X.goldAccuracy(pool)),
    setRoute: (route, rate, sla) => write('route set', () => X.setRouteExpert(pool, route, rate, sla)),
    leadItems: (limit) => call('items', () => X.leadItems(pool, limit)),
    routeSettings: () => call('route settings', () => X.routeSettings(pool)),
    agreement: (filter, options) => call('agreement', () => teamAgreement(pool, filter, options)),
  };
}
