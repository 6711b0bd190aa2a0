import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestDemo } from '../../electron/core/demo/ingest-demo.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { indexAll, pendingCount } from '../../electron/core/search/fts.ts';
import type { Workspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const TERMS = ['password', 'refund', 'ignore', 'dosage', 'card', 'email', 'lawsuit', 'pii', 'retrieved', 'esc', 'policy'];

function matches(ws: Workspace): Record<string, number[]> {
  const q = ws.sqlite.prepare('SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid').pluck();
  return Object.fromEntries(TERMS.map((t) => [t, q.all(`"${t}"*`) as number[]]));
}

/** Forgets the index, as if the items had just been ingested. */
function unindex(ws: Workspace): void {
  ws.sqlite.exec("INSERT INTO items_fts (items_fts) VALUES ('delete-all'); UPDATE meta SET value = '0' WHERE key = 'fts_watermark'");
}

describe('full-text indexing', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('indexes the same text through the reader thread as on the writing thread', async () => {
    const a = tempWorkspace();
    const b = tempWorkspace();
    cleanups.push(a.cleanup, b.cleanup);
    for (const t of [a, b]) await ingestDemo(t.ws, 1500, 11);
    const inline = matches(a.ws);
    expect(inline.password!.length).toBeGreaterThan(0);

    unindex(b.ws);
    // An item queued for re-indexing (as a new revision would) is handled after the backlog.
    b.ws.sqlite.exec('INSERT INTO fts_queue (item_seq) VALUES (5)');
    expect(pendingCount(b.ws.sqlite)).toBe(1500);
    const progress: number[] = [];
    await indexAll(b.ws.sqlite, { path: b.path, threadMin: 1, chunk: 400, onProgress: (n) => progress.push(n) });
    expect(pendingCount(b.ws.sqlite)).toBe(0);
    expect(progress.at(-1)).toBe(1501); // the backlog, then the queued item again
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(matches(b.ws)).toEqual(inline);
  });

  it('an exclusive index (the CLI) checkpoints on its own thread and hands checkpoints back after', async () => {
    const a = tempWorkspace();
    const b = tempWorkspace();
    cleanups.push(a.cleanup, b.cleanup);
    for (const t of [a, b]) await ingestDemo(t.ws, 1200, 5);
    unindex(b.ws);
    await indexAll(b.ws.sqlite, { path: b.path, threadMin: 1, chunk: 300, exclusive: true });
    expect(pendingCount(b.ws.sqlite)).toBe(0);
    expect(matches(b.ws)).toEqual(matches(a.ws));
    expect(b.ws.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    // Everything committed reached the database file: a full checkpoint finds nothing left to copy.
    const [ckpt] = b.ws.sqlite.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    expect(ckpt!.log).toBe(ckpt!.checkpointed);
  });

  it('falls back to indexing on the writing thread when the reader thread fails', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    await ingestDemo(t.ws, 300, 3);
    const before = matches(t.ws);
    unindex(t.ws);
    // The reader cannot open this path, so it fails at once.
    await indexAll(t.ws.sqlite, { path: join(t.dir, 'missing.sqlite'), threadMin: 1, chunk: 100 });
    expect(pendingCount(t.ws.sqlite)).toBe(0);
    expect(matches(t.ws)).toEqual(before);
  });

  it('replaces the indexed text of an item that gets a new revision', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'q.jsonl');
    const rec = (input: string) => JSON.stringify({ id: 'r1', created_at: '2026-11-01T00:00:00Z', input, output: 'ok' }) + '\n';
    writeFileSync(file, rec('quokka sighting'));
    await ingest(t.ws, { path: file });
    writeFileSync(file, rec('quokka sighting') + rec('wombat sighting'));
    expect(await ingest(t.ws, { path: file })).toMatchObject({ revisions: 1, searchable: true });
    const q = t.ws.sqlite.prepare('SELECT count(*) FROM items_fts WHERE items_fts MATCH ?').pluck();
    expect(q.get('wombat')).toBe(1);
    expect(q.get('quokka')).toBe(0);
  });
});
