/** .gz ingest progress counts uncompressed bytes against the gzip trailer's estimate. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { gzipSizeEstimate } from '../../electron/core/ingest/gzip-size.ts';
import { ingest, type IngestProgress } from '../../electron/core/ingest/ingest.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const records = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ id: `r${from + i}`, created_at: '2026-11-01T00:00:00Z', input: `question ${from + i} `.repeat(20), output: 'answer '.repeat(30) })).join('\n') + '\n';

describe('.gz ingest progress', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('estimates a single-member file exactly from ISIZE, and a non-gzip or tiny file by its size', () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const text = Buffer.from(records(0, 50));
    const gz = gzipSync(text);
    const f = join(t.dir, 'a.jsonl.gz');
    writeFileSync(f, gz);
    expect(gz.length).toBeLessThan(text.length / 4);
    expect(gzipSizeEstimate(f, gz.length)).toBe(text.length);
    const plain = join(t.dir, 'b.jsonl.gz');
    writeFileSync(plain, text);
    expect(gzipSizeEstimate(plain, text.length)).toBe(text.length);
  });

  it('reports uncompressed bytes and records; a multi-member file widens the estimate to what was read', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const a = Buffer.from(records(0, 300));
    const b = Buffer.from(records(300, 20));
    // Two members: the trailer tells only the last one's length, so the estimate is short.
    const gz = Buffer.concat([gzipSync(a), gzipSync(b)]);
    const f = join(t.dir, 'queue.jsonl.gz');
    writeFileSync(f, gz);
    expect(gzipSizeEstimate(f, gz.length)).toBe(b.length);
    const seen: IngestProgress[] = [];
    const summary = await ingest(t.ws, { path: f, batchSize: 50, onProgress: (p) => seen.push(p) });
    expect(summary).toMatchObject({ read: 320, ingested: 320 });
    const done = seen[seen.length - 1]!;
    expect(done).toMatchObject({ phase: 'done', read: 320, bytesDone: a.length + b.length, bytesTotal: a.length + b.length, totalEstimated: false });
    for (const p of seen) expect(p.bytesDone).toBeLessThanOrEqual(p.bytesTotal);
    const first = seen[0]!;
    expect(first.bytesDone).toBeGreaterThan(gz.length); // uncompressed terms, not the compressed size

    // Unchanged on the next pull: skipped, counted at its (trailer) estimate, done equals total.
    const again: IngestProgress[] = [];
    await ingest(t.ws, { path: f, onProgress: (p) => again.push(p) });
    const last = again[again.length - 1]!;
    expect(last.bytesDone).toBe(last.bytesTotal);
  });
});
