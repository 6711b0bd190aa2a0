/**
 * The audit log's own SQL (electron/core/audit/log.ts writes and verifies the log through these):
 * events, their stored leaf hashes, and the persisted right edge of the Merkle tree.
 */
import type Database from 'better-sqlite3';

export interface StoredEvent {
  seq: number;
  id: string;
  type: string;
  at: string;
  subject: string | null;
  body: string;
  leafHash: string;
}

/** The tree's right edge as stored: `size` events, perfect-subtree roots left to right (32 bytes each). */
export interface StoredFrontier {
  size: number;
  nodes: Buffer;
}

/** Prepared once per connection: the statements an append runs. */
export class AuditLogStatements {
  private readonly insertStmt: Database.Statement;
  private readonly countStmt: Database.Statement;
  private readonly afterStmt: Database.Statement;
  private frontierStmts: { get: Database.Statement; save: Database.Statement } | null | undefined;

  constructor(private readonly sqlite: Database.Database) {
    this.insertStmt = sqlite.prepare('INSERT INTO audit_events (seq, id, type, at, subject, body, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.countStmt = sqlite.prepare('SELECT coalesce(max(seq) + 1, 0) FROM audit_events').pluck();
    this.afterStmt = sqlite.prepare('SELECT leaf_hash FROM audit_events WHERE seq >= ? ORDER BY seq').pluck();
  }

  /** Null on a connection that cannot see the table (a read-only open of a workspace from before 0008). */
  private frontierTable(): { get: Database.Statement; save: Database.Statement } | null {
    if (this.frontierStmts === undefined) {
      const exists = this.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_frontier'").get();
      this.frontierStmts = exists
        ? {
            get: this.sqlite.prepare('SELECT size, nodes FROM audit_frontier WHERE id = 1'),
            save: this.sqlite.prepare(
              'INSERT INTO audit_frontier (id, size, nodes) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET size = excluded.size, nodes = excluded.nodes',
            ),
          }
        : null;
    }
    return this.frontierStmts;
  }

  insert(e: StoredEvent): void {
    this.insertStmt.run(e.seq, e.id, e.type, e.at, e.subject, e.body, e.leafHash);
  }

  /** Events in the log (its next seq). */
  count(): number {
    return this.countStmt.get() as number;
  }

  /** Stored leaf hashes (hex) from `seq` on, in log order. */
  leafHashesFrom(seq: number): IterableIterator<string> {
    return this.afterStmt.iterate(seq) as IterableIterator<string>;
  }

  /** The persisted right edge, or null (a workspace from before migration 0008 until its first append). */
  frontier(): StoredFrontier | null {
    return (this.frontierTable()?.get.get() as StoredFrontier | undefined) ?? null;
  }

  /** Saved in the transaction of the event that made it, so it rolls back with it. */
  saveFrontier(f: StoredFrontier): void {
    this.frontierTable()?.save.run(f.size, f.nodes);
  }
}

/** Stored leaf hashes (hex) of events with seq < `size`, in log order. */
export function leafHashesBelow(sqlite: Database.Database, size: number): IterableIterator<string> {
  return sqlite.prepare('SELECT leaf_hash FROM audit_events WHERE seq < ? ORDER BY seq').pluck().iterate(size) as IterableIterator<string>;
}

/** Every stored leaf hash (hex), in log order. */
export function allLeafHashes(sqlite: Database.Database): string[] {
  return sqlite.prepare('SELECT leaf_hash FROM audit_events ORDER BY seq').pluck().all() as string[];
}

/** Events from `seq` on, in log order, with their stored body and leaf hash. */
export function eventsFrom(sqlite: Database.Database, seq: number): IterableIterator<StoredEvent> {
  return sqlite
    .prepare('SELECT seq, id, type, at, subject, body, leaf_hash AS leafHash FROM audit_events WHERE seq >= ? ORDER BY seq')
    .iterate(seq) as IterableIterator<StoredEvent>;
}

/** The persisted right edge (verify compares it with the recomputed tree). */
export function storedFrontier(sqlite: Database.Database): StoredFrontier | null {
  return new AuditLogStatements(sqlite).frontier();
}
