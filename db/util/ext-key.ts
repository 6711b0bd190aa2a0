import { hash } from 'node:crypto';

/**
 * The lookup key of a source's record id: 52 bits of its SHA-1, exact as a JS number and as a
 * SQLite integer. Collisions are harmless (the lookup also compares the id itself); what it buys
 * is an 8-byte index entry instead of (source uuid, id) text, which keeps a million-item ingest
 * from dirtying a page of a large text index per row.
 */
export function extKey(externalId: string): number {
  return parseInt(hash('sha1', externalId, 'hex').slice(0, 13), 16);
}

/** Epoch milliseconds of an RFC 3339 time (the queue indexes' time key). */
export function epochMs(iso: string): number {
  return Date.parse(iso);
}
