/**
 * The append-only audit log stored in `audit_events`. Each event is canonical JSON that names
 * the tree head before it (`prev`), so any edit, removal or reordering breaks the chain; a
 * rewrite that recomputes every hash is caught against a head saved earlier.
 */
import type Database from 'better-sqlite3';
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
  private readonly insert: Database.Statement;
  private readonly count: Database.Statement;
  private readonly after: Database.Statement;

  constructor(private readonly sqlite: Database.Database) {
    this.insert = sqlite.prepare(
      'INSERT INTO audit_events (seq, id, type, at, subject, body, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.count = sqlite.prepare('SELECT coalesce(max(seq) + 1, 0) FROM audit_events').pluck();
    this.after = sqlite.prepare('SELECT leaf_hash FROM audit_events WHERE seq >= ? ORDER BY seq').pluck();
  }

  /**
   * Appends an event. Must run inside the caller's transaction so the state change and its
   * event commit together; after a rollback the cached frontier is rebuilt from the table.
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
    this.insert.run(body.seq, body.id, type, body.at, body.subject, text, hex);
    frontier.push(leaf);
    return { seq: body.seq, id: body.id, leafHash: hex };
  }

  head(): TreeHead {
    return this.currentFrontier().head();
  }

  private currentFrontier(): Frontier {
    const n = this.count.get() as number;
    if (this.frontier && this.frontier.size < n) {
      // Another connection (the CLI's ingest, the app) appended since: fold in only its events.
      // Rebuilding from every leaf made each submit during a concurrent ingest cost a full scan.
      for (const h of this.after.iterate(this.frontier.size)) this.frontier.push(Buffer.from(h as string, 'hex'));
    }
    if (!this.frontier || this.frontier.size !== n) {
      const f = new Frontier();
      for (const h of this.sqlite.prepare('SELECT leaf_hash FROM audit_events ORDER BY seq').pluck().iterate()) {
        f.push(Buffer.from(h as string, 'hex'));
      }
      this.frontier = f;
    }
    return this.frontier;
  }

  leafHashes(): Buffer[] {
    return (this.sqlite.prepare('SELECT leaf_hash FROM audit_events ORDER BY seq').pluck().all() as string[]).map((h) =>
      Buffer.from(h, 'hex'),
    );
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
      for (const h of this.sqlite.prepare('SELECT leaf_hash FROM audit_events WHERE seq < ? ORDER BY seq').pluck().iterate(saved.size))
        f.push(Buffer.from(h as string, 'hex'));
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
    const rows = this.sqlite
      .prepare('SELECT seq, id, type, at, subject, body, leaf_hash AS leafHash FROM audit_events WHERE seq >= ? ORDER BY seq')
      .iterate(from) as IterableIterator<{
      seq: number;
      id: string;
      type: string;
      at: string;
      subject: string | null;
      body: string;
      leafHash: string;
    }>;
    for (const row of rows) {
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
    }
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
