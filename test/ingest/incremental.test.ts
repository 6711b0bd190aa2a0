import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const rec = (id: string, text = `output of ${id}`) =>
  JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `question ${id}`, output: text });
const lines = (ids: string[]) => ids.map((i) => rec(i)).join('\n') + '\n';

describe('incremental pulls', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('takes only appended lines, then only new files of a folder', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const folder = join(t.dir, 'queue');
    mkdirSync(folder);
    const f1 = join(folder, '001.jsonl');
    writeFileSync(f1, lines(['a', 'b', 'c']));
    expect(await ingest(t.ws, { path: folder })).toMatchObject({ read: 3, ingested: 3 });
    appendFileSync(f1, lines(['d', 'e']));
    expect(await ingest(t.ws, { path: folder })).toMatchObject({ read: 2, ingested: 2, duplicates: 0 });
    writeFileSync(join(folder, '002.jsonl.gz'), gzipSync(lines(['f', 'g'])));
    writeFileSync(join(folder, 'notes.txt'), 'not a queue file');
    expect(await ingest(t.ws, { path: folder })).toMatchObject({ read: 2, ingested: 2, skippedFiles: 1 });
    expect(await ingest(t.ws, { path: folder })).toMatchObject({ read: 0, skippedFiles: 2 });
    expect(t.ws.sqlite.prepare('SELECT count(*) FROM items').pluck().get()).toBe(7);
    // Batch boundaries of a later pull continue the line numbering.
    appendFileSync(f1, 'oops\n');
    await ingest(t.ws, { path: folder });
    expect(t.ws.sqlite.prepare('SELECT line FROM quarantine').pluck().get()).toBe(6);
  });

  it('detects a file rewritten in place instead of half re-reading it', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    writeFileSync(f, lines(['a', 'b', 'c', 'd']));
    await ingest(t.ws, { path: f });
    // Same length prefix, different content: a and b unchanged, c changed, e new.
    writeFileSync(f, [rec('a'), rec('b'), rec('c', 'changed output'), rec('e')].join('\n') + '\n');
    const s = await ingest(t.ws, { path: f });
    expect(s.rewrittenFiles).toEqual([f]);
    expect(s).toMatchObject({ read: 4, ingested: 1, duplicates: 2, revisions: 1 });
    // A truncated file is a rewrite too.
    writeFileSync(f, lines(['a']));
    expect(await ingest(t.ws, { path: f })).toMatchObject({ read: 1, duplicates: 1, rewrittenFiles: [f] });
  });

  it('leaves an unterminated last line that is still being written for the next pull', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    const full = rec('b');
    writeFileSync(f, rec('a') + '\n' + full.slice(0, 20));
    expect(await ingest(t.ws, { path: f })).toMatchObject({ read: 1, ingested: 1, pendingPartialLines: 1, quarantined: 0 });
    appendFileSync(f, full.slice(20) + '\n');
    expect(await ingest(t.ws, { path: f })).toMatchObject({ read: 1, ingested: 1, quarantined: 0 });
    // A complete last line without a newline is ingested.
    appendFileSync(f, rec('c'));
    expect(await ingest(t.ws, { path: f })).toMatchObject({ read: 1, ingested: 1 });
  });

  it('reads stdin and foreign JSONL through a mapping file', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const s = await ingest(t.ws, { path: '-', stream: Readable.from([lines(['x', 'y']), rec('x')]), name: 'pipe' });
    expect(s).toMatchObject({ read: 3, ingested: 2, duplicates: 1 });

    const mapping = join(t.dir, 'mapping.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        fields: { id: '/uid', created_at: '/meta/ts', input: '/prompt', output: '/completion', metadata: '/meta' },
        defaults: { route: 'clinical', priority: 'high' },
      }),
    );
    const foreign = join(t.dir, 'foreign.jsonl');
    writeFileSync(
      foreign,
      [
        { uid: 1, prompt: 'dose?', completion: 'take 40 pills', meta: { ts: '2026-11-02T00:00:00Z' } },
        { uid: 2, prompt: 'no timestamp', completion: 'x', meta: {} },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    const m = await ingest(t.ws, { path: foreign, mappingFile: mapping });
    expect(m).toMatchObject({ read: 2, ingested: 1, quarantined: 1 });
    const q = t.ws.sqlite.prepare('SELECT json_path FROM quarantine').pluck().get();
    expect(q).toBe('$.created_at');
    const item = t.ws.sqlite.prepare("SELECT route, priority FROM items WHERE external_id = '1'").get();
    expect(item).toEqual({ route: 'clinical', priority: 1 });
    // The mapping is remembered by the source: a later pull needs no flag.
    appendFileSync(foreign, '\n' + JSON.stringify({ uid: 3, prompt: 'p', completion: 'c', meta: { ts: '2026-11-03T00:00:00Z' } }) + '\n');
    expect(await ingest(t.ws, { path: foreign })).toMatchObject({ ingested: 1, quarantined: 0 });
  });
});
