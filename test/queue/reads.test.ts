/**
 * The desk's read handlers reach storage only through QueueReads (electron/core/storage/
 * queue-reads.ts): the same handlers over an asynchronous store (as a networked one would be)
 * answer exactly as over the local SQLite one. docs/storage.md says which stores implement it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contract, type ApiInput, type Method } from '../../electron/shared/contract.ts';
import { queueHandlers } from '../../electron/core/handlers/queue.ts';
import type { HandlerContext } from '../../electron/core/handlers/types.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { DEFAULT_TAXONOMY } from '../../electron/core/review/taxonomy.ts';
import { sqliteQueueReads, type QueueReads } from '../../electron/core/storage/queue-reads.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const rec = (id: string, route: string) => JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `q ${id}`, output: `answer ${id}`, route });

/** Every read answered a tick later, as over a network. */
function later(r: QueueReads): QueueReads {
  return {
    page: async (...a) => r.page(...a),
    counts: async (f) => r.counts(f),
    facets: async () => r.facets(),
    item: async (id) => r.item(id),
    invalidateFacets: () => r.invalidateFacets(),
  };
}

describe('QueueReads', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('the same handlers answer the same over a synchronous and an asynchronous store', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    writeFileSync(f, [rec('a', 'legal'), rec('b', 'safety'), rec('c', 'legal')].join('\n') + '\n');
    await ingest(t.ws, { path: f });
    const base = { ws: t.ws, taxonomy: () => DEFAULT_TAXONOMY } as unknown as HandlerContext;
    const sync = queueHandlers({ ...base, reads: sqliteQueueReads(t.ws, () => 'tester') });
    const async = queueHandlers({ ...base, reads: later(sqliteQueueReads(t.ws, () => 'tester')) });
    const call = <M extends 'queue.page' | 'queue.counts' | 'queue.facets' | 'item.get'>(h: typeof sync, m: M, input: ApiInput<M>) =>
      (h[m] as (i: unknown) => unknown)(contract[m as Method].parse(input));

    const page = call(sync, 'queue.page', { filter: { route: ['legal'] }, after: null, limit: 10 });
    expect(page).not.toBeInstanceOf(Promise);
    expect((page as { rows: unknown[] }).rows).toHaveLength(2);
    expect(await call(async, 'queue.page', { filter: { route: ['legal'] }, after: null, limit: 10 })).toEqual(page);
    expect(await call(async, 'queue.counts', { filter: {} })).toEqual(call(sync, 'queue.counts', { filter: {} }));
    expect(await call(async, 'queue.facets', {})).toEqual(call(sync, 'queue.facets', {}));
    const id = (page as { rows: { id: string }[] }).rows[0]!.id;
    expect(await call(async, 'item.get', { id })).toEqual(call(sync, 'item.get', { id }));
    // A missing item is the same refusal either way.
    expect(() => call(sync, 'item.get', { id: 'nope' })).toThrow(/no item nope/);
    await expect(call(async, 'item.get', { id: 'nope' })).rejects.toThrow(/no item nope/);
  });
});
