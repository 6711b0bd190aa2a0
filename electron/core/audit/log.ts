/**
 * The append-only audit log stored in `audit_events`. Each event is canonical JSON that names
 * the tree head before it (`prev`), so any edit, removal or reordering breaks the chain; a
 * rewrite that recomputes every hash is caught against a head saved earlier.
 */
import type Database from 'better-sqlite3';
import { allLeafHashes, AuditLogStatements, eventsFrom, leafHashesBelow, storedFrontier, type StoredFrontier } from '../../../db/queries/audit-log.ts';
import { canonicalJson } from './canonical.ts';
import { consistencyProof, emptyRoot, inclusionProof, leafHash, nodeHash, type TreeHead } from './merkle.ts';
import { newId, nowIso } from '../util/ids.ts';

export type { TreeHead };

export interface AuditEventBody {
  v: 1;
  seq: number;
  id: string;
  type: string;
  at: string;
  actor: string;
  subject: string | null;
  data: Record<string, unknown>;
  prev: TreeHead;
}

export interface AppendOptions {
  actor?: string;
  subject?: string | null;
  at?: string;
}

export interface AppendedEvent {
  seq: number;
  id: string;
  leafHash: string;
}

/** The perfect-subtree roots of the first `size` leaves, as plain data (crosses threads). */
export interface FrontierState {
  size: number;
  nodes: { hash: Uint8Array; size: number }[];
}

/** Perfect-subtree roots of the tree so far (left to right, sizes decreasing): append and root are O(log n). */
export class Frontier {
  nodes: { hash: Buffer; size: number }[] = [];
  size = 0;

  static from(state: FrontierState): Frontier {
    const f = new Frontier();
    f.size = state.size;
    f.nodes = state.nodes.map((n) => ({ hash: Buffer.from(n.hash), size: n.size }));
    return f;
  }

  /**
   * From the stored right edge: its nodes are the perfect subtrees of `size` leaves, largest
   * first, so their sizes are the set bits of `size`. Null if the blob does not fit that shape.
   */
  static fromStored(stored: StoredFrontier): Frontier | null {
    const sizes: number[] = [];
    for (let bit = 2 ** 52; bit >= 1; bit /= 2) if (Math.floor(stored.size / bit) % 2 === 1) sizes.push(bit);
    if (!Number.isSafeInteger(stored.size) || stored.size < 0 || stored.nodes.length !== sizes.length * 32) return null;
    const f = new Frontier();
    f.size = stored.size;
    f.nodes = sizes.map((size, i) => ({ hash: Buffer.from(stored.nodes.subarray(i * 32, i * 32 + 32)), size }));
    return f;
  }

  stored(): StoredFrontier {
    return { size: this.size, nodes: Buffer.concat(this.nodes.map((n) => n.hash)) };
  }

  state(): FrontierState {
    return { size: this.size, nodes: this.nodes.map((n) => ({ hash: new Uint8Array(n.hash), size: n.size })) };
  }

  push(leaf: Buffer): void {
    let node = { hash: leaf, size: 1 };
    let top = this.nodes[this.nodes.length - 1];
    while (top && top.size === node.size) {
      this.nodes.pop();
      node = { hash: nodeHash(top.hash, node.hash), size: top.size * 2 };
      top = this.nodes[this.nodes.length - 1];
    }
    this.nodes.push(node);
    this.size++;
  }

  root(): Buffer {
    if (this.nodes.length === 0) return emptyRoot();
    let acc = this.nodes[this.nodes.length - 1]!.hash;
    for (let i = this.nodes.length - 2; i >= 0; i--) acc = nodeHash(this.nodes[i]!.hash, acc);
    return acc;
  }

  head(): TreeHead {
    return { size: this.size, root: this.root().toString('hex') };
  }
}

export type VerifyResult =
  | { ok: true; head: TreeHead }
  | { ok: false; head: TreeHead; badSeq: number | null; reason: string };

export class AuditLog {
  private frontier: Frontier | null = null;
  private readonly stmts: AuditLogStatements;

  constructor(private readonly sqlite: Database.Database) {
    this.stmts = new AuditLogStatements(sqlite);
  }

  /**
   * Appends an event. Must run inside the caller's transaction so the state change and its
   * event commit together; the tree's right edge is saved in the same transaction, so a
   * rollback takes it back too.
   */
  append(type: string, data: Record<string, unknown>, options: AppendOptions = {}): AppendedEvent {
    if (!this.sqlite.inTransaction) throw new Error(`audit event ${type} must be appended inside a transaction`);
    const frontier = this.currentFrontier();
    const body: AuditEventBody = {
      v: 1,
      seq: frontier.size,
      id: newId(),
      type,
      at: options.at ?? nowIso(),
      actor: options.actor ?? 'system',
      subject: options.subject ?? null,
      data,
      prev: frontier.head(),
    };
    const text = canonicalJson(body);
    const leaf = leafHash(Buffer.from(text, 'utf8'));
    const hex = leaf.toString('hex');
    this.stmts.insert({ seq: body.seq, id: body.id, type, at: body.at, subject: body.subject, body: text, leafHash: hex });
    frontier.push(leaf);
    this.stmts.saveFrontier(frontier.stored());
    return { seq: body.seq, id: body.id, leafHash: hex };
  }

  head(): TreeHead {
    return this.currentFrontier().head();
  }

  /**
   * The tree's right edge for the log as it is now, O(log n) plus the events appended since it
   * was last seen: this connection's cached edge, else the one saved by the last append (any
   * connection's), folding in only the leaves after it. Folding all leaves (seconds at a million
   * events) is left for a log without a saved edge: a workspace from before migration 0008.
   */
  private currentFrontier(): Frontier {
    const n = this.stmts.count();
    let f = this.frontier;
    if (!f || f.size > n) {
      // Nothing cached, or the cache is ahead of the table (its transaction was rolled back).
      const stored = this.stmts.frontier();
      f = stored && stored.size <= n ? Frontier.fromStored(stored) : null;
      f ??= new Frontier();
    }
    if (f.size < n) for (const h of this.stmts.leafHashesFrom(f.size)) f.push(Buffer.from(h, 'hex'));
    if (f.size !== n) {
      // Seqs with a gap (only a damaged log has them): the tree of what is stored.
      f = new Frontier();
      for (const h of this.stmts.leafHashesFrom(0)) f.push(Buffer.from(h, 'hex'));
    }
    this.frontier = f;
    return f;
  }

  leafHashes(): Buffer[] {
    return allLeafHashes(this.sqlite).map((h) => Buffer.from(h, 'hex'));
  }

  inclusionProof(seq: number): { head: TreeHead; leafHash: string; proof: string[] } {
    const leaves = this.leafHashes();
    if (seq < 0 || seq >= leaves.length) throw new RangeError(`no audit event ${seq} (log size ${leaves.length})`);
    return {
      head: this.head(),
      leafHash: leaves[seq]!.toString('hex'),
      proof: inclusionProof(leaves, seq).map((b) => b.toString('hex')),
    };
  }

  consistencyProof(oldSize: number): { head: TreeHead; proof: string[] } {
    const leaves = this.leafHashes();
    if (oldSize < 0 || oldSize > leaves.length)
      throw new RangeError(`cannot prove consistency from size ${oldSize}: the log has ${leaves.length} events`);
    return { head: this.head(), proof: consistencyProof(leaves, oldSize).map((b) => b.toString('hex')) };
  }

  /**
   * Recomputes every hash from the stored bodies and checks the chain. With `saved`, also
   * checks that the log still extends that head (catches truncation and full rewrites).
   */
  verify(saved?: TreeHead, options: { incremental?: boolean } = {}): VerifyResult {
    const f = new Frontier();
    let savedRoot: string | null = null;
    let expected = 0;
    if (saved && options.incremental) {
      // The events under the saved head were recomputed by the full verify that saved it: their
      // stored leaf hashes must still fold to its root; only the bodies after it are recomputed.
      for (const h of leafHashesBelow(this.sqlite, saved.size)) f.push(Buffer.from(h, 'hex'));
      if (f.size < saved.size)
        return { ok: false, head: f.head(), badSeq: f.size, reason: `the log has ${f.size} events but the saved head has ${saved.size}: events from ${f.size} on were removed` };
      if (f.root().toString('hex') !== saved.root)
        return { ok: false, head: f.head(), badSeq: null, reason: `the log does not extend the saved head (size ${saved.size}): it was rewritten` };
      savedRoot = saved.root;
      expected = saved.size;
    }
    const from = expected;
    const fail = (badSeq: number | null, reason: string): VerifyResult => ({
      ok: false,
      head: f.head(),
      badSeq,
      reason,
    });
    if (saved && saved.size === 0) savedRoot = emptyRoot().toString('hex');
    // The saved right edge must be the tree of its first `size` events: checked when the
    // recomputed tree reaches that size (a forged edge would make the next append chain wrong).
    const edge = storedFrontier(this.sqlite);
    const edgeOk = (): boolean => !edge || edge.size !== f.size || Buffer.compare(edge.nodes, f.stored().nodes) === 0;
    if (!edgeOk()) return fail(null, `the saved audit frontier (size ${edge!.size}) does not match the log's events`);
    for (const row of eventsFrom(this.sqlite, from)) {
      if (row.seq !== expected) return fail(expected, `event ${expected} is missing (next stored event is ${row.seq})`);
      let body: AuditEventBody;
      try {
        body = JSON.parse(row.body) as AuditEventBody;
      } catch {
        return fail(row.seq, `event ${row.seq} is not valid JSON`);
      }
      let canonical: string;
      try {
        canonical = canonicalJson(body);
      } catch (err) {
        return fail(row.seq, `event ${row.seq} cannot be canonicalized: ${(err as Error).message}`);
      }
      if (canonical !== row.body) return fail(row.seq, `event ${row.seq} is not in canonical form (edited)`);
      const leaf = leafHash(Buffer.from(row.body, 'utf8'));
      if (leaf.toString('hex') !== row.leafHash) return fail(row.seq, `event ${row.seq} does not match its leaf hash`);
      if (body.seq !== row.seq || body.id !== row.id || body.type !== row.type || body.at !== row.at)
        return fail(row.seq, `event ${row.seq} columns disagree with its signed body (moved or edited)`);
      if ((body.subject ?? null) !== row.subject) return fail(row.seq, `event ${row.seq} subject was edited`);
      const head = f.head();
      if (!body.prev || body.prev.size !== head.size || body.prev.root !== head.root)
        return fail(row.seq, `event ${row.seq} does not chain to the log before it (reordered, removed or rewritten)`);
      f.push(leaf);
      expected++;
      if (saved && f.size === saved.size) savedRoot = f.root().toString('hex');
      if (!edgeOk()) return fail(null, `the saved audit frontier (size ${edge!.size}) does not match the log's events`);
    }
    if (edge && edge.size > f.size) return fail(f.size, `the saved audit frontier counts ${edge.size} events but the log has ${f.size}: events were removed`);
    if (saved) {
      if (f.size < saved.size)
        return fail(
          f.size,
          `the log has ${f.size} events but the saved head has ${saved.size}: events from ${f.size} on were removed`,
        );
      if (savedRoot !== saved.root)
        return fail(null, `the log does not extend the saved head (size ${saved.size}): it was rewritten`);
    }
    return { ok: true, head: f.head() };
  }
}
