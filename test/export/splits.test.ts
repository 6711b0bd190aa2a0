/**
 * Splits: deterministic for a seed, close to the requested ratios on 2,312 items, and never
 * cutting a conversation (items share conversation ids, else request ids) across two splits.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset, groupKey, splitFor, splitPosition } from '../../electron/core/export/index.ts';
import type { EscalationRecordInput } from '../../electron/core/record/schema.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { HH_RLHF, tempWorkspace } from '../helpers/workspace.ts';
import { ingestRecords, itemsOf, readItemsJsonl, record, reviewAll } from './helpers.ts';

const N = 2312;

/** ~3 items per conversation; every 10th item has only a request id (shared by pairs), every 25th nothing. */
function rec(i: number): EscalationRecordInput {
  const provenance: Record<string, string> =
    i % 25 === 0 ? {} : i % 10 === 0 ? { request_id: `req-${Math.floor(i / 20)}` } : { 'gen_ai.conversation.id': `conv-${i % 771}` };
  return record(`s${i}`, { provenance });
}

describe('train / validation / test splits', () => {
  const t = tempWorkspace();
  let groupOf: Map<string, string>;
  beforeAll(async () => {
    await ingestRecords(t.ws, t.dir, Array.from({ length: N }, (_, i) => rec(i)));
    reviewAll(t.ws, (item) => ({ itemId: item.id, decision: 'violation', reviewer: 'r' }));
    groupOf = new Map(
      itemsOf(t.ws).map((it) => [it.id, groupKey(it.record.provenance['gen_ai.conversation.id'], it.record.provenance.request_id, it.externalId)]),
    );
  }, 120_000);
  afterAll(() => t.cleanup());

  const assignment = (dir: string) => new Map(readItemsJsonl(dir).map((r) => [r.item_id, r.split]));

  it('ratios are respected within a few percent and no conversation or request straddles two splits', async () => {
    const out = join(t.dir, 'seed7');
    const s = await exportDataset(t.ws, { format: 'classifier', out, outputs: ['jsonl'], seed: 7 });
    expect(s.rows).toBe(N);
    const a = assignment(out);
    expect(a.size).toBe(N);
    const frac = (name: string) => [...a.values()].filter((x) => x === name).length / N;
    expect(Math.abs(frac('train') - 0.8)).toBeLessThan(0.05);
    expect(Math.abs(frac('validation') - 0.1)).toBeLessThan(0.04);
    expect(Math.abs(frac('test') - 0.1)).toBeLessThan(0.04);
    expect(s.perSplit.train + s.perSplit.validation + s.perSplit.test).toBe(N);
    const splitOfGroup = new Map<string, string>();
    let shared = 0;
    for (const [item, split] of a) {
      const g = groupOf.get(item)!;
      const seen = splitOfGroup.get(g);
      if (seen === undefined) splitOfGroup.set(g, split);
      else {
        shared++;
        expect(split, `group ${g}`).toBe(seen);
      }
    }
    expect(shared).toBeGreaterThan(1000);
    expect([...splitOfGroup.keys()].some((g) => g.startsWith('req:'))).toBe(true);
    expect([...splitOfGroup.keys()].some((g) => g.startsWith('rec:'))).toBe(true);
  });

  it('the same seed gives the same assignment; another seed a different one; other ratios are honoured', async () => {
    const a = join(t.dir, 'a');
    const b = join(t.dir, 'b');
    const c = join(t.dir, 'c');
    const d = join(t.dir, 'd');
    await exportDataset(t.ws, { format: 'classifier', out: a, outputs: ['jsonl'], seed: 42 });
    await exportDataset(t.ws, { format: 'classifier', out: b, outputs: ['jsonl'], seed: 42 });
    await exportDataset(t.ws, { format: 'classifier', out: c, outputs: ['jsonl'], seed: 43 });
    const s = await exportDataset(t.ws, { format: 'classifier', out: d, outputs: ['jsonl'], seed: 42, split: { train: 0.5, validation: 0, test: 0.5 } });
    const first = assignment(a);
    expect(assignment(b)).toEqual(first);
    const moved = [...assignment(c)].filter(([k, v]) => first.get(k) !== v).length;
    expect(moved).toBeGreaterThan(200);
    expect(s.perSplit.validation).toBe(0);
    expect(Math.abs(s.perSplit.train / N - 0.5)).toBeLessThan(0.06);
  });

  it('the position is SHA-256(seed ‖ NUL ‖ group) read as a 48-bit fraction (reproducible outside Verdict)', () => {
    const h = createHash('sha256').update('42\u0000conv:abc').digest();
    expect(splitPosition(42, 'conv:abc')).toBe(parseInt(h.subarray(0, 6).toString('hex'), 16) / 2 ** 48);
    expect(groupKey('c1', 'r1', 'i1')).toBe('conv:c1');
    expect(groupKey(undefined, 'r1', 'i1')).toBe('req:r1');
    expect(groupKey('', null, 'i1')).toBe('rec:i1');
    const r = { train: 0.8, validation: 0.1, test: 0.1 };
    expect(splitFor(1, 'conv:x', r)).toBe(splitFor(1, 'conv:x', r));
    // A zero ratio never receives a row.
    for (let i = 0; i < 2000; i++) expect(splitFor(i, `g${i}`, { train: 1, validation: 0, test: 0 })).toBe('train');
  });
});

describe('stable splits across workspaces', () => {
  it('the same HH file at two paths, in two fresh workspaces, with the same decisions and seed: byte-identical data files', async () => {
    const dirs: string[] = [];
    const runs = [tempWorkspace(), tempWorkspace()];
    try {
      for (const [k, t] of runs.entries()) {
        // Different folders and file names: nothing of the path may reach the split.
        const src = join(t.dir, `copy-${k}`, k ? 'hh.jsonl.gz' : 'harmless-test.jsonl.gz');
        mkdirSync(dirname(src), { recursive: true });
        copyFileSync(HH_RLHF, src);
        await ingest(t.ws, { path: src, preset: 'hh-rlhf' });
        // The same decision for the same record (keyed by its own id), whatever the workspace's ids.
        reviewAll(t.ws, (item) => {
          const h = createHash('sha256').update(item.externalId).digest()[0]!;
          if (h % 5 === 0) return null;
          return { itemId: item.id, decision: 'violation', correction: `safer reply ${h}`, labels: ['S1'], reviewer: 'r' };
        });
        const out = join(t.dir, 'out');
        await exportDataset(t.ws, { format: 'trl-dpo', out, outputs: ['jsonl', 'parquet'], seed: 7, redact: false, threads: 0 });
        dirs.push(out);
      }
      const files = (d: string) => readdirSync(join(d, 'data')).sort();
      expect(files(dirs[0]!)).toEqual(files(dirs[1]!));
      expect(files(dirs[0]!).filter((f) => f.startsWith('test-')).length).toBeGreaterThan(0);
      for (const f of files(dirs[0]!)) {
        expect(Buffer.compare(readFileSync(join(dirs[0]!, 'data', f)), readFileSync(join(dirs[1]!, 'data', f))), f).toBe(0);
      }
    } finally {
      for (const t of runs) t.cleanup();
    }
  }, 180_000);
});
