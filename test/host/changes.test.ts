/**
 * Mutations announce themselves from one wrapper (electron/core/handlers/changes.ts): every
 * write in the table emits one `workspace.changed` with its reason and item ids after it
 * succeeded; reads and refused writes emit nothing; no handler module emits it by hand.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contract, type ApiEvents, type ApiInput, type ApiOutputs, type EventName, type Method } from '../../electron/shared/contract.ts';
import { sourceRoot } from '../../electron/core/config.ts';
import { CHANGES, writtenBy } from '../../electron/core/handlers/changes.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { createService, type Service } from '../../electron/core/service.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const rec = (id: string) => JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `q ${id}`, output: `answer ${id}` });

async function setup() {
  const t = tempWorkspace();
  const f = join(t.dir, 'q.jsonl');
  writeFileSync(f, ['a', 'b', 'c'].map(rec).join('\n') + '\n');
  await ingest(t.ws, { path: f });
  const events: [EventName, unknown][] = [];
  const service = createService(t.ws, { mode: 'cli', emit: (e, p) => events.push([e, p]) });
  const changes = () => events.filter(([e]) => e === 'workspace.changed').map(([, p]) => p as ApiEvents['workspace.changed']);
  return { t, service, events, changes };
}

/** A call as the transports make it: the input checked (and defaulted) by the contract first. */
function call<M extends Method>(service: Service, method: M, input: ApiInput<M>): ApiOutputs[M] | Promise<ApiOutputs[M]> {
  return (service[method] as (i: unknown) => ApiOutputs[M])(contract[method].parse(input));
}

async function itemIds(service: Service): Promise<string[]> {
  const page = await call(service, 'queue.page', { filter: {}, after: null, limit: 10 });
  return page.rows.map((r) => r.id);
}

async function revision(service: Service, itemId: string): Promise<string> {
  return (await call(service, 'item.get', { id: itemId })).item.revisions[0]!.id;
}

describe('change events', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('a write announces once, with its reason and the items it changed; reads announce nothing', async () => {
    const { t, service, changes } = await setup();
    cleanup = t.cleanup;
    const [a, b] = await itemIds(service);
    await call(service, 'item.get', { id: a! });
    await call(service, 'queue.counts', { filter: {} });
    expect(changes()).toEqual([]);

    const v = await call(service, 'verdict.submit', { itemId: a!, revisionId: await revision(service, a!), decision: 'dismiss' });
    expect(changes()).toEqual([{ reason: 'verdict', itemIds: [a] }]);
    await call(service, 'verdict.amend', { verdictId: v.id, decision: 'violation', labels: ['S1'] });
    await call(service, 'item.hold', { itemId: b!, reason: 'ask legal', reviewBy: '2030-01-01T00:00:00Z' });
    await call(service, 'verdict.undo', {});
    await call(service, 'workspace.setReviewer', { reviewer: 'ana' });
    expect(changes().slice(1)).toEqual([
      { reason: 'verdict', itemIds: [a] },
      { reason: 'verdict', itemIds: [b] },
      { reason: 'verdict', itemIds: [a] },
      { reason: 'settings' },
    ]);
  });

  it("each write's event bounds the items and verdicts it added for the metric upkeep (writtenBy): the verdicts it names, else unknown", async () => {
    const { t, service, events } = await setup();
    cleanup = t.cleanup;
    const [a] = await itemIds(service);
    const verdicts = () => t.ws.sqlite.prepare('SELECT count(*) FROM verdicts').pluck().get() as number;
    const before = verdicts();
    await call(service, 'verdict.submit', { itemId: a!, revisionId: await revision(service, a!), decision: 'dismiss' });
    await call(service, 'verdict.undo', {});
    const counted = events.map(([e, p]) => writtenBy(e, p));
    expect(counted).toEqual([1, 1]);
    // A submit and its undo: two verdict rows, each named by its event.
    expect(verdicts() - before).toBe(2);
    await call(service, 'workspace.setReviewer', { reviewer: 'ana' });
    expect(writtenBy(...events.at(-1)!)).toBeUndefined();
    expect(writtenBy('workspace.changed', { reason: 'ingest' })).toBeUndefined();
    expect(writtenBy('workspace.changed', { reason: 'verdict' })).toBeUndefined();
  });

  it('a refused write and an undo with nothing to undo announce nothing', async () => {
    const { t, service, changes } = await setup();
    cleanup = t.cleanup;
    expect(await call(service, 'verdict.undo', {})).toBeNull();
    expect(() => call(service, 'verdict.submit', { itemId: 'no-such-item', revisionId: 'no-such-revision', decision: 'dismiss' })).toThrow();
    expect(changes()).toEqual([]);
  });

  it('an escalation to a new route drops the cached facets before the UI refetches them', async () => {
    const { t, service } = await setup();
    cleanup = t.cleanup;
    const [a] = await itemIds(service);
    expect((await call(service, 'queue.facets', {})).routes).not.toContain('legal-probe');
    await call(service, 'verdict.submit', { itemId: a!, revisionId: await revision(service, a!), decision: 'escalate', routeTo: 'legal-probe' });
    expect((await call(service, 'queue.facets', {})).routes).toContain('legal-probe');
  });

  it('no handler module emits workspace.changed by hand', () => {
    const hits = execFileSync('git', ['grep', '--untracked', '-l', "'workspace.changed'", '--', 'electron/core'], { cwd: sourceRoot(), encoding: 'utf8' })
      .trim()
      .split('\n');
    // The wrapper, and the job runner's report of a failed ingest's partial write.
    expect(hits.sort()).toEqual(['electron/core/handlers/changes.ts', 'electron/core/jobs/runner.ts']);
    expect(Object.keys(CHANGES).length).toBeGreaterThan(50);
  });
});
