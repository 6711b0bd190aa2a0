/**
 * The desktop's side of a team queue (issue 12, items 7 and 8). It keeps the claimed batch and
 * every verdict in the local workspace first (db/queries/team-batch.ts), then pushes; the team
 * database's fencing rules decide each verdict, and the outcome is written back on its row. A
 * network failure never loses a verdict: the row stays 'pending' and is pushed on reconnect.
 *
 * The password lives only in this object (the worker's memory), never in the workspace.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Workspace } from '../workspace/open.ts';
import {
  batchRow,
  batchRows,
  extendLease,
  insertClaims,
  pendingRows,
  recordVerdict,
  resolveRow,
  type Resolution,
  type TeamBatchRow,
} from '../../../db/queries/team-batch.ts';
import type { PasswordKeeping, TeamBatchView, TeamChange, TeamItemView, TeamRouteCount, TeamStatus } from '../../shared/models/team.ts';
import type { EscalationRecord } from '../record/schema.ts';
import { UserError } from '../util/errors.ts';
import { newId, nowIso } from '../util/ids.ts';
import type { ConnectPort, Refusal, TeamPort, TeamVerdict } from './port.ts';
import type { TeamExpertApi } from '../team/api.ts';
import { connectionString, teamTarget, type TeamTarget } from './url.ts';

export interface TeamClientOptions {
  connect: ConnectPort;
  /** The saved connection (url, user), read and written through the workspace settings. */
  settings: { read(): { url: string; user: string } | null; write(t: { url: string; user: string } | null): void };
  emit: (change: TeamChange) => void;
  /** Where a password handed to `connect` is kept ('keychain' when the desktop shell encrypted it). */
  defaultKeeping: PasswordKeeping;
  /** Pause before trying again after the connection dropped (ms); doubles up to 30 s. */
  retryMs?: number;
  /** While connected, the counts are re-read this often (ms), which also notices a dropped network. */
  keepaliveMs?: number;
}

const SNIPPET_MAX = 160;
const SUBMIT_WAIT_MS = 1500;

export class TeamClient {
  private port: TeamPort | null = null;
  private password: string | null = null;
  private keeping: PasswordKeeping = 'none';
  private error: string | null = null;
  private whoami: TeamStatus['whoami'] = null;
  private routes: TeamRouteCount[] = [];
  private retry: NodeJS.Timeout | null = null;
  private keepalive: NodeJS.Timeout | null = null;
  private retryPause: number;
  private pushing: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly ws: Workspace,
    private readonly opts: TeamClientOptions,
  ) {
    this.retryPause = opts.retryMs ?? 1000;
  }

  private target(): TeamTarget | null {
    const saved = this.opts.settings.read();
    return saved ? teamTarget(saved.url, saved.user) : null;
  }

  status(): TeamStatus {
    const t = this.target();
    return {
      url: t?.url ?? null,
      user: t?.user ?? null,
      passwordKept: this.password === null ? 'none' : this.keeping,
      online: this.port !== null,
      error: this.error,
      whoami: this.whoami,
      routes: this.routes,
      batch: t ? batchRows(this.ws.sqlite, t.key).map(view) : [],
      now: nowIso(),
    };
  }

  /** Saves the connection (never the password) and connects; on success pushes what waits. */
  async connect(url: string, user: string, password: string | undefined, keeping?: PasswordKeeping): Promise<TeamStatus> {
    const t = teamTarget(url, user);
    const prev = this.target();
    if (!prev || prev.key !== t.key) this.opts.settings.write({ url: t.url, user: t.user });
    if (password !== undefined) {
      this.password = password;
      this.keeping = keeping ?? this.opts.defaultKeeping;
    }
    await this.dropPort();
    this.closed = false;
    await this.open(t, true);
    return this.status();
  }

  async disconnect(forget: boolean): Promise<TeamStatus> {
    this.closed = true;
    this.clearRetry();
    await this.dropPort();
    this.password = null;
    this.keeping = 'none';
    this.error = null;
    this.whoami = null;
    this.routes = [];
    if (forget) this.opts.settings.write(null);
    this.opts.emit({ reason: 'connection' });
    return this.status();
  }

  /** Claims up to `count` items (bounded by the lease) into the local batch. */
  async claim(count: number): Promise<TeamStatus> {
    const { port, t } = this.online();
    const leases = await this.guard(() => port.claimBatch(count));
    const at = nowIso();
    this.ws.sqlite.transaction(() => insertClaims(this.ws.sqlite, t.key, leases, at)).immediate();
    await this.refreshCounts();
    this.opts.emit({ reason: 'lease' });
    return this.status();
  }

  item(seq: number): TeamItemView {
    const row = this.row(seq);
    return { row: view(row), record: JSON.parse(row.record) as EscalationRecord, now: nowIso() };
  }

  /** Keeps the open item's lease alive. Offline, the local countdown goes on and nothing changes. */
  async heartbeat(seq: number): Promise<TeamBatchView> {
    const row = this.row(seq);
    if (row.state !== 'claimed' || !this.port) return view(row);
    const port = this.port;
    let r: Awaited<ReturnType<TeamPort['heartbeat']>>;
    try {
      r = await port.heartbeat(row.itemId, row.token);
    } catch (err) {
      if (!isTransient(err)) throw err;
      this.lost(err as Error);
      return view(this.row(seq));
    }
    this.write(() => (r.ok ? extendLease(this.ws.sqlite, seq, r.expiresAt) : resolveRow(this.ws.sqlite, seq, { state: 'expired', code: r.code, reason: r.reason }, nowIso())));
    if (!r.ok) this.opts.emit({ reason: 'outcome', itemId: row.itemId });
    return view(this.row(seq));
  }

  /** Gives the item back to the queue without a verdict. */
  async release(seq: number): Promise<TeamBatchView> {
    const row = this.row(seq);
    if (row.state !== 'claimed') throw new UserError('only a claimed item without a verdict can be given back', 'not_claimed');
    const { port } = this.online();
    await this.guard(() => port.release(row.itemId, row.token));
    this.write(() => resolveRow(this.ws.sqlite, seq, { state: 'released', code: null, reason: 'given back to the queue' }, nowIso()));
    this.opts.emit({ reason: 'lease', itemId: row.itemId });
    return view(this.row(seq));
  }

  /** The expert-review calls of the connected session (they need the team database: no offline form). */
  async expert<T>(fn: (api: TeamExpertApi) => Promise<T>): Promise<T> {
    const { port } = this.online();
    return this.guard(() => fn(port.expert));
  }

  /**
   * Escalates or holds a claimed item: the team database ends the lease in the same step, so the
   * local row is closed as given back, with what happened as its reason.
   */
  async handOver(seq: number, fn: (api: TeamExpertApi, itemId: string, token: string) => Promise<unknown>, reason: string): Promise<TeamBatchView> {
    const row = this.row(seq);
    if (row.state !== 'claimed') throw new UserError('only a claimed item without a verdict can be escalated or held', 'not_claimed');
    await this.expert((api) => fn(api, row.itemId, row.token));
    this.write(() => resolveRow(this.ws.sqlite, seq, { state: 'released', code: null, reason }, nowIso()));
    await this.refreshCounts();
    this.opts.emit({ reason: 'lease', itemId: row.itemId });
    return view(this.row(seq));
  }

  /**
   * Records the verdict locally first ('pending'), so it survives any failure after this line;
   * then, if connected, pushes it. Offline, it is pushed on reconnect.
   */
  async submit(seq: number, v: Omit<TeamVerdict, 'decidedAt' | 'clientId'>): Promise<TeamBatchView> {
    const row = this.row(seq);
    if (row.state !== 'claimed') throw new UserError(`this item already has a verdict here (${row.state})`, 'already_decided');
    const verdict: TeamVerdict = { ...v, decidedAt: nowIso(), clientId: newId() };
    this.write(() => recordVerdict(this.ws.sqlite, seq, JSON.stringify(verdict), verdict.decidedAt));
    this.opts.emit({ reason: 'outcome', itemId: row.itemId });
    // The reviewer waits a moment for the answer, never for a network timeout: a slow push goes
    // on in the background and its outcome arrives as a `team.changed` event.
    if (this.port) await Promise.race([this.push(), new Promise((r) => setTimeout(r, SUBMIT_WAIT_MS).unref?.())]);
    return view(this.row(seq));
  }

  /**
   * "Save and next": records the verdict here first ('pending'), then, online, sends it and claims
   * my next item in one round trip (verdict.submit_next_mixed); the new lease joins the batch.
   * `next` is the batch's next claimed item (the new one, or one claimed earlier), or null.
   * Offline, or when the network drops during the call, the verdict waits here as with submit.
   */
  async submitNext(seq: number, v: Omit<TeamVerdict, 'decidedAt' | 'clientId'>): Promise<{ row: TeamBatchView; next: TeamBatchView | null }> {
    const row = this.row(seq);
    if (row.state !== 'claimed') throw new UserError(`this item already has a verdict here (${row.state})`, 'already_decided');
    const verdict: TeamVerdict = { ...v, decidedAt: nowIso(), clientId: newId() };
    this.write(() => recordVerdict(this.ws.sqlite, seq, JSON.stringify(verdict), verdict.decidedAt));
    const port = this.port;
    const t = this.target();
    if (port && t) {
      try {
        const r = await port.saveAndNext(row.itemId, row.token, verdict);
        this.write(() => {
          resolveRow(this.ws.sqlite, seq, outcomeResolution(r.outcome), nowIso());
          if (r.next) insertClaims(this.ws.sqlite, t.key, [r.next], nowIso());
        });
        await this.refreshCounts();
      } catch (err) {
        if (!isTransient(err)) throw err;
        this.lost(err as Error);
      }
    }
    this.opts.emit({ reason: 'outcome', itemId: row.itemId });
    const next = t ? batchRows(this.ws.sqlite, t.key).find((b) => b.state === 'claimed' && b.seq !== seq) : undefined;
    return { row: view(this.row(seq)), next: next ? view(next) : null };
  }

  /** Pushes every pending verdict; lapsed claims are asked about (the database says expired or not). */
  push(): Promise<void> {
    this.pushing ??= this.pushAll().finally(() => (this.pushing = null));
    return this.pushing;
  }

  /**
   * Every verdict given here that the team database has not accepted (refused, expired, or
   * still waiting), one JSON line each with its item, lease, verdict and the database's reason.
   * An existing file is never overwritten.
   */
  exportNotAccepted(out: string): { path: string; rows: number } {
    const t = this.target();
    const rows = t ? batchRows(this.ws.sqlite, t.key).filter((r) => r.verdict !== null && r.state !== 'accepted') : [];
    const lines = rows.map((r) =>
      JSON.stringify({
        team: t!.url,
        user: t!.user,
        item_id: r.itemId,
        external_id: preview(r.record).externalId,
        route: r.route,
        lease_token: r.token,
        state: r.state,
        reason_code: r.reasonCode,
        reason: r.reason,
        verdict: JSON.parse(r.verdict!) as unknown,
        record: JSON.parse(r.record) as unknown,
      }),
    );
    const path = resolve(out);
    try {
      writeFileSync(path, lines.length ? `${lines.join('\n')}\n` : '', { flag: 'wx' });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EEXIST') throw new UserError(`${path} already exists: choose a new file name`, 'exists');
      throw new UserError(`cannot write ${path} (${code ?? (err as Error).message}); check the folder`, 'write_failed');
    }
    return { path, rows: lines.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clearRetry();
    await this.dropPort();
  }

  // ----------------------------------------------------------------------------------------

  private async pushAll(): Promise<void> {
    const t = this.target();
    if (!t) return;
    let changed = false;
    for (const row of pendingRows(this.ws.sqlite, t.key)) {
      const port = this.port;
      if (!port) return;
      let r: Awaited<ReturnType<TeamPort['submit']>>;
      try {
        r = await port.submit(row.itemId, row.token, JSON.parse(row.verdict!) as TeamVerdict);
      } catch (err) {
        if (isTransient(err)) return void this.lost(err as Error);
        // An answer that is not a fencing decision (e.g. not allowed): refused, with its reason.
        r = { ok: false, code: (err as UserError).code, reason: (err as Error).message };
      }
      this.write(() => resolveRow(this.ws.sqlite, row.seq, outcomeResolution(r), nowIso()));
      changed = true;
    }
    const now = nowIso();
    for (const row of batchRows(this.ws.sqlite, t.key)) {
      if (row.state === 'claimed' && row.expiresAt <= now && this.port) {
        await this.heartbeat(row.seq);
        changed = true;
      }
    }
    if (changed) {
      await this.refreshCounts();
      this.opts.emit({ reason: 'outcome' });
    }
  }

  private async open(t: TeamTarget, userAsked: boolean): Promise<void> {
    let port: TeamPort;
    try {
      port = await this.opts.connect(connectionString(t, this.password));
      this.whoami = await port.whoami();
      this.routes = await port.routeCounts();
      await port.listen(() => void this.onNotify());
    } catch (err) {
      this.error = connectMessage(err as Error);
      // A connect the reviewer asked for reports at once and keeps no password it could not use;
      // a background reconnect (the network came back?) tries again with a growing pause.
      if (userAsked || isAuthError(err)) {
        this.password = null;
        this.keeping = 'none';
      } else this.scheduleRetry();
      this.opts.emit({ reason: 'connection' });
      if (userAsked) throw new UserError(this.error, 'team_unreachable');
      return;
    }
    if (this.closed) return void (await port.close().catch(() => undefined));
    this.port = port;
    this.error = null;
    this.retryPause = this.opts.retryMs ?? 1000;
    this.keepalive = setInterval(() => void this.refreshCounts().then(() => this.opts.emit({ reason: 'queue' })), this.opts.keepaliveMs ?? 10_000);
    this.keepalive.unref?.();
    this.opts.emit({ reason: 'connection' });
    await this.push();
  }

  private async onNotify(): Promise<void> {
    await this.refreshCounts();
    this.opts.emit({ reason: 'queue' });
  }

  private async refreshCounts(): Promise<void> {
    const port = this.port;
    if (!port) return;
    try {
      this.routes = await port.routeCounts();
    } catch (err) {
      if (isTransient(err)) this.lost(err as Error);
    }
  }

  /** The connection dropped: keep working locally, try again with a growing pause. */
  private lost(err: Error): void {
    if (!this.port) return;
    const port = this.port;
    this.port = null;
    this.stopKeepalive();
    this.error = `the team database is unreachable (${oneLine(err)}); verdicts are kept here and sent when it is back`;
    void port.close().catch(() => undefined);
    this.opts.emit({ reason: 'connection' });
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retry || this.password === null) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      const t = this.target();
      if (t && !this.port && !this.closed) void this.open(t, false);
    }, this.retryPause);
    this.retry.unref?.();
    this.retryPause = Math.min(this.retryPause * 2, 30_000);
  }

  private stopKeepalive(): void {
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = null;
  }

  private clearRetry(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private async dropPort(): Promise<void> {
    const port = this.port;
    this.port = null;
    this.stopKeepalive();
    if (port) await port.close().catch(() => undefined);
  }

  private online(): { port: TeamPort; t: TeamTarget } {
    const t = this.target();
    if (!t) throw new UserError('no team is connected: open Team and connect first', 'team_not_configured');
    if (!this.port) throw new UserError(this.error ?? 'not connected to the team database: connect first', 'team_offline');
    return { port: this.port, t };
  }

  /** Runs a call on the session; a throw means the database is unreachable. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err)) throw err;
      this.lost(err as Error);
      throw new UserError(this.error ?? `the team database is unreachable (${oneLine(err as Error)})`, 'team_offline');
    }
  }

  private row(seq: number): TeamBatchRow {
    const t = this.target();
    const row = batchRow(this.ws.sqlite, seq);
    if (!row || !t || row.team !== t.key) throw new UserError(`no claimed team item ${seq} here`, 'not_found');
    return row;
  }

  private write(fn: () => unknown): void {
    this.ws.sqlite.transaction(fn).immediate();
  }
}

/** The team database's answer on a verdict, as the local row's state. */
function outcomeResolution(r: { ok: true } | Refusal): Resolution {
  return r.ok ? { state: 'accepted', code: null, reason: null } : { state: r.expired ? 'expired' : 'refused', code: r.code, reason: r.reason };
}

function view(r: TeamBatchRow): TeamBatchView {
  let decision: string | null = null;
  let correction: string | null = null;
  if (r.verdict) {
    const v = JSON.parse(r.verdict) as TeamVerdict;
    decision = v.decision;
    correction = v.correction ?? null;
  }
  const shown = preview(r.record);
  return {
    seq: r.seq,
    itemId: r.itemId,
    externalId: shown.externalId,
    route: r.route,
    snippet: shown.snippet,
    claimedAt: r.claimedAt,
    expiresAt: r.expiresAt,
    state: r.state,
    decision,
    correction,
    decidedAt: r.decidedAt,
    reasonCode: r.reasonCode,
    reason: r.reason,
    resolvedAt: r.resolvedAt,
  };
}

/** The producer's id and a one-line preview of the output (plain text). */
function preview(recordJson: string): { externalId: string; snippet: string } {
  try {
    const rec = JSON.parse(recordJson) as Partial<EscalationRecord>;
    const msgs = rec.output?.messages ?? rec.input?.messages ?? [];
    const text = msgs.map((m) => (typeof m.content === 'string' ? m.content : '')).join(' ');
    return { externalId: typeof rec.id === 'string' ? rec.id : '', snippet: text.replace(/\s+/g, ' ').trim().slice(0, SNIPPET_MAX) };
  } catch {
    return { externalId: '', snippet: '' };
  }
}

function oneLine(err: Error): string {
  return (err.message || String(err)).split('\n')[0]!.slice(0, 200);
}

function isAuthError(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'team_auth' || code === '28P01' || code === '28000';
}

/** Unreachable (retry later) as opposed to an answer (forbidden, not initialised…). */
function isTransient(err: unknown): boolean {
  const t = (err as { transient?: unknown }).transient;
  return typeof t === 'boolean' ? t : !(err instanceof UserError);
}

/** The driver's reasons, as what to do. */
function connectMessage(err: Error): string {
  const code = (err as { code?: string }).code;
  if (code === '28P01' || code === '28000') return 'the team database refused the user or password: check them and connect again';
  if (code === 'ECONNREFUSED') return 'nothing answers at the team URL: check the host and port, or whether the database is running';
  if (code === 'ENOTFOUND') return 'the team URL names a host that does not resolve: check its spelling';
  if (code === '3D000') return 'the team URL names a database that does not exist: check the name after the last /';
  if (err instanceof UserError) return err.message;
  return `could not connect to the team database: ${oneLine(err)}`;
}
