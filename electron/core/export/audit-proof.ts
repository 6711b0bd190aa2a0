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

/** Folds leaf hashes one chunk at a time and keeps what the proof of leaf `seq` needs. */
class LastLeafProver {
  private readonly peaks: Frontier;
  private readonly wanted: Set<number>;
  readonly heads: Record<number, TreeHead> = {};
  private proof: string[] = [];
  private leafHex = '';

  constructor(
    private readonly seq: number,
    alsoHeadsAt: number[],
    start?: PeaksState,
  ) {
    this.peaks = start ? Frontier.from(start) : new Frontier();
    if (this.peaks.size > seq) throw new Error(`cannot prove leaf ${seq} from peaks of ${this.peaks.size} leaves`);
    this.wanted = new Set(alsoHeadsAt);
    this.noteHead();
  }

  get size(): number {
    return this.peaks.size;
  }

  private noteHead(): void {
    if (this.wanted.has(this.peaks.size)) this.heads[this.peaks.size] = { size: this.peaks.size, root: this.peaks.root().toString('hex') };
  }

  push(from: number, hashes: Buffer): void {
    for (let i = 0; i < hashes.length; i += 32) {
      const leaf = hashes.subarray(i, i + 32);
      if (from + i / 32 === this.seq) {
        this.proof = this.peaks.nodes.map((n) => n.hash.toString('hex')).reverse();
        this.leafHex = leaf.toString('hex');
      }
      this.peaks.push(leaf);
      this.noteHead();
    }
  }

  result(): LeafProof {
    return { leafIndex: this.seq, leafHash: this.leafHex, head: { size: this.peaks.size, root: this.peaks.root().toString('hex') }, proof: this.proof, heads: this.heads };
  }
}

/**
 * Streams leaves 0..seq from the workspace (or from `start.size` on, given the peaks of the
 * leaves before): the proof for leaf `seq` in the tree of size seq+1, and the heads at
 * `alsoHeadsAt` sizes (each ≥ the start). Throws if a leaf is missing.
 */
export function proveLastLeaf(sqlite: Database.Database, seq: number, alsoHeadsAt: number[] = [], start?: PeaksState): LeafProof {
  const prover = new LastLeafProver(seq, alsoHeadsAt, start);
  for (const { from, hashes } of iterateLeafHashChunks(sqlite, seq + 1, prover.size)) prover.push(from, hashes);
  return prover.result();
}

/**
 * The same over leaf-hash chunks read from elsewhere (the team database): `chunks(from)` yields
 * leaves from..seq in order.
 */
export async function proveLastLeafFrom(
  chunks: (size: number, from: number) => AsyncIterable<{ from: number; hashes: Buffer }>,
  seq: number,
  alsoHeadsAt: number[] = [],
): Promise<LeafProof> {
  const prover = new LastLeafProver(seq, alsoHeadsAt);
  for await (const { from, hashes } of chunks(seq + 1, prover.size)) prover.push(from, hashes);
  return prover.result();
}
