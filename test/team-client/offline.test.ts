/**
 * The desktop's offline outbox against a real PostgreSQL (issue 12, item 7): claim a batch,
 * lose the network, decide locally, come back; what is accepted, expired or refused is exactly
 * what the team database's fencing rules say, and nothing is lost or sent twice.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../electron/core/service.ts';
import type { ApiEvents, EventName } from '../../electron/shared/contract.ts';
import type { TeamStatus } from '../../electron/shared/models/team.ts';
import { ingestFileToTeam } from '../../electron/core/team/ingest.ts';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/open.ts';
import { tempDir } from '../helpers/workspace.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, initTeam, record, route } from '../team/helpers.ts';
import { startRelay, type Relay } from './proxy.ts';

const pg = pgForThisFile();
const t = tempDir('verdict-teamapp-');
let relay: Relay;
let ws: Workspace;
let service: ReturnType<typeof createService>;
const events: ApiEvents['team.changed'][] = [];
let anaPassword = '';
let benUrl = '';

/** Resolves on the next team.changed event that satisfies `pred` (no sleeps). */
function nextChange(pred: (s: TeamStatus) => boolean): Promise<TeamStatus> {
  return new Promise((resolve) => {
    const check = () => {
      const s = service.team.status();
      if (pred(s)) return resolve(s);
      waiters.push(check);
    };
    check();
  });
}
let waiters: (() => void)[] = [];

beforeAll(async () => {
  const c = pg.get();
  await initTeam(c);
  await route(c, 'trust_safety', 1, 600);
  const file = join(t.dir, 'in.jsonl');
  writeFileSync(file, Array.from({ length: 6 }, (_, i) => JSON.stringify(record(`ts-${i}`, 'trust_safety'))).join('\n') + '\n');
  await ingestFileToTeam(c.url, file);
  const anaUrl = new URL(await addUser(c, 'ana', 'reviewer', ['trust_safety']));
  anaPassword = decodeURIComponent(anaUrl.password);
  benUrl = await addUser(c, 'ben', 'reviewer', ['trust_safety']);
  relay = await startRelay(c.port);
  ws = openWorkspace(join(t.dir, 'w.sqlite'));
  service = createService(ws, {
    mode: 'browser',
    teamRetryMs: 100,
    emit: <E extends EventName>(event: E, payload: ApiEvents[E]) => {
      if (event !== 'team.changed') return;
      events.push(payload as ApiEvents['team.changed']);
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    },
  });
}, 120_000);

afterAll(async () => {
  await service?.close();
  ws?.close();
  await relay?.close();
  t.cleanup();
});

describe('team outbox (offline)', () => {
  it('connects without ever saving or returning the password', async () => {
    const url = `postgres://127.0.0.1:${relay.port}/verdict`;
    const s = await service['team.connect']({ url, user: 'ana', password: anaPassword });
    expect(s).toMatchObject({ online: true, url, user: 'ana', passwordKept: 'memory', whoami: { user: 'ana', role: 'reviewer', routes: ['trust_safety'] } });
    expect(s.routes).toEqual([expect.objectContaining({ route: 'trust_safety', waiting: 6, reviewsPerItem: 1 })]);
    expect(JSON.stringify(s)).not.toContain(anaPassword);
    ws.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(join(t.dir, 'w.sqlite')).includes(Buffer.from(anaPassword))).toBe(false);
    await expect(service['team.connect']({ url: `postgres://ana:${anaPassword}@127.0.0.1:${relay.port}/verdict`, user: 'ana' })).rejects.toThrow(/must not hold a password/);
  });

  it('claims a batch, decides offline, and on reconnect the fencing rules decide each verdict', async () => {
    const c = pg.get();
    let s = await service['team.claim']({ count: 4 });
    expect(s.batch.map((b) => b.state)).toEqual(['claimed', 'claimed', 'claimed', 'claimed']);
    const [a, b, d, e] = s.batch;

    // The network drops.
    await relay.cut();
    // The reviewer decides a and b; the first failed push notices the drop, nothing is lost.
    expect((await service['team.submit']({ seq: a!.seq, decision: 'violation', labels: [], severity: null, correction: null, rationale: 'offline one', routeTo: null, flagReviews: [], spanEdits: [], routeFields: {} })).state).toBe('pending');
    // The push notices the drop (at once, or after the driver's connect timeout).
    s = await nextChange((x) => !x.online);
    expect(s.error).toMatch(/cannot reach|unreachable/);
    expect((await service['team.submit']({ seq: b!.seq, decision: 'dismiss', labels: [], severity: null, correction: null, rationale: null, routeTo: null, flagReviews: [], spanEdits: [], routeFields: {} })).state).toBe('pending');

    // Meanwhile on the server: the leases of b and e run out and ben claims what is free.
    await c.adminPool.query(`UPDATE verdict.leases SET expires_at = clock_timestamp() - interval '1 second' WHERE token IN ($1, $2)`, [tokenOf(b!.seq), tokenOf(e!.seq)]);
    const { connectTeam } = await import('../../electron/core/team/api.ts');
    const ben = await connectTeam(benUrl);
    try {
      const taken = await ben.claimBatch(10);
      expect(taken.map((l) => l.itemId)).toEqual(expect.arrayContaining([b!.itemId, e!.itemId]));
      expect(taken.map((l) => l.itemId)).not.toContain(a!.itemId);
    } finally {
      await ben.close();
    }

    // The network comes back: the client reconnects by itself and pushes.
    await relay.restore();
    s = await nextChange((x) => x.online && !x.batch.some((r) => r.state === 'pending'));
    const by = (seq: number) => s.batch.find((r) => r.seq === seq)!;
    expect(by(a!.seq)).toMatchObject({ state: 'accepted', decision: 'violation' });
    // b's late verdict: ben had claimed the item since, so it says reassigned (not only expired).
    expect(by(b!.seq)).toMatchObject({ state: 'expired', decision: 'dismiss', reasonCode: 'reassigned' });
    expect(by(b!.seq).reason).toMatch(/expired at .* another reviewer/);
    expect(by(d!.seq).state).toBe('claimed');

    // e: claimed, never decided; its lease ran out and ben took it: the heartbeat says reassigned.
    const hb = await service['team.heartbeat']({ seq: e!.seq });
    expect(hb).toMatchObject({ state: 'expired', decision: null, reasonCode: 'reassigned' });
    expect(hb.reason).toMatch(/another reviewer/);

    // d is still live: decided now, it is accepted.
    expect((await service['team.submit']({ seq: d!.seq, decision: 'escalate', labels: [], severity: null, correction: null, rationale: null, routeTo: null, flagReviews: [], spanEdits: [], routeFields: {} })).state).toBe('accepted');

    // The server holds exactly the accepted verdicts, each once, from ana.
    const v = await c.adminPool.query<{ ext: string; reviewer: string; decision: string }>(
      `SELECT i.ext_id AS ext, v.reviewer::text AS reviewer, v.decision FROM verdict.verdicts v JOIN verdict.items i ON i.id = v.item_id WHERE v.reviewer = 'ana' ORDER BY 1`,
    );
    expect(v.rows.map((r) => r.decision).sort()).toEqual(['escalate', 'violation']);
    // The expired verdict stays here, visible, with its text.
    expect((await service['team.item']({ seq: b!.seq })).row).toMatchObject({ state: 'expired', decision: 'dismiss' });
    expect(events.some((x) => x.reason === 'connection')).toBe(true);

    // Not accepted stays exportable: the expired verdict, with its text and the database's reason.
    const out = join(t.dir, 'not-accepted.jsonl');
    expect(await service['team.exportBatch']({ out })).toEqual({ path: out, rows: 1 });
    const line = JSON.parse(readFileSync(out, 'utf8').trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ item_id: b!.itemId, state: 'expired', reason_code: 'reassigned', verdict: { decision: 'dismiss' } });
    await expect(Promise.resolve().then(() => service['team.exportBatch']({ out }))).rejects.toThrow(/already exists/);
  });

  it('a push retried after a lost reply is recognised, not counted twice', async () => {
    const c = pg.get();
    const s = service.team.status();
    const accepted = s.batch.find((r) => r.state === 'accepted')!;
    // As if the reply to the push had been lost: the row is pending again locally.
    ws.sqlite.prepare(`UPDATE team_batch SET state = 'pending', resolved_at = NULL WHERE seq = ?`).run(accepted.seq);
    await service['team.push']({});
    expect(service.team.status().batch.find((r) => r.seq === accepted.seq)!.state).toBe('accepted');
    const n = await c.adminPool.query(`SELECT count(*)::int AS n FROM verdict.verdicts WHERE reviewer = 'ana'`);
    expect(n.rows[0].n).toBe(2);
  });

  it('save and next: the verdict, its correction and the next lease in one call; offline the verdict waits and is pushed later', async () => {
    const c = pg.get();
    const more = join(t.dir, 'more.jsonl');
    writeFileSync(more, ['sn-0', 'sn-1', 'sn-2'].map((id) => JSON.stringify(record(id, 'trust_safety'))).join('\n') + '\n');
    await ingestFileToTeam(c.url, more);
    const claimed = (await service['team.claim']({ count: 1 })).batch.filter((r) => r.state === 'claimed');
    expect(claimed).toHaveLength(1);
    const x = claimed[0]!;
    const verdict = { decision: 'violation' as const, labels: ['S1'], severity: null, correction: 'I can’t help with that.', rationale: null, routeTo: null, flagReviews: [], spanEdits: [], routeFields: {} };
    const r = await service['team.submitNext']({ seq: x.seq, ...verdict });
    expect(r.row).toMatchObject({ seq: x.seq, state: 'accepted' });
    expect(r.next).toMatchObject({ state: 'claimed' });
    expect(r.next!.itemId).not.toBe(x.itemId);
    const stored = await c.adminPool.query('SELECT correction FROM verdict.verdict_corrections WHERE item_id = $1', [x.itemId]);
    expect(stored.rows).toEqual([{ correction: 'I can’t help with that.' }]);
    const live = await c.adminPool.query(`SELECT item_id::text AS id FROM verdict.leases WHERE reviewer = 'ana' AND state = 'live'`);
    expect(live.rows).toEqual([{ id: r.next!.itemId }]);

    // Offline: the verdict is kept here (pending), no next lease can come; back online it is accepted.
    await relay.cut();
    const off = await service['team.submitNext']({ seq: r.next!.seq, ...verdict, correction: null, decision: 'dismiss', labels: [] });
    expect(off).toMatchObject({ row: { state: 'pending' }, next: null });
    await nextChange((s) => !s.online);
    await relay.restore();
    const s = await nextChange((x2) => x2.online && !x2.batch.some((b) => b.state === 'pending'));
    expect(s.batch.find((b) => b.seq === r.next!.seq)).toMatchObject({ state: 'accepted', decision: 'dismiss' });
  });

  it('a silent network drop (no reset): the first call fails within its deadline with one line, and the session recovers', async () => {
    const c = pg.get();
    const { connectTeam } = await import('../../electron/core/team/api.ts');
    const quiet = await startRelay(c.port);
    const u = new URL(benUrl);
    u.port = String(quiet.port);
    const ben = await connectTeam(u.toString());
    try {
      await ben.routeCounts();
      quiet.stall();
      // Without a call deadline this waited on TCP retransmission for minutes (the test's own
      // timeout would end it); with it, one line that says what to do.
      const first = await ben.routeCounts().then(() => null, (e: Error) => e);
      expect(first).toMatchObject({ code: 'team_unreachable', transient: true });
      expect(first!.message.split('\n')).toHaveLength(1);
      expect(first!.message).toMatch(/did not answer in time|cannot reach/);
      // A new connection during the drop gives up at its connect deadline, also in one line.
      const second = await ben.routeCounts().then(() => null, (e: Error) => e);
      expect(second).toMatchObject({ code: 'team_unreachable', transient: true });
      quiet.unstall();
      expect((await ben.routeCounts()).map((r) => r.route)).toEqual(['trust_safety']);
    } finally {
      quiet.unstall();
      await ben.close();
      await quiet.close();
    }
  }, 60_000);
});

function tokenOf(seq: number): string {
  return (ws.sqlite.prepare('SELECT token FROM team_batch WHERE seq = ?').pluck().get(seq) as string);
}
