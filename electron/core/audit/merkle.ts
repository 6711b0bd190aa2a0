import { createHash, hash } from 'node:crypto';
import type { TreeHead } from '../../shared/models/audit.ts';
export type { TreeHead };

/**
 * RFC 6962 / RFC 9162 Merkle tree (SHA-256). Leaf and node hashes carry
 * distinct one-byte prefixes so an interior node can never be passed off as a
 * leaf (second-preimage attack on the tree shape).
 */

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** One buffer and one-shot hash: refolding a million-leaf log spends most of its time here. */
const nodeInput = Buffer.alloc(65);

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== 32 || right.length !== 32) return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
  nodeInput[0] = 0x01;
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return hash('sha256', nodeInput, 'buffer');
}

/** MTH({}) = SHA-256 of the empty string (RFC 6962 section 2.1). */
export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}

/** MTH(D[n]) over already-computed leaf hashes. */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Buffer {
  return subtreeRoot(hashes, 0, hashes.length);
}

/** Audit path for leaf `index` (RFC 6962 PATH), ordered leaf-side first. */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number): Buffer[] {
  const n = leafHashes.length;
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) {
    throw new RangeError(`inclusionProof: index ${index} outside tree of size ${n}`);
  }
  // The RFC recursion emits the deepest sibling first; walking top-down and
  // reversing keeps it iterative without changing the order.
  const path: Buffer[] = [];
  let start = 0;
  let end = n;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (index < start + k) {
      path.push(subtreeRoot(leafHashes, start + k, end));
      end = start + k;
    } else {
      path.push(subtreeRoot(leafHashes, start, start + k));
      start += k;
    }
  }
  return path.reverse();
}

/** Consistency proof from the first `oldSize` leaves to all of them (RFC 6962 PROOF). */
export function consistencyProof(leafHashes: readonly Uint8Array[], oldSize: number): Buffer[] {
  const n = leafHashes.length;
  if (!Number.isSafeInteger(oldSize) || oldSize < 0 || oldSize > n) {
    throw new RangeError(`consistencyProof: oldSize ${oldSize} outside 0..${n}`);
  }
  if (oldSize === 0 || oldSize === n) return [];
  const proof: Buffer[] = [];
  let start = 0;
  let end = n;
  // `complete` is SUBPROOF's b flag: true while the old tree is still a
  // left-aligned prefix whose root the verifier already knows.
  let complete = true;
  while (oldSize !== end) {
    const k = largestPowerOfTwoBelow(end - start);
    if (oldSize - start <= k) {
      proof.push(subtreeRoot(leafHashes, start + k, end));
      end = start + k;
    } else {
      proof.push(subtreeRoot(leafHashes, start, start + k));
      start += k;
      complete = false;
    }
  }
  if (!complete) proof.push(subtreeRoot(leafHashes, start, end));
  return proof.reverse();
}

/** RFC 9162 section 2.1.3.2. */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isSize(index) || !isSize(size) || index >= size) return false;
  if (!isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(r, root);
}

/**
 * RFC 9162 section 2.1.4.2, with the trivial cases handled the way
 * transparency-dev/merkle does. Deliberate difference: an old size of 0 only
 * verifies if oldRoot really is the empty-tree hash, so a forged "empty" head
 * cannot be smuggled in.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isSize(oldSize) || !isSize(newSize) || newSize < oldSize) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false;
  if (oldSize === newSize) return proof.length === 0 && equal(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0 && equal(oldRoot, emptyRoot());
  if (proof.length === 0) return false;

  // A power-of-two old tree is itself a node of the new tree, so the log
  // omits it and the verifier seeds the walk with the root it already has.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0] as Uint8Array;
  let sr: Uint8Array = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(fr, oldRoot) && equal(sr, newRoot);
}

/**
 * MTH(D[start:end]) in O(end - start) hashes and O(log n) memory: fold
 * perfect subtrees left to right like a binary counter, then join the
 * remaining peaks right to left. This yields exactly RFC 6962's
 * "largest power of two" split without recursion or array slicing.
 */
function subtreeRoot(hashes: readonly Uint8Array[], start: number, end: number): Buffer {
  if (start === end) return emptyRoot();
  // Copy so a caller mutating a returned root/proof cannot corrupt its leaves.
  if (end - start === 1) return Buffer.from(leafAt(hashes, start));
  const peaks: Uint8Array[] = [];
  for (let i = start; i < end; i++) {
    let node = leafAt(hashes, i);
    for (let count = i - start + 1; count % 2 === 0; count /= 2) {
      node = nodeHash(peaks.pop() as Uint8Array, node);
    }
    peaks.push(node);
  }
  let root = peaks.pop() as Uint8Array;
  while (peaks.length > 0) root = nodeHash(peaks.pop() as Uint8Array, root);
  // With two or more leaves the final root is always a freshly hashed node.
  return root as Buffer;
}

function leafAt(hashes: readonly Uint8Array[], i: number): Uint8Array {
  const h = hashes[i];
  if (h === undefined || !isHash(h)) {
    throw new TypeError(`merkle: leaf hash ${i} is not a ${HASH_SIZE}-byte hash`);
  }
  return h;
}

// Sizes are plain numbers (safe up to 2^53); arithmetic rather than bitwise
// operators because JS bit ops truncate to 32 bits.
function half(x: number): number {
  return Math.floor(x / 2);
}

function isOdd(x: number): boolean {
  return x % 2 === 1;
}

function isPowerOfTwo(x: number): boolean {
  while (x > 1 && !isOdd(x)) x = half(x);
  return x === 1;
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isSize(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}

function isHash(h: Uint8Array): boolean {
  return h instanceof Uint8Array && h.length === HASH_SIZE;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}
