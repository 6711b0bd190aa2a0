/**
 * The item-side reads and writes a verdict makes (its row goes through verdicts.ts): prepared
 * once per ReviewService, since they run on every keypress-to-row trip.
 */
import type Database from 'better-sqlite3';
import type { ItemStatus } from './items.ts';

/** The parts of an item a verdict is checked and recorded against. */
export interface ReviewItem {
  seq: number;
  id: string;
  status: ItemStatus;
  revision: number;
  revisionId: string;
  route: string;
}

export class ReviewStatements {
  private readonly taxonomy: Database.Statement<[], string>;
  private readonly status: Database.Statement<[string, number]>;
  private readonly route: Database.Statement<[string, number]>;
  private readonly itemById: Database.Statement<[string], ReviewItem>;

  constructor(sqlite: Database.Database) {
    this.taxonomy = sqlite.prepare<[], string>("SELECT value FROM settings WHERE key = 'taxonomy'").pluck();
    this.status = sqlite.prepare<[string, number]>('UPDATE items SET status = ? WHERE seq = ?');
    this.route = sqlite.prepare<[string, number]>('UPDATE items SET route = ? WHERE seq = ?');
    this.itemById = sqlite.prepare<[string], ReviewItem>(
      `SELECT i.seq, i.id, i.status, i.revision, i.route, r.id AS revisionId
       FROM items i JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = i.revision WHERE i.id = ?`,
    );
  }

  /** The workspace taxonomy's JSON text, if one was set. */
  taxonomyJson(): string | undefined {
    return this.taxonomy.get();
  }

  setStatus(seq: number, status: ItemStatus): void {
    this.status.run(status, seq);
  }

  setRoute(seq: number, route: string): void {
    this.route.run(route, seq);
  }

  /** An item with its current revision's id, by item id. */
  item(itemId: string): ReviewItem | undefined {
    // Prepared once: compiling it per verdict was a fifth of `verdicts import`'s CPU.
    return this.itemById.get(itemId);
  }
}
