/**
 * Streaming: 50,000 items of ~2 KB exported as JSONL and Parquet in a child process whose heap
 * is capped well below the size of the data; progress is reported, and a cancelled export
 * leaves nothing behind (no files, no audit event).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset, type ExportProgress } from '../../electron/core/export/index.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { reviewAll } from './helpers.ts';

const N = 50_000;
const CHILD = new URL('./streaming-child.ts', import.meta.url).pathname;
const HEAP_CAP_MB = 128;

function text(i: number, words: number): string {
  const w = ['safety', 'review', 'model', 'answer', 'policy', 'context', 'user', 'request', 'detail', 'escalation'];
  let s = '';
  for (let k = 0; k < words; k++) s += `${w[(i * 7 + k * 3) % w.length]}${(i + k) % 97} `;
  return s;
}

describe('streaming export of 50,000 items', () => {
  const t = tempWorkspace();
  beforeAll(async () => {
    const file = join(t.dir, 'big.jsonl');
    const out = createWriteStream(file);
    for (let i = 0; i < N; i++) {
      const r = {
        id: `big-${i}`,
        created_at: '2026-10-01T00:00:00Z',
        input: { messages: [{ role: 'system', content: 'You are a careful assistant. '.repeat(8) }, { role: 'user', content: text(i, 90) }] },
        output: text(i + 1, 160),
        provenance: { 'gen_ai.conversation.id': `conv-${i % 20_000}` },
      };
      if (!out.write(`${JSON.stringify(r)}\n`)) await new Promise<void>((res) => out.once('drain', () => res()));
    }
    await new Promise<void>((res) => out.end(res));
    const s = await ingest(t.ws, { path: file, batchSize: 5000, workers: 0 });
    expect(s.ingested).toBe(N);
    reviewAll(t.ws, (item, i) => ({ itemId: item.id, decision: 'violation', correction: text(i + 2, 60), reviewer: 'bulk' }));
  }, 600_000);
  afterAll(() => t.cleanup());

  it(`keeps the heap bounded: a ${HEAP_CAP_MB} MB heap cap exports far more data than that`, () => {
    t.ws.close();
    const out = join(t.dir, 'out');
    const res = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, '--import', 'tsx', CHILD, t.path, out], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    expect(res.status, res.stderr).toBe(0);
    const r = JSON.parse(res.stdout.trim().split('\n').pop()!) as { rows: number; bytes: number; jsonlBytes: number; baselineMb: number; peakHeapMb: number; samples: number };
    expect(r.rows).toBe(N);
    expect(r.samples).toBeGreaterThan(5);
    // The JSONL alone is larger than the whole heap allowance; the heap grew by a fraction of it.
    expect(r.jsonlBytes / 1e6).toBeGreaterThan(HEAP_CAP_MB);
    expect(r.peakHeapMb - r.baselineMb).toBeLessThan(r.jsonlBytes / 1e6 / 2);
    console.log(`streaming: ${N} rows, ${(r.bytes / 1e6).toFixed(0)} MB written, heap ${r.baselineMb.toFixed(0)} → peak ${r.peakHeapMb.toFixed(0)} MB`);
  }, 600_000);

  it('reports progress and, when cancelled, removes the partial output and records nothing', async () => {
    const { openWorkspace } = await import('../../electron/core/workspace/open.ts');
    const ws = openWorkspace(t.path, { create: false });
    try {
      const before = ws.audit.head().size;
      const out = join(t.dir, 'cancelled');
      const abort = new AbortController();
      const seen: ExportProgress[] = [];
      const run = exportDataset(ws, {
        format: 'trl-dpo',
        out,
        signal: abort.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p.phase === 'writing' && p.done >= 5000) abort.abort();
        },
      });
      await expect(run).rejects.toThrow('export cancelled; the partial output was removed');
      expect(existsSync(out)).toBe(false);
      expect(ws.audit.head().size).toBe(before);
      const writing = seen.filter((p) => p.phase === 'writing');
      expect(writing.length).toBeGreaterThan(0);
      expect(writing.every((p) => p.total === N && p.done <= N && p.rows <= p.done)).toBe(true);
      expect(writing.at(-1)!.rowsPerSecond).toBeGreaterThan(0);
    } finally {
      ws.close();
    }
  }, 300_000);
});
