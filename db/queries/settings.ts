/** Workspace settings: one text value per key (reviewer name, taxonomy, link hosts...). */
import type Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { settings } from '../schema.ts';
import { typed } from '../typed.ts';

export function settingValue(sqlite: Database.Database, key: string): string | undefined {
  return typed(sqlite).select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()?.value;
}

/** Inserts or replaces a setting; the caller holds the write transaction and writes its audit event. */
export function writeSetting(sqlite: Database.Database, key: string, value: string, at: string): void {
  typed(sqlite)
    .insert(settings)
    .values({ key, value, updatedAt: at })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at } })
    .run();
}
