/**
 * What `audit verify --team` reads: the audit leaves in tree order, the recorded tree heads and
 * the state tables, all from one REPEATABLE READ snapshot so the log and the rows agree in time.
 */
import type pg from 'pg';

export interface LeafRow {
  id: string;
  seq: string | null;
  leafHash: Buffer | null;
  body: string;
}

export interface TeamItemState {
  id: string;
  route: string;
  status: string;
  requiredReviews: number;
  openSlots: number;
  revision: number;
  contentSha256: string;
  recordSha256: string;
}

export interface TeamLeaseState {
  token: string;
  itemId: string;
  reviewer: string;
  state: string;
  expiresAt: string;
}

export interface TeamVerdictState {
  id: string;
  itemId: string;
  reviewer: string;
  token: string;
  decision: string;
  labels: unknown;
  severity: string | null;
  rationale: string | null;
  clientId: string | null;
  revision: number;
  decidedAt: string;
}

export interface TeamSnapshot {
  tree: { size: number; root: Buffer };
  heads: { size: number; root: Buffer }[];
  items: TeamItemState[];
  leases: TeamLeaseState[];
  verdicts: TeamVerdictState[];
}

const PAGE = 20000;

/** Opens the snapshot; leaves are then paged with `leafPages` inside it. Close with `endSnapshot`. */
export async function beginSnapshot(client: pg.ClientBase): Promise<TeamSnapshot> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const tree = (await client.query<{ size: string; root: Buffer }>('SELECT size::text, root FROM verdict.audit_tree')).rows[0]!;
  const heads = (await client.query<{ size: string; root: Buffer }>('SELECT size::text, root FROM verdict.tree_heads ORDER BY size')).rows;
  const items = (
    await client.query<TeamItemState>(
      `SELECT i.id::text, route, status, required_reviews AS "requiredReviews", open_slots AS "openSlots", revision,
         content_sha256 AS "contentSha256", encode(sha256(convert_to(r.record_text, 'UTF8')), 'hex') AS "recordSha256"
       FROM verdict.items i LEFT JOIN verdict.item_records r ON r.item_id = i.id ORDER BY i.id`,
    )
  ).rows;
  const leases = (
    await client.query<TeamLeaseState>(
      `SELECT token::text, item_id::text AS "itemId", reviewer::text, state, verdict.ts_text(expires_at) AS "expiresAt" FROM verdict.leases ORDER BY token`,
    )
  ).rows;
  const verdicts = (
    await client.query<TeamVerdictState>(
      `SELECT id::text, item_id::text AS "itemId", reviewer::text, lease_token::text AS token, decision, labels, severity, rationale,
         client_id AS "clientId", revision, verdict.ts_text(decided_at) AS "decidedAt" FROM verdict.verdicts ORDER BY id`,
    )
  ).rows;
  return {
    tree: { size: Number(tree.size), root: tree.root },
    heads: heads.map((h) => ({ size: Number(h.size), root: h.root })),
    items,
    leases,
    verdicts,
  };
}

/** Sequenced leaves in tree order, then any still queued (in queue order), page by page. */
export async function* leafPages(client: pg.ClientBase): AsyncGenerator<LeafRow[]> {
  let after = -1;
  for (;;) {
    const { rows } = await client.query<LeafRow>(
      `SELECT a.id::text, s.seq::text, s.leaf_hash AS "leafHash", a.body
       FROM verdict.audit_sequenced s JOIN verdict.audit_leaves a ON a.id = s.leaf_id WHERE s.seq > $1 ORDER BY s.seq LIMIT $2`,
      [after, PAGE],
    );
    if (rows.length === 0) break;
    yield rows;
    after = Number(rows[rows.length - 1]!.seq);
  }
  let afterId = '0';
  for (;;) {
    const { rows } = await client.query<LeafRow>(
      `SELECT a.id::text, NULL AS seq, NULL AS "leafHash", a.body
       FROM verdict.audit_pending p JOIN verdict.audit_leaves a ON a.id = p.leaf_id WHERE p.leaf_id > $1 ORDER BY p.leaf_id LIMIT $2`,
      [afterId, PAGE],
    );
    if (rows.length === 0) break;
    yield rows;
    afterId = rows[rows.length - 1]!.id;
  }
}

/**
 * How many leaves are stored, and how many queued leaves also hold a position. Verify compares
 * the first with the rows `leafPages` gave (a leaf neither sequenced nor queued would be skipped
 * silently, one in both would be replayed twice); the second must be 0.
 */
export async function leafCounts(client: pg.ClientBase): Promise<{ leaves: number; queuedAndPlaced: number }> {
  const { rows } = await client.query<{ leaves: string; both: string }>(
    `SELECT (SELECT count(*) FROM verdict.audit_leaves)::text AS leaves,
       (SELECT count(*) FROM verdict.audit_pending p JOIN verdict.audit_sequenced s ON s.leaf_id = p.leaf_id)::text AS both`,
  );
  return { leaves: Number(rows[0]!.leaves), queuedAndPlaced: Number(rows[0]!.both) };
}

export async function endSnapshot(client: pg.ClientBase): Promise<void> {
  await client.query('COMMIT');
}
