/**
 * The denominator of issue 14's write-cost target: a verdict as a reviewer's desk writes it.
 * Both oversight benches (oversight-phase.ts, oversight-session.ts) time this one call, the same
 * way, so their percentages are of the same thing.
 *
 * One reviewer cycle, as the app makes it:
 *  - the item on screen (`item.get`, the desk prefetched it), not timed;
 *  - the verdict through the handler map (`verdict.submit` of createService: ReviewService.submit
 *    in its own BEGIN IMMEDIATE transaction with its commit, and the change event), timed in
 *    process CPU. The input is what the UI sends: the item's current revision and the contract's
 *    defaults; the reviewer is the workspace's (one reviewer at a desk);
 *  - the queue's refresh the change event sets off (`queue.page` of the first 100 open items and
 *    `queue.counts`), not timed.
 * The service runs in CLI mode: its own metric upkeep then does nothing after a write, so none of
 * the aggregates' work is inside the timed call (a bench that measures them runs its own upkeep).
 */
import { contract } from '../electron/shared/contract.ts';
import { createService, type Service } from '../electron/core/service.ts';
import type { Workspace } from '../electron/core/workspace/open.ts';
import { writeTransaction } from '../electron/core/workspace/write-lock.ts';

/** The bench's reviewer decision for an item: the same for a seq on every run. */
export function pick(seq: number) {
  const h = Math.imul(seq ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const u = h / 4294967296;
  const decision = u < 0.55 ? ('violation' as const) : u < 0.95 ? ('dismiss' as const) : ('escalate' as const);
  return { decision, reviewer: `bench-reviewer-${h % 12}`, delayMs: 60_000 + (h % 97) * 1_800_000 / 7, labels: decision === 'violation' && h % 5 === 0 ? ['hallucination'] : [] };
}

/**
 * The write-cost rounds and the session call every flag on 3 in 4 confirmed/dismissed items (as
 * the demo's reviewers do), so the catch-up's figures include the per-flag aggregates (migration 0017).
 */
export function callsFlags(r: { seq: number; flagCount?: number }, decision: string): boolean {
  return (r.flagCount ?? 0) > 0 && r.seq % 4 !== 0 && (decision === 'violation' || decision === 'dismiss');
}

export interface DeskItem {
  seq: number;
  id: string;
  flagCount: number;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const OPEN_FILTER = { status: ['new', 'in_review', 'conflict', 'skipped'] as ('new' | 'in_review' | 'conflict' | 'skipped')[] };

/**
 * Reviewer cycles run before the measured ones, not counted. A desk runs for hours; in a fresh
 * process the first two hundred or so cost more (1M, 100-cycle means: 1.38, 1.66, then 0.90-1.09 ms)
 * while the page cache fills with the desk's working set and the code warms up.
 */
export const DESK_WARM_UP = 200;

export interface DeskWriter {
  /** One reviewer cycle for `item`; returns the verdict write's CPU ms. */
  cycle(item: DeskItem): number;
  /** DESK_WARM_UP cycles on the first open items (not measured); returns how many it wrote. */
  warmUp(): number;
  /** The events the handlers emitted since the last call (what the app's service hands its metric upkeep). */
  takeEvents(): [string, unknown][];
  close(): Promise<void>;
}

/** The local workspace's handlers answer synchronously (the timed call must not include a turn of the event loop). */
function now<T>(v: T | Promise<T>): T {
  if (v instanceof Promise) throw new Error('the desk-write bench needs the local (synchronous) store');
  return v;
}

export interface DeskWriterOptions {
  /**
   * Run inside the verdict's write transaction, after the verdict (oversight-inwrite.ts: the metric
   * count moved into the write). Given, every submit runs in an outer transaction (its own becomes a
   * savepoint), with or without work here, so the two variants differ by this work alone.
   */
  inWrite?: () => void;
}

export function deskWriter(ws: Workspace, o: DeskWriterOptions = {}): DeskWriter {
  let events: [string, unknown][] = [];
  const service: Service = createService(ws, { mode: 'cli', emit: (event, payload) => void events.push([event, payload]) });
  return {
    cycle(item) {
      const view = now(service['item.get']({ id: item.id }));
      const revision = view.item.revisions.find((x) => x.revision === view.item.revision) ?? view.item.revisions.at(-1)!;
      const p = pick(item.seq);
      const input = contract['verdict.submit'].parse({
        itemId: item.id,
        revisionId: revision.id,
        decision: p.decision,
        labels: p.labels,
        routeTo: p.decision === 'escalate' ? 'legal' : null,
        ...(callsFlags(item, p.decision) ? { flagReviews: Array.from({ length: item.flagCount }, (_, flag) => ({ flag, accepted: p.decision === 'violation' })) } : {}),
      });
      const c = cpuMs();
      const inWrite = o.inWrite;
      if (inWrite)
        writeTransaction(ws.sqlite, ws.path, () => {
          now(service['verdict.submit'](input));
          inWrite();
        });
      else now(service['verdict.submit'](input));
      const ms = cpuMs() - c;
      now(service['queue.page']({ filter: OPEN_FILTER, after: null, limit: 100 }));
      now(service['queue.counts']({ filter: OPEN_FILTER }));
      return ms;
    },
    warmUp() {
      const items = ws.sqlite
        .prepare("SELECT seq, id, flag_count AS flagCount FROM items WHERE status IN ('new', 'in_review', 'conflict') ORDER BY seq LIMIT ?")
        .all(DESK_WARM_UP) as DeskItem[];
      for (const item of items) this.cycle(item);
      return items.length;
    },
    takeEvents() {
      const out = events;
      events = [];
      return out;
    },
    close: () => service.close(),
  };
}

/** The desk write's figures as both benches print them: mean (the target's denominator) and p50. */
export function deskWriteFigures(cpu: number[]): { deskWriteMean: number; deskWriteP50: number; deskWrites: number } {
  const sorted = [...cpu].sort((a, b) => a - b);
  return { deskWriteMean: cpu.reduce((a, b) => a + b, 0) / cpu.length, deskWriteP50: sorted[Math.floor(sorted.length / 2)] ?? 0, deskWrites: cpu.length };
}

export function deskWriteLine(r: { deskWriteMean?: unknown; deskWriteP50?: unknown; deskWrites?: unknown }): string {
  const f = (n: unknown) => Number(n).toLocaleString('en-US', { maximumFractionDigits: 3, minimumFractionDigits: 3 });
  return `the desk's verdict write (verdict.submit through the handlers, one per transaction with its commit): ${f(r.deskWriteMean)} ms CPU mean, p50 ${f(r.deskWriteP50)} ms, over ${Number(r.deskWrites).toLocaleString('en-US')} reviewer cycles`;
}
