/**
 * drizzle's typed handle over a better-sqlite3 connection, one per connection. Queries written
 * with it get their row types from db/schema.ts ($inferSelect) instead of a hand-written
 * interface and an unchecked `as` cast; FTS5, JSON and bulk paths stay hand-written SQL.
 */
import type Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.ts';

export type TypedDb = BetterSQLite3Database<typeof schema>;

const handles = new WeakMap<Database.Database, TypedDb>();

export function typed(sqlite: Database.Database): TypedDb {
  let db = handles.get(sqlite);
  if (!db) {
    db = drizzle(sqlite, { schema });
    handles.set(sqlite, db);
  }
  return db;
}
