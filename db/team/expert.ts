/**
 * Expert review in team mode, typed: each call one SQL function of
 * db/team/migrations/0007_expert_review.ts (adjudication, expert pool, hold, reopen, gold).
 */
import type { Queryable } from './migrate.ts';
import type { ClaimRow } from './queue.ts';

export type Decision = 'violation' | 'dismiss' | 'escalate';

export interface Outcome {
  status: 'accepted' | 'refused' | 'expired';
  message: string;
}

export interface AdjudicationClaimRow {
  token: string;
  itemId: string;
  extId: string;
  route: string;
  blind: boolean;
  recordText: string;
  expiresAt: string;
  serverNow: string;
}

export async function claimAdjudication(db: Queryable, route: string | null): Promise<AdjudicationClaimRow | null> {
  const { rows } = await db.query<AdjudicationClaimRow>(
    `SELECT token::text, item_id::text AS "itemId", ext_id AS "extId", route, blind, record_text AS "recordText",
       expires_at AS "expiresAt", server_now AS "serverNow" FROM verdict.claim_adjudication($1)`,
    [route],
  );
  return rows[0] ?? null;
}

export interface ItemVerdictRow {
  n: number;
  reviewer: string;
  decision: Decision;
  labels: string[];
  severity: string | null;
  rationale: string | null;
  decidedAt: string;
}

export async function itemVerdicts(db: Queryable, itemId: string): Promise<ItemVerdictRow[]> {
  const { rows } = await db.query<ItemVerdictRow>(
    'SELECT n, reviewer, decision, labels, severity, rationale, decided_at AS "decidedAt" FROM verdict.item_verdicts($1)',
    [itemId],
  );
  return rows;
}

export interface VerdictArgs {
  decision: string;
  labels: string[];
  severity: string | null;
  rationale: string | null;
}

export async function decideAdjudication(db: Queryable, itemId: string, token: string, v: VerdictArgs): Promise<Outcome> {
  const { rows } = await db.query<Outcome>('SELECT status, message FROM verdict.decide_adjudication($1, $2, $3, $4, $5, $6)', [
    itemId,
    token,
    v.decision,
    JSON.stringify(v.labels),
    v.severity,
    v.rationale,
  ]);
  return rows[0]!;
}

export interface EscalateArgs {
  toRoute: string;
  question: string;
  firstDecision: 'violation' | 'dismiss';
  firstLabels: string[];
}

/** Returns the escalation id. */
export async function escalateItem(db: Queryable, itemId: string, token: string, a: EscalateArgs): Promise<string> {
  const { rows } = await db.query<{ id: string }>('SELECT verdict.escalate($1, $2, $3, $4, $5, $6)::text AS id', [
    itemId,
    token,
    a.toRoute,
    a.question,
    a.firstDecision,
    JSON.stringify(a.firstLabels),
  ]);
  return rows[0]!.id;
}

export interface ExpertPoolRow {
  escalationId: string;
  itemId: string;
  extId: string;
  fromRoute: string;
  toRoute: string;
  question: string;
  askedAt: string;
  dueAt: string;
  overdue: boolean;
  held: boolean;
}

export async function expertPool(db: Queryable): Promise<ExpertPoolRow[]> {
  const { rows } = await db.query<ExpertPoolRow>(
    `SELECT escalation_id::text AS "escalationId", item_id::text AS "itemId", ext_id AS "extId", from_route AS "fromRoute",
       to_route AS "toRoute", question, asked_at AS "askedAt", due_at AS "dueAt", overdue, held FROM verdict.expert_pool()`,
  );
  return rows;
}

export interface ExpertClaimRow {
  escalationId: string;
  token: string;
  itemId: string;
  extId: string;
  fromRoute: string;
  toRoute: string;
  question: string;
  firstDecision: 'violation' | 'dismiss';
  firstLabels: string[];
  askedBy: string;
  dueAt: string;
  recordText: string;
  expiresAt: string;
  serverNow: string;
}

export async function claimExpert(db: Queryable, route: string | null): Promise<ExpertClaimRow | null> {
  const { rows } = await db.query<ExpertClaimRow>(
    `SELECT escalation_id::text AS "escalationId", token::text, item_id::text AS "itemId", ext_id AS "extId", from_route AS "fromRoute",
       to_route AS "toRoute", question, first_decision AS "firstDecision", first_labels AS "firstLabels", asked_by AS "askedBy",
       due_at AS "dueAt", record_text AS "recordText", expires_at AS "expiresAt", server_now AS "serverNow" FROM verdict.claim_expert($1)`,
    [route],
  );
  return rows[0] ?? null;
}

export type ExpertAnswer =
  | { kind: 'verdict'; decision: 'violation' | 'dismiss'; labels: string[]; severity: string | null; note: string | null }
  | { kind: 'consult'; note: string };

export async function answerExpert(db: Queryable, escalationId: string, token: string, a: ExpertAnswer): Promise<Outcome & { overturned: boolean | null }> {
  const v = a.kind === 'verdict' ? a : { decision: null, labels: [], severity: null, note: a.note };
  const { rows } = await db.query<Outcome & { overturned: boolean | null }>(
    'SELECT status, message, overturned FROM verdict.answer_expert($1, $2, $3, $4, $5, $6, $7)',
    [escalationId, token, a.kind, v.decision, JSON.stringify(v.labels), v.severity, v.note],
  );
  return rows[0]!;
}

export interface ConsultNoteRow {
  escalationId: string;
  question: string;
  note: string;
  expert: string;
  answeredAt: string;
}

export async function consultNotes(db: Queryable, itemId: string): Promise<ConsultNoteRow[]> {
  const { rows } = await db.query<ConsultNoteRow>(
    'SELECT escalation_id::text AS "escalationId", question, note, expert, answered_at AS "answeredAt" FROM verdict.consult_notes($1)',
    [itemId],
  );
  return rows;
}

export interface OverturnRow {
  route: string;
  label: string;
  model: string;
  answered: number;
  overturned: number;
}

export async function expertOverturns(db: Queryable): Promise<OverturnRow[]> {
  const { rows } = await db.query<OverturnRow>('SELECT route, label, model, answered, overturned FROM verdict.expert_overturns()');
  return rows;
}

export async function holdItem(db: Queryable, itemId: string, token: string | null, reason: string, reviewBy: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>('SELECT verdict.hold($1, $2, $3, $4)::text AS id', [itemId, token, reason, reviewBy]);
  return rows[0]!.id;
}

/** Returns the status the item went back to. */
export async function releaseHold(db: Queryable, itemId: string): Promise<string> {
  const { rows } = await db.query<{ status: string }>('SELECT verdict.release_hold($1) AS status', [itemId]);
  return rows[0]!.status;
}

export interface HoldRow {
  holdId: string;
  itemId: string;
  extId: string;
  route: string;
  heldBy: string;
  reason: string;
  reviewBy: string;
  heldAt: string;
  overdue: boolean;
}

export async function holdsList(db: Queryable): Promise<HoldRow[]> {
  const { rows } = await db.query<HoldRow>(
    `SELECT hold_id::text AS "holdId", item_id::text AS "itemId", ext_id AS "extId", route, held_by AS "heldBy", reason,
       review_by AS "reviewBy", held_at AS "heldAt", overdue FROM verdict.holds_list()`,
  );
  return rows;
}

export async function reopenItem(db: Queryable, itemId: string, reason: string): Promise<void> {
  await db.query('SELECT verdict.reopen($1, $2)', [itemId, reason]);
}

export interface HistoryRow {
  at: string;
  kind: string;
  actor: string;
  decision: string | null;
  labels: string[] | null;
  detail: string | null;
}

export async function itemHistory(db: Queryable, itemId: string): Promise<HistoryRow[]> {
  const { rows } = await db.query<HistoryRow>('SELECT at, kind, actor, decision, labels, detail FROM verdict.item_history($1)', [itemId]);
  return rows;
}

export async function markGold(db: Queryable, itemId: string, decision: Decision, labels: string[]): Promise<void> {
  await db.query('SELECT verdict.mark_gold($1, $2, $3)', [itemId, decision, JSON.stringify(labels)]);
}

/** verdict.claim with gold mixed in at the route's rate; the rows have claim()'s shape. */
export async function claimMixed(db: Queryable, route: string | null): Promise<ClaimRow[]> {
  const { rows } = await db.query<ClaimRow>(
    `SELECT token::text AS "token", item_id::text AS "itemId", ext_id AS "extId", route, priority, created_at AS "createdAt",
       revision, content_sha256 AS "contentSha256", record_text AS "recordText", expires_at AS "expiresAt", server_now AS "serverNow"
     FROM verdict.claim_mixed($1)`,
    [route],
  );
  return rows;
}

export interface GoldAccuracyRow {
  reviewer: string;
  route: string;
  month: string;
  served: number;
  answered: number;
  correct: number;
}

export async function goldAccuracy(db: Queryable): Promise<GoldAccuracyRow[]> {
  const { rows } = await db.query<GoldAccuracyRow>('SELECT reviewer, route, month, served, answered, correct FROM verdict.gold_accuracy()');
  return rows;
}

export async function setRouteExpert(db: Queryable, route: string, goldRate: number | null, slaSeconds: number | null): Promise<void> {
  await db.query('SELECT verdict.set_route_expert($1, $2, $3)', [route, goldRate, slaSeconds]);
}

export interface InForceRow {
  itemId: string;
  kind: 'adjudication' | 'expert' | 'agreement';
  byWhom: string | null;
  decision: Decision;
  labels: string[] | null;
}

/** The verdict in force (one definition: the verdict.in_force view); leads and data roles. */
export async function inForce(db: Queryable, itemId: string): Promise<InForceRow | null> {
  const { rows } = await db.query<InForceRow>(
    'SELECT item_id::text AS "itemId", kind, by_whom AS "byWhom", decision, labels FROM verdict.in_force WHERE item_id = $1',
    [itemId],
  );
  return rows[0] ?? null;
}

/** What audit verify compares besides items, leases and verdicts (read inside its snapshot). */
export interface ExpertSnapshot {
  adjudications: { id: string; itemId: string; adjudicator: string; token: string; decision: string; labels: unknown; severity: string | null; rationale: string | null; decidedAt: string }[];
  adjudicationLeases: { token: string; itemId: string; adjudicator: string; state: string; expiresAt: string }[];
  escalations: { id: string; itemId: string; toRoute: string; state: string; holder: string | null; token: string | null; answerKind: string | null; decision: string | null; labels: unknown; note: string | null; overturned: boolean | null }[];
  holds: { id: string; itemId: string; reason: string; reviewBy: string; released: boolean }[];
  gold: { itemId: string; decision: string; labels: unknown }[];
  serves: { copyItemId: string; goldItemId: string; reviewer: string }[];
}

export async function expertSnapshot(db: Queryable): Promise<ExpertSnapshot> {
  const q = async <T>(sql: string) => (await db.query<T & Record<string, unknown>>(sql)).rows as T[];
  return {
    adjudications: await q(`SELECT id::text, item_id::text AS "itemId", adjudicator::text, token::text, decision, labels, severity, rationale,
      verdict.ts_text(decided_at) AS "decidedAt" FROM verdict.adjudications ORDER BY id`),
    adjudicationLeases: await q(`SELECT token::text, item_id::text AS "itemId", adjudicator::text, state, verdict.ts_text(expires_at) AS "expiresAt"
      FROM verdict.adjudication_leases ORDER BY token`),
    escalations: await q(`SELECT id::text, item_id::text AS "itemId", to_route AS "toRoute", state, holder::text, token::text,
      answer_kind AS "answerKind", decision, labels, note, overturned FROM verdict.escalations ORDER BY id`),
    holds: await q(`SELECT id::text, item_id::text AS "itemId", reason, verdict.ts_text(review_by) AS "reviewBy", released_at IS NOT NULL AS released
      FROM verdict.holds ORDER BY id`),
    gold: await q('SELECT item_id::text AS "itemId", decision, labels FROM verdict.gold_items ORDER BY item_id'),
    serves: await q('SELECT copy_item_id::text AS "copyItemId", gold_item_id::text AS "goldItemId", reviewer::text FROM verdict.gold_serves ORDER BY copy_item_id'),
  };
}

export interface LeadItemRow {
  itemId: string;
  extId: string;
  route: string;
  status: string;
  inForce: string | null;
  inForceKind: string | null;
  gold: boolean;
}

/** Items for a lead to act on (reopen, mark gold), newest first; gold copies left out. Leads only (RLS). */
export async function leadItems(db: Queryable, limit: number): Promise<LeadItemRow[]> {
  const { rows } = await db.query<LeadItemRow>(
    `SELECT i.id::text AS "itemId", i.ext_id AS "extId", i.route, i.status, f.decision AS "inForce", f.kind AS "inForceKind",
       EXISTS (SELECT 1 FROM verdict.gold_items g WHERE g.item_id = i.id) AS gold
     FROM verdict.items i LEFT JOIN verdict.in_force f ON f.item_id = i.id
     WHERE NOT EXISTS (SELECT 1 FROM verdict.gold_serves s WHERE s.copy_item_id = i.id)
     ORDER BY i.id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

export interface RouteSettingRow {
  route: string;
  goldRate: number;
  expertSlaSeconds: number;
}

/** Each route's gold rate and expert SLA (what a lead sets with verdict.set_route_expert). */
export async function routeSettings(db: Queryable): Promise<RouteSettingRow[]> {
  const { rows } = await db.query<RouteSettingRow>(
    'SELECT name AS route, gold_rate::float8 AS "goldRate", expert_sla_seconds AS "expertSlaSeconds" FROM verdict.routes ORDER BY name',
  );
  return rows;
}
