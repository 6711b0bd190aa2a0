/**
 * The local side of team mode (issue 12): items claimed from a team database and the verdicts
 * given on them, kept in the workspace (table `team_batch`, migration 0012) so review goes on
 * offline. The team database decides what is accepted; this table keeps every outcome.
 */
import type Database from 'better-sqlite3';

export const TEAM_BATCH_STATES = ['claimed', 'pending', 'accepted', 'refused', 'expired', 'released'] as const;
export type TeamBatchState = (typeof TEAM_BATCH_STATES)[number];

export interface TeamBatchRow {
  seq: number;
  team: string;
  itemId: string;
  token: string;
  route: string;
  /** The claimed item as JSON text (untrusted content). */
  record: string;
  claimedAt: string;
  expiresAt: string;
  /** The verdict given here, as JSON text; null until the reviewer decides. */
  verdict: string | null;
  decidedAt: string | null;
  state: TeamBatchState;
  /** Why the team database refused or expired it: e.g. 'lease_expired', 'reassigned'. */
  reasonCode: string | null;
  reason: string | null;
  resolvedAt: string | null;
}

const COLUMNS = `seq, team, item_id AS itemId, token, route, record, claimed_at AS claimedAt, expires_at AS expiresAt,
  verdict, decided_at AS decidedAt, state, reason_code AS reasonCode, reason, resolved_at AS resolvedAt`;

export interface ClaimedLease {
  itemId: string;
  token: string;
  route: string;
  record: string;
  expiresAt: string;
}

/** Records claimed leases; a lease already here (same item and token) is left as it is. */
export function insertClaims(db: Database.Database, team: string, leases: ClaimedLease[], at: string): number {
  const stmt = db.prepare(`INSERT INTO team_batch (team, item_id, token, route, record, claimed_at, expires_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (team, item_id, token) DO NOTHING`);
  let n = 0;
  for (const l of leases) n += stmt.run(team, l.itemId, l.token, l.route, l.record, at, l.expiresAt).changes;
  return n;
}

export function batchRows(db: Database.Database, team: string): TeamBatchRow[] {
  return db.prepare(`SELECT ${COLUMNS} FROM team_batch WHERE team = ? ORDER BY seq`).all(team) as TeamBatchRow[];
}

export function batchRow(db: Database.Database, seq: number): TeamBatchRow | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM team_batch WHERE seq = ?`).get(seq) as TeamBatchRow | undefined;
}

/** The open lease on an item (claimed or waiting to be pushed), if this desktop holds one. */
export function openLease(db: Database.Database, team: string, itemId: string): TeamBatchRow | undefined {
  return db
    .prepare(`SELECT ${COLUMNS} FROM team_batch WHERE team = ? AND item_id = ? AND state IN ('claimed', 'pending') ORDER BY seq DESC LIMIT 1`)
    .get(team, itemId) as TeamBatchRow | undefined;
}

/** A verdict given locally: the row waits as 'pending' until it is pushed. Only a claimed row takes one. */
export function recordVerdict(db: Database.Database, seq: number, verdict: string, at: string): boolean {
  return db.prepare(`UPDATE team_batch SET verdict = ?, decided_at = ?, state = 'pending' WHERE seq = ? AND state = 'claimed'`).run(verdict, at, seq).changes === 1;
}

export function pendingRows(db: Database.Database, team: string): TeamBatchRow[] {
  return db.prepare(`SELECT ${COLUMNS} FROM team_batch WHERE team = ? AND state = 'pending' ORDER BY seq`).all(team) as TeamBatchRow[];
}

/** Claimed rows without a verdict whose lease ran out before `now` (ISO text compares in order). */
export function lapsedClaims(db: Database.Database, team: string, now: string): TeamBatchRow[] {
  return db.prepare(`SELECT ${COLUMNS} FROM team_batch WHERE team = ? AND state = 'claimed' AND expires_at <= ? ORDER BY seq`).all(team, now) as TeamBatchRow[];
}

/** The team database's answer on one row. Only an open row (claimed or pending) moves. */
export interface Resolution {
  state: 'accepted' | 'refused' | 'expired' | 'released';
  code: string | null;
  reason: string | null;
}

export function resolveRow(db: Database.Database, seq: number, r: Resolution, at: string): boolean {
  return (
    db
      .prepare(`UPDATE team_batch SET state = ?, reason_code = ?, reason = ?, resolved_at = ? WHERE seq = ? AND state IN ('claimed', 'pending')`)
      .run(r.state, r.code, r.reason, at, seq).changes === 1
  );
}

/** A heartbeat moved the lease's expiry. */
export function extendLease(db: Database.Database, seq: number, expiresAt: string): void {
  db.prepare(`UPDATE team_batch SET expires_at = ? WHERE seq = ? AND state = 'claimed'`).run(expiresAt, seq);
}
