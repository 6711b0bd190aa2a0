/**
 * The streamed inclusion proof agrees with the audit log's own (AuditLog.inclusionProof, which
 * loads every leaf), from scratch or continuing from peaks computed in a worker thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inclusionProof, rootFromLeafHashes } from '../../electron/core/audit/merkle.ts';
import { peaksOf, proveLastLeaf } from '../../electron/core/export/audit-proof.ts';
import { peaksInWorker } from '../../electron/core/export/pool.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

describe('streamed audit proofs', () => {
  const t = tempWorkspace();
  beforeAll(() => {
    t.ws.sqlite.transaction(() => {
      for (let i = 0; i < 300; i++) t.ws.audit.append('test.event', { i });
    })();
  });
  afterAll(() => t.cleanup());

  it('matches the in-memory RFC 6962 proof for the last leaf of every tree size', () => {
    const leaves = t.ws.audit.leafHashes();
    for (const seq of [0, 1, 2, 3, 6, 7, 8, 63, 64, 65, 100, 255, 256, 299]) {
      const p = proveLastLeaf(t.ws.sqlite, seq, [0, Math.floor(seq / 2)]);
      const tree = leaves.slice(0, seq + 1);
      expect(p.head).toEqual({ size: seq + 1, root: rootFromLeafHashes(tree).toString('hex') });
      expect(p.leafHash).toBe(leaves[seq]!.toString('hex'));
      expect(p.proof).toEqual(inclusionProof(tree, seq).map((b) => b.toString('hex')));
      expect(p.heads[Math.floor(seq / 2)]!.root).toBe(rootFromLeafHashes(leaves.slice(0, Math.floor(seq / 2))).toString('hex'));
    }
    expect(proveLastLeaf(t.ws.sqlite, 299)).toMatchObject({ proof: t.ws.audit.inclusionProof(299).proof, head: t.ws.audit.head() });
  });

  it('continues from peaks computed here or in a worker thread, with the same result', async () => {
    const whole = proveLastLeaf(t.ws.sqlite, 299, [150, 299]);
    for (const k of [1, 150, 256, 299]) {
      const fromPeaks = proveLastLeaf(t.ws.sqlite, 299, [150, 299].filter((x) => x >= k), peaksOf(t.ws.sqlite, k));
      expect(fromPeaks.proof).toEqual(whole.proof);
      expect(fromPeaks.head).toEqual(whole.head);
      expect(fromPeaks.heads[299]).toEqual(whole.heads[299]);
    }
    const w = peaksInWorker(t.path, 150);
    const state = await w.result;
    expect(state).not.toBeNull();
    expect(state!.size).toBe(150);
    const viaWorker = proveLastLeaf(t.ws.sqlite, 299, [150], state!);
    expect(viaWorker.proof).toEqual(whole.proof);
    expect(viaWorker.heads[150]).toEqual(whole.heads[150]);
    // The head before leaf 299 is what the audit log recorded as `prev` when appending it.
    const body = JSON.parse(t.ws.sqlite.prepare('SELECT body FROM audit_events WHERE seq = 299').pluck().get() as string);
    expect(whole.heads[299]).toEqual(body.prev);
  });
});

describe('streamed audit proofs across read chunks', () => {
  // Leaf hashes are read 4,096 at a time: proofs and peaks must not care where a chunk ends.
  const t = tempWorkspace();
  const size = 4096 * 2 + 5;
  beforeAll(() => {
    t.ws.sqlite.transaction(() => {
      for (let i = 0; i < size; i++) t.ws.audit.append('test.event', { i });
    })();
  });
  afterAll(() => t.cleanup());

  it('proves leaves on either side of a chunk boundary, from scratch and from peaks', () => {
    const leaves = t.ws.audit.leafHashes();
    for (const seq of [4095, 4096, 4097, 8191, 8192, size - 1]) {
      const tree = leaves.slice(0, seq + 1);
      const p = proveLastLeaf(t.ws.sqlite, seq, [4096]);
      expect(p.head).toEqual({ size: seq + 1, root: rootFromLeafHashes(tree).toString('hex') });
      expect(p.proof).toEqual(inclusionProof(tree, seq).map((b) => b.toString('hex')));
      expect(p.heads[4096]!.root).toBe(rootFromLeafHashes(leaves.slice(0, 4096)).toString('hex'));
      for (const k of [1, 4095, 4096, 4097].filter((x) => x <= seq)) {
        expect(proveLastLeaf(t.ws.sqlite, seq, [], peaksOf(t.ws.sqlite, k)).proof).toEqual(p.proof);
      }
    }
  });
});
