/** Search by request, trace, conversation and response id; an id-shaped query matches exactly. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { filteredStatusCounts, idSearch, queuePage } from '../../db/queries/items.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { indexAll } from '../../electron/core/search/fts.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const rec = (id: string, provenance: Record<string, string>, output = `answer ${id}`) =>
  JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `q ${id}`, output, provenance });

describe('id search', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('knows an id when it sees one', () => {
    expect(idSearch('req-7f3a-91')).toBe('req-7f3a-91');
    expect(idSearch('  esc_0042 ')).toBe('esc_0042');
    expect(idSearch('0194c1de-8f1a-7c3b-9d2e-4f5a6b7c8d9e')).toBe('0194c1de-8f1a-7c3b-9d2e-4f5a6b7c8d9e');
    expect(idSearch('password reset')).toBeNull();
    expect(idSearch('refund')).toBeNull();
    expect(idSearch('-lead')).toBeNull();
  });

  it('finds items by request, trace and conversation id, and a hyphenated id matches only itself', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    writeFileSync(
      f,
      [
        rec('esc-1', { request_id: 'req-7f3a-91', trace_id: 'trace-aa11', 'gen_ai.conversation.id': 'conv-42' }),
        // The same words in another order, and as text: word search finds both, id search neither.
        rec('esc-2', { request_id: 'req-91-7f3a', trace_id: 'trace-bb22' }, 'see req 7f3a 91 and conv 42'),
        rec('esc-3', { request_id: 'req-7f3a-910', 'gen_ai.response.id': 'resp-9' }),
      ].join('\n') + '\n',
    );
    await ingest(t.ws, { path: f });
    await indexAll(t.ws.sqlite, { path: t.path });
    const found = (search: string) => queuePage(t.ws.sqlite, { search }, null, 50).rows.map((r) => r.externalId).sort();
    expect(found('req-7f3a-91')).toEqual(['esc-1']);
    expect(found('trace-bb22')).toEqual(['esc-2']);
    expect(found('conv-42')).toEqual(['esc-1']);
    expect(found('resp-9')).toEqual(['esc-3']);
    expect(found('esc-2')).toEqual(['esc-2']);
    // A prefix of an id is not that id: no item carries it, so its words are searched (all three hold them).
    expect(found('req-7f3a')).toEqual(['esc-1', 'esc-2', 'esc-3']);
    // Word search still finds text (prefix on the last word).
    expect(found('req 7f3a')).toEqual(['esc-1', 'esc-2', 'esc-3']);
    // The item's own id, too.
    const id = queuePage(t.ws.sqlite, { search: 'esc-3' }, null, 1).rows[0]!.id;
    expect(found(id)).toEqual(['esc-3']);
    // Counts follow the same rule.
    expect(Object.values(filteredStatusCounts(t.ws.sqlite, { search: 'req-7f3a-91' }).counts).reduce((a, b) => a + b, 0)).toBe(1);
  });
});
