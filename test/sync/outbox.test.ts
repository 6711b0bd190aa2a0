import { chmodSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { startSyncLoop } from '../../electron/core/sync/loop.ts';
import { Syncer } from '../../electron/core/sync/syncer.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { outboxRows, readResults, seed } from './helpers.ts';

const auditTypes = (ws: ReturnType<typeof tempWorkspace>['ws']) =>
  ws.sqlite.prepare('SELECT type FROM audit_events ORDER BY seq').pluck().all() as string[];

async function setup() {
  const t = tempWorkspace();
  const s = await seed(t.ws, t.dir);
  return { t, s, review: new ReviewService(t.ws) };
}

describe('outbox', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('enqueues a pending row in the verdict transaction, and a rollback leaves neither', async () => {
    const { t, s, review } = await setup();
    cleanup = t.cleanup;
    const v = review.submit({ itemId: s.item('f0').id, decision: 'dismiss', reviewer: 'ana' });
    expect(outboxRows(t.ws)).toEqual([{ verdictId: v.id, sourceId: s.fileSource.id, state: 'pending', attempts: 0, lastError: null }]);

    // The caller's transaction fails after the verdict: the verdict, its event and its outbox row all vanish.
    const head = t.ws.audit.head();
    expect(() =>
      t.ws.sqlite.transaction(() => {
        review.submit({ itemId: s.item('f1').id, decision: 'violation', reviewer: 'ana' });
        throw new Error('boom');
      })(),
    ).toThrow('boom');
    // The outbox insert itself fails: the verdict does not commit without it.
    t.ws.sqlite.exec("CREATE TEMP TRIGGER refuse_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox refused'); END");
    expect(() => review.submit({ itemId: s.item('f2').id, decision: 'violation', reviewer: 'ana' })).toThrow('outbox refused');
    t.ws.sqlite.exec('DROP TRIGGER refuse_outbox');
    expect(t.ws.sqlite.prepare('SELECT count(*) FROM verdicts').pluck().get()).toBe(1);
    expect(outboxRows(t.ws)).toHaveLength(1);
    expect(t.ws.audit.head()).toEqual(head);
    expect(s.item('f1').status).toBe('new');
    expect(t.ws.audit.verify().ok).toBe(true);
  });

  it('delivers verdicts, amendments and undos as their own lines beside the source file and in the folder', async () => {
    const { t, s, review } = await setup();
    cleanup = t.cleanup;
    const f0 = s.item('f0');
    const v1 = review.submit({
      itemId: f0.id,
      decision: 'violation',
      labels: ['S7', 'pii'],
      severity: 'high',
      correction: 'I cannot share that.',
      rationale: 'internal note',
      reviewer: 'ana',
      decidedAt: '2026-11-02T10:00:00.000Z',
    });
    const v2 = review.amend(v1.id, { decision: 'escalate', routeTo: 'legal', reviewer: 'ben' });
    const v3 = review.submit({ itemId: s.item('d0').id, decision: 'dismiss', reviewer: 'ana' });
    const undo = review.undo('ana')!.undo;
    const syncer = new Syncer(t.ws);
    const results = await syncer.run();
    expect(results.map((r) => [r.sourceId, r.delivered, r.failed])).toEqual([
      [s.fileSource.id, 2, 0],
      [s.folderSource.id, 2, 0],
    ]);

    const file = readResults(s.fileResults);
    expect(file.torn).toBe(0);
    expect(file.lines).toEqual([
      {
        item_id: 'f0',
        verdict_item_id: f0.id,
        verdict_id: v1.id,
        kind: 'verdict',
        supersedes: null,
        decision: 'violation',
        labels: ['S7', 'pii'],
        severity: 'high',
        correction: 'I cannot share that.',
        route_to: null,
        flag_reviews: [],
        reviewer: 'ana',
        decided_at: '2026-11-02T10:00:00.000Z',
        audit_leaf_index: v1.auditSeq,
      },
      expect.objectContaining({ verdict_id: v2.id, kind: 'amendment', supersedes: v1.id, decision: 'escalate', route_to: 'legal', reviewer: 'ben' }),
    ]);
    // The rationale stays in the workspace.
    expect(readFileSync(s.fileResults, 'utf8')).not.toContain('internal note');
    const folder = readResults(s.folderResults);
    expect(folder.lines.map((l) => [l.item_id, l.kind, l.decision, l.supersedes])).toEqual([
      ['d0', 'verdict', 'dismiss', null],
      ['d0', 'undo', 'retracted', v3.id],
    ]);
    expect(folder.lines[1]!.verdict_id).toBe(undo.id);

    // Each append is audited with the sha256 of exactly the bytes written.
    const events = (t.ws.sqlite.prepare("SELECT body FROM audit_events WHERE type = 'sync.delivered' ORDER BY seq").pluck().all() as string[]).map(
      (b) => JSON.parse(b) as { data: { source_id: string; lines: number; marked: number; sha256: string; offset: number; bytes: number } },
    );
    expect(events.map((e) => [e.data.source_id, e.data.lines, e.data.marked])).toEqual([
      [s.fileSource.id, 2, 2],
      [s.folderSource.id, 2, 2],
    ]);
    const bytes = readFileSync(s.fileResults);
    expect(createHash('sha256').update(bytes.subarray(events[0]!.data.offset, events[0]!.data.offset + events[0]!.data.bytes)).digest('hex')).toBe(
      events[0]!.data.sha256,
    );
    expect(outboxRows(t.ws).every((r) => r.state === 'delivered' && r.attempts === 1)).toBe(true);
    expect(syncer.status().find((x) => x.sourceId === s.fileSource.id)).toMatchObject({
      name: 'queue.jsonl',
      target: s.fileResults,
      pending: 0,
      delivered: 2,
      failed: 0,
      noReturnPath: 0,
      lastError: null,
      lastDeliveredAt: expect.stringMatching(/^\d{4}-/),
    });

    // Nothing more to send; a later verdict is appended after the earlier lines.
    expect(await syncer.run()).toEqual([]);
    const v4 = review.submit({ itemId: s.item('f1').id, decision: 'skip', reviewer: 'cy' });
    await syncer.run();
    expect(readResults(s.fileResults).lines.map((l) => l.verdict_id)).toEqual([v1.id, v2.id, v4.id]);

    // Ingesting the folder again does not read the results file back in.
    const again = await ingest(t.ws, { path: s.folder });
    expect(again).toMatchObject({ read: 0, quarantined: 0 });
    expect(t.ws.audit.verify().ok).toBe(true);
  });

  it('marks stdin verdicts no_return_path instead of leaving them pending', async () => {
    const { t, s, review } = await setup();
    cleanup = t.cleanup;
    review.submit({ itemId: s.item('s0').id, decision: 'dismiss', reviewer: 'ana' });
    review.submit({ itemId: s.item('s1').id, decision: 'violation', reviewer: 'ana' });
    expect(outboxRows(t.ws).map((r) => r.state)).toEqual(['no_return_path', 'no_return_path']);
    const syncer = new Syncer(t.ws);
    expect(await syncer.run()).toEqual([]);
    expect(syncer.status().find((x) => x.sourceId === s.stdinSource.id)).toMatchObject({
      kind: 'stdin',
      target: null,
      pending: 0,
      delivered: 0,
      failed: 0,
      noReturnPath: 2,
    });
  });

  it('marks rows failed when the folder is missing, backs off, and delivers after retry', async () => {
    const { t, s, review } = await setup();
    cleanup = t.cleanup;
    let now = new Date('2026-11-05T12:00:00.000Z');
    const syncer = new Syncer(t.ws, { now: () => now });
    const v = review.submit({ itemId: s.item('d1').id, decision: 'dismiss', reviewer: 'ana' });
    const moved = `${s.folder}-moved`;
    renameSync(s.folder, moved);

    const [r] = await syncer.run();
    expect(r).toMatchObject({ sourceId: s.folderSource.id, delivered: 0, failed: 1, error: expect.stringMatching(/inbox does not exist/) });
    expect(outboxRows(t.ws)[0]).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringMatching(/does not exist/) });
    const st = syncer.status().find((x) => x.sourceId === s.folderSource.id)!;
    expect(st).toMatchObject({ pending: 0, failed: 1, failures: 1, lastError: expect.stringMatching(/does not exist/), lastDeliveredAt: null });
    expect(st.nextAttemptAt! > now.toISOString()).toBe(true);

    // Backing off: an automatic run does not try again yet; once due, it tries (and fails) again.
    review.submit({ itemId: s.item('d0').id, decision: 'violation', reviewer: 'ana' });
    expect((await syncer.run())[0]).toMatchObject({ deferred: true, failed: 0 });
    now = new Date(now.getTime() + 60_000);
    expect((await syncer.run())[0]).toMatchObject({ failed: 2 });
    expect(outboxRows(t.ws).map((x) => [x.state, x.attempts])).toEqual([
      ['failed', 2],
      ['failed', 1],
    ]);
    expect(syncer.status().find((x) => x.sourceId === s.folderSource.id)!.failures).toBe(2);

    renameSync(moved, s.folder);
    expect(syncer.retry(s.folderSource.id)).toBe(2);
    expect(outboxRows(t.ws).map((x) => x.state)).toEqual(['pending', 'pending']);
    expect((await syncer.run())[0]).toMatchObject({ delivered: 2, failed: 0, error: null });
    expect(readResults(s.folderResults).lines.map((l) => l.verdict_id)[0]).toBe(v.id);
    expect(syncer.status().find((x) => x.sourceId === s.folderSource.id)).toMatchObject({
      pending: 0,
      delivered: 2,
      failed: 0,
      lastError: null,
      nextAttemptAt: null,
      failures: 0,
    });
    expect(auditTypes(t.ws).filter((x) => x.startsWith('sync.'))).toEqual(['sync.failed', 'sync.failed', 'sync.retry', 'sync.delivered']);
    expect(t.ws.audit.verify().ok).toBe(true);
  });

  it('fails cleanly when the results file cannot be written (a folder in its place)', async () => {
    const { t, s, review } = await setup();
    cleanup = t.cleanup;
    mkdirSync(s.fileResults);
    review.submit({ itemId: s.item('f0').id, decision: 'dismiss', reviewer: 'ana' });
    const syncer = new Syncer(t.ws);
    const [r] = await syncer.run();
    expect(r).toMatchObject({ failed: 1, error: expect.stringMatching(/it is a folder|cannot write/) });
    expect(outboxRows(t.ws)[0]!.state).toBe('failed');
  });

  it.skipIf(process.getuid?.() === 0)('fails when the folder is read-only, and retry delivers once it is writable', async () => {
    const { t, s, review } = await setup();
    cleanup = () => {
      chmodSync(s.folder, 0o755);
      t.cleanup();
    };
    review.submit({ itemId: s.item('d0').id, decision: 'dismiss', reviewer: 'ana' });
    chmodSync(s.folder, 0o555);
    const syncer = new Syncer(t.ws);
    expect((await syncer.run())[0]).toMatchObject({ failed: 1, error: expect.stringMatching(/permission denied/) });
    chmodSync(s.folder, 0o755);
    syncer.retry(s.folderSource.id);
    expect((await syncer.run())[0]).toMatchObject({ delivered: 1 });
  });

  it('terminates a torn last line before appending, so every new line stays whole', async () => {
    const { t, s, review } = await setup();
    cleanup = t.cleanup;
    const { appendFileSync } = await import('node:fs');
    appendFileSync(s.fileResults, '{"item_id":"f0","verdict_id":"tor');
    const v = review.submit({ itemId: s.item('f0').id, decision: 'dismiss', reviewer: 'ana' });
    await new Syncer(t.ws).run();
    const res = readResults(s.fileResults);
    expect(res).toMatchObject({ torn: 1, lines: [expect.objectContaining({ verdict_id: v.id })] });
  });

  it('runs periodically with startSyncLoop and reports status', async () => {
    const { t, s, review } = await setup();
    cleanup = t.cleanup;
    const seen: number[] = [];
    const stop = startSyncLoop(t.ws, { intervalMs: 20, onStatus: (st) => seen.push(st.find((x) => x.sourceId === s.fileSource.id)!.delivered) });
    review.submit({ itemId: s.item('f0').id, decision: 'dismiss', reviewer: 'ana' });
    stop.kick();
    await expect.poll(() => readResults(s.fileResults).lines.length, { timeout: 5000 }).toBe(1);
    review.submit({ itemId: s.item('f1').id, decision: 'dismiss', reviewer: 'ana' });
    await expect.poll(() => readResults(s.fileResults).lines.length, { timeout: 5000 }).toBe(2);
    await stop();
    expect(seen.at(-1)).toBe(2);
    review.submit({ itemId: s.item('f2').id, decision: 'dismiss', reviewer: 'ana' });
    await new Promise((r) => setTimeout(r, 100));
    expect(readResults(s.fileResults).lines).toHaveLength(2);
  });
});
