/**
 * When the background catch-up runs (issue 14): once `batch` items and verdicts are waiting, read
 * from the database (so writes by another process and what was left before a restart count), not
 * after every quiet spell. Fake timers stand in for the minutes between a reviewer's verdicts; the
 * catch-up's own steps still take real turns of the event loop (setImmediate is not faked).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { foldNewItems } from '../../db/queries/metrics.ts';
import { pendingFold } from '../../db/queries/metrics-pending.ts';
import * as pendingModule from '../../db/queries/metrics-pending.ts';
import { ingestDemo } from '../../electron/core/demo/ingest-demo.ts';
import { writtenBy } from '../../electron/core/handlers/changes.ts';
import { createMetricUpkeep, type MetricUpkeep } from '../../electron/core/metrics/upkeep.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const marks = (ws: Workspace) => ws.sqlite.prepare("SELECT group_concat(key || '=' || value) FROM meta WHERE key LIKE 'metrics_folded%'").pluck().get();
const pending = (ws: Workspace) => {
  const p = pendingFold(ws.sqlite);
  return p.items + p.verdicts;
};
/** Lets a catch-up the timers started run to its end: its steps are a turn of the event loop apart. */
async function drain(ws: Workspace) {
  for (let still = 0; still < 3; ) {
    const before = marks(ws);
    await new Promise<void>((r) => setImmediate(r));
    still = marks(ws) === before ? still + 1 : 0;
  }
}
const submit = (ws: Workspace, ids: string[]) => {
  const r = new ReviewService(ws);
  for (const [i, id] of ids.entries()) r.submit({ itemId: id, decision: i % 3 === 0 ? 'violation' : 'dismiss', reviewer: 'lone' });
};
/**
 * A reviewer's verdicts, one per transaction as the desk writes them, a minute apart. `counted`:
 * each with what its change event says it added, as the service passes it (writtenBy).
 */
async function review(ws: Workspace, upkeep: MetricUpkeep, ids: string[], counted = false) {
  for (const id of ids) {
    submit(ws, [id]);
    upkeep.wrote(counted ? writtenBy('workspace.changed', { reason: 'verdict', itemIds: [id] }) : undefined);
    vi.advanceTimersByTime(60_000);
    await drain(ws);
  }
}
const openIds = (ws: Workspace, n: number, offset = 0) =>
  ws.sqlite.prepare("SELECT id FROM items WHERE status = 'new' ORDER BY seq LIMIT ? OFFSET ?").pluck().all(n, offset) as string[];

describe('metric upkeep policy', () => {
  let cleanup = () => {};
  let upkeep: MetricUpkeep | null = null;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    upkeep?.close();
    upkeep = null;
    vi.useRealTimers();
    cleanup();
  });

  it('a lone reviewer: no catch-up per verdict; one when the batch is waiting; a read counts the rest first', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 120, 7);
    foldNewItems(t.ws.sqlite);
    upkeep = createMetricUpkeep(t.ws, { batch: 25, settleMs: 2_000, pollMs: 60_000 });
    const ids = openIds(t.ws, 60);
    expect(ids).toHaveLength(60);
    const folds: number[] = [];
    const folded = () => Number(t.ws.sqlite.prepare("SELECT value FROM meta WHERE key = 'metrics_folded_verdict_seq'").pluck().get() ?? 0);
    let last = folded();
    for (const id of ids) {
      await review(t.ws, upkeep, [id]);
      if (folded() !== last) folds.push(folded() - last);
      last = folded();
    }
    // Verdicts a minute apart (the old idle timer fired after each): after the first look (at
    // start, which counts whatever waits), caught up only at 25 waiting.
    expect(folds).toEqual([1, 25, 25]);
    expect(pending(t.ws)).toBe(9);
    // A read still sees every verdict: it counts what is waiting first.
    await upkeep.catchUp();
    expect(pending(t.ws)).toBe(0);
    expect(t.ws.sqlite.prepare("SELECT count(*) FROM metric_items WHERE reviewer = 'lone'").pluck().get()).toBe(60);
  });

  it("the same catch-ups when each verdict's event says what it added, without a database look per verdict; another connection's commit is still looked at", async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 150, 9);
    foldNewItems(t.ws.sqlite);
    upkeep = createMetricUpkeep(t.ws, { batch: 25, settleMs: 2_000, pollMs: 60_000 });
    // pendingFold itself on the real workspace, its calls counted (the look this saves).
    const looks = vi.spyOn(pendingModule, 'pendingFold');
    const folded = () => Number(t.ws.sqlite.prepare("SELECT value FROM meta WHERE key = 'metrics_folded_verdict_seq'").pluck().get() ?? 0);
    const folds: number[] = [];
    let last = folded();
    for (const id of openIds(t.ws, 60)) {
      await review(t.ws, upkeep, [id], true);
      if (folded() !== last) folds.push(folded() - last);
      last = folded();
    }
    expect(folds).toEqual([1, 25, 25]);
    // Looks: at start, after each catch-up (what landed meanwhile), and each time the count reached the batch.
    expect(looks.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(looks.mock.calls.length).toBeLessThanOrEqual(6);
    expect(pending(t.ws)).toBe(9);
    // Another connection commits 20 verdicts: 29 waiting. This process's next verdict (30) is
    // counted from its event, but the other commit makes the next look read the database.
    const cli = openWorkspace(t.path, { create: false });
    try {
      submit(cli, openIds(cli, 20));
    } finally {
      cli.close();
    }
    await review(t.ws, upkeep, openIds(t.ws, 1), true);
    expect(pending(t.ws)).toBe(0);
    expect(t.ws.sqlite.prepare("SELECT count(*) FROM metric_items WHERE reviewer = 'lone'").pluck().get()).toBe(81);
    looks.mockRestore();
  });

  it('right after bulk work: an ingest past the batch is counted once writes settle', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    upkeep = createMetricUpkeep(t.ws, { batch: 100, settleMs: 2_000, pollMs: 600_000 });
    await ingestDemo(t.ws, 150, 3);
    upkeep.wrote();
    vi.advanceTimersByTime(1_999);
    await drain(t.ws);
    expect(pending(t.ws)).toBe(150);
    vi.advanceTimersByTime(1);
    await drain(t.ws);
    expect(pending(t.ws)).toBe(0);
    expect(t.ws.sqlite.prepare('SELECT count(*) FROM metric_items').pluck().get()).toBe(150);
  });

  it('counts what another process wrote (no event here) and what was left before a restart, from the database', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 200, 5);
    foldNewItems(t.ws.sqlite);
    upkeep = createMetricUpkeep(t.ws, { batch: 30, settleMs: 2_000, pollMs: 60_000 });
    // The CLI, on its own connection: this process hears nothing of it.
    const cli = openWorkspace(t.path, { create: false });
    try {
      submit(cli, openIds(cli, 20));
      vi.advanceTimersByTime(2_000);
      await drain(t.ws);
      // The first look (at start) counts whatever is waiting.
      expect(pending(t.ws)).toBe(0);
      submit(cli, openIds(cli, 20));
      vi.advanceTimersByTime(60_000);
      await drain(t.ws);
      // A poll later: 20 waiting is under the batch.
      expect(pending(t.ws)).toBe(20);
      submit(cli, openIds(cli, 15));
      vi.advanceTimersByTime(59_999);
      await drain(t.ws);
      expect(pending(t.ws)).toBe(35);
      // The next look finds 35 waiting and counts them.
      vi.advanceTimersByTime(1);
      await drain(t.ws);
      expect(pending(t.ws)).toBe(0);
      // The app closes with 10 uncounted verdicts; the next start counts them without any write.
      upkeep.close();
      submit(cli, openIds(cli, 10));
    } finally {
      cli.close();
    }
    expect(pending(t.ws)).toBe(10);
    upkeep = createMetricUpkeep(t.ws, { batch: 30, settleMs: 2_000, pollMs: 60_000 });
    vi.advanceTimersByTime(1_999);
    await drain(t.ws);
    expect(pending(t.ws)).toBe(10);
    vi.advanceTimersByTime(1);
    await drain(t.ws);
    expect(pending(t.ws)).toBe(0);
    expect(t.ws.sqlite.prepare("SELECT count(*) FROM metric_items WHERE reviewer = 'lone'").pluck().get()).toBe(65);
  });

  it('the CLI never catches up in the background, and nothing runs after close', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 80, 2);
    upkeep = createMetricUpkeep(t.ws, { batch: 10, background: false });
    upkeep.wrote();
    vi.advanceTimersByTime(3_600_000);
    await drain(t.ws);
    expect(pending(t.ws)).toBe(80);
    const closed = createMetricUpkeep(t.ws, { batch: 10 });
    closed.wrote();
    closed.close();
    vi.advanceTimersByTime(3_600_000);
    await drain(t.ws);
    expect(pending(t.ws)).toBe(80);
    await upkeep.catchUp();
    expect(pending(t.ws)).toBe(0);
  });
});
