/**
 * Tree heads and the inclusion proof of one leaf, computed by streaming the stored leaf hashes
 * once with O(log n) memory (the audit log may hold millions of events; AuditLog.inclusionProof
 * loads them all).
 *
 * The proof is for the tree whose last leaf is the event itself (size = seq + 1): RFC 6962's
 * PATH for the last leaf is the roots of the perfect subtrees to its left, smallest first.
 */
import type Database from 'better-sqlite3';
import { iterateLeafHashChunks } from '../../../db/queries/export.ts';
import { Frontier, type FrontierState } from '../audit/log.ts';
import type { TreeHead } from '../audit/merkle.ts';

/** The perfect-subtree roots of the first `size` leaves (what a worker hands back). */
export type PeaksState = FrontierState;

export interface LeafProof {
  leafIndex: number;
  leafHash: string;
  /** The head of the tree that ends with this leaf. */
  head: TreeHead;
  proof: string[];
  /** Heads at the extra sizes asked for (each ≤ leafIndex + 1), keyed by size. */
  heads: Record<number, TreeHead>;
}

/** The peaks of the first `size` stored leaves (one streaming pass); throws if a leaf is missing. */
export function peaksOf(sqlite: Database.Database, size: number): PeaksState {
  const peaks = new Frontier();
  for (const { hashes } of iterateLeafHashChunks(sqlite, size, 0)) {
    for (let i = 0; i < hashes.length; i += 32) peaks.push(hashes.subarray(i, i + 32));
  }
  return peaks.state();
}

/**
 * Streams leaves 0..seq from the workspace (or from `start.size` on, given the peaks of the
 * leaves before): the proof for leaf `seq` in the tree of size seq+1, and the heads at
 * `alsoHeadsAt` sizes (each ≥ the start). Throws if a leaf is missing.
 */
export function proveLastLeaf(sqlite: Database.Database, seq: number, alsoHeadsAt: number[] = [], start?: PeaksState): LeafProof {
  const peaks = start ? Frontier.from(start) : new Frontier();
  if (peaks.size > seq) throw new Error(`cannot prove leaf ${seq} from peaks of ${peaks.size} leaves`);
  const heads: Record<number, TreeHead> = {};
  const wanted = new Set(alsoHeadsAt);
  if (wanted.has(peaks.size)) heads[peaks.size] = { size: peaks.size, root: peaks.root().toString('hex') };
  let proof: string[] = [];
  let leafHex = '';
  for (const { from, hashes } of iterateLeafHashChunks(sqlite, seq + 1, peaks.size)) {
    for (let i = 0; i < hashes.length; i += 32) {
      const leaf = hashes.subarray(i, i + 32);
      if (from + i / 32 === seq) {
        proof = peaks.nodes.map((n) => n.hash.toString('hex')).reverse();
        leafHex = leaf.toString('hex');
      }
      peaks.push(leaf);
      if (wanted.has(peaks.size)) heads[peaks.size] = { size: peaks.size, root: peaks.root().toString('hex') };
    }
  }
  return { leafIndex: seq, leafHash: leafHex, head: { size: peaks.size, root: peaks.root().toString('hex') }, proof, heads };
}
