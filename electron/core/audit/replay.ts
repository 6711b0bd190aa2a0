/**
 * Replays the audit log against the state tables: every row the log describes must be there,
 * unchanged, and no row may be there that the log does not describe. The hash chain (log.ts)
 * proves the log; this proves that the workspace still says what the log says.
 *
 * - item_revisions: each `ingest.batch` event claims the next `ingested + revisions` rows in
 *   insertion (seq) order, whose `item id:revision:content hash` lines hash to its
 *   `items_sha256`; each record must hash to its `content_sha256`.
 * - verdicts: each row names its event (`audit_seq`); every field is compared with the event's
 *   data (correction and rationale by SHA-256), and every verdict event must have its row.
 * - items: identity is bound through the revisions; `revision`, `content_sha256` and `status`
 *   are re-derived (the latest revision, then the status the latest verdict event set), and so
 *   is every queue field: `route` (the record's, or the route of an escalation logged after
 *   it), and what the ingest derives from the latest record (priority, risk tier, flag summary,
 *   model, snippet, created time) by running the same summary again.
 * - queue_counts and item_facets (what the queue's counts and filter lists show) are recounted
 *   from the items in a full check; agreement_items (the agreement statistics' summary) is
 *   recomputed from the verdicts.
 * - sources: each row against its `source.registered` event.
 *
 * Two passes over each table, one item-indexed typed array per derived field: memory is a few
 * bytes per item, and the time is dominated by hashing the records once.
 */
import { createHash, hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  actionsWithEventsFrom,
  countEventsOfTypes,
  firstActionEventWithoutRow,
  countSourceEvents,
  firstOfLastRevisions,
  firstVerdictEventWithoutRow,
  ingestBatchEvents,
  itemsWithLatestRevision,
  lastVerdictBeforeEvent,
  maxItemSeq,
  revisionRecord,
  revisionsFrom,
  storedFacets,
  storedQueueCounts,
  type ItemReplayRow,
  sourcesWithEvents,
  verdictsWithEventsFrom,
  type VerdictReplayRow,
} from '../../../db/queries/audit-replay.ts';
import { agreementItemsMismatch } from '../../../db/queries/agreement.ts';
import { summarize } from '../ingest/prepared.ts';
import type { EscalationRecord } from '../record/schema.ts';
import { canonicalJson } from './canonical.ts';

export interface StateMismatch {
  table: string;
  /** The row's id (or seq range) as stored, or the id the log expected. */
  row: string;
  /** The audit event the row disagrees with, when there is one. */
  event: number | null;
  reason: string;
}

export interface StateCounts {
  revisions: number;
  items: number;
  verdicts: number;
  sources: number;
  actions: number;
}

export type StateResult = { ok: true; counts: StateCounts } | { ok: false; mismatch: StateMismatch; counts: StateCounts };

const STATUS = ['new', 'in_review', 'decided', 'escalated', 'conflict', 'disputed', 'on_hold', 'skipped'] as const;
const statusCode = (s: string): number => STATUS.indexOf(s as (typeof STATUS)[number]) + 1;

const VERDICT_TYPES: Record<string, string> = {
  'verdict.recorded': 'verdict',
  'verdict.amended': 'amendment',
  'verdict.undone': 'undo',
  'verdict.imported': 'import',
  'verdict.adjudicated': 'adjudication',
};

/** Item action events (migration 0010) and the kind of row each describes. */
const ACTION_TYPES: Record<string, string> = {
  'item.held': 'hold',
  'item.released': 'release',
  'item.reopened': 'reopen',
  'item.gold': 'gold',
  'item.consulted': 'consult',
  'item.revealed': 'reveal',
};

const sha = (s: string | null): string | null => (s == null ? null : hash('sha256', s, 'hex'));

class Mismatch extends Error {
  constructor(readonly detail: StateMismatch) {
    super(detail.reason);
  }
}

function fail(table: string, row: string, event: number | null, reason: string): never {
  throw new Mismatch({ table, row, event, reason });
}

interface ItemState {
  /** Latest revision number seen in the log, per item seq (0: the log never created the item). */
  revision: Int32Array;
  /** Seq of the ingest event that brought the latest revision. */
  revisionEvent: Float64Array;
  /** Seq of the latest verdict event, and the status it set. */
  verdictEvent: Float64Array;
  verdictStatus: Uint8Array;
  /** 52 bits of a hash of the queue fields the latest revision's record gives (see recordFields). */
  recordDigest: Float64Array;
  /** The latest revision's route, and the route of the latest escalation event (with its seq): indexes into `routes`. */
  recordRoute: Uint16Array;
  escalationEvent: Float64Array;
  escalationRoute: Uint16Array;
  routes: Routes;
}

/** Route names by index (routes are few), so an item's route costs two bytes. */
class Routes {
  private readonly names: string[] = [''];
  private readonly index = new Map<string, number>();
  of(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.push(name) - 1;
      this.index.set(name, i);
    }
    return i;
  }
  name(i: number): string {
    return this.names[i]!;
  }
}

/** The item columns the ingest derives from a record, in the order they are hashed and named. */
const RECORD_FIELDS = ['priority', 'risk_tier', 'flag_count', 'top_flag_source', 'top_flag_category', 'top_flag_policy', 'top_flag_score', 'model', 'snippet', 'created_at', 'created_ms'] as const;
type RecordFields = unknown[];

/** What the ingest writes into an item's queue columns for this record (parse.ts, prepared.ts), route apart. */
function recordFields(json: string): { fields: RecordFields; route: string } {
  const record = JSON.parse(json) as EscalationRecord;
  const s = summarize(record);
  const created = new Date(record.created_at);
  return {
    fields: [s.priority, s.riskTier, s.flagCount, s.topFlagSource, s.topFlagCategory, s.topFlagPolicy, s.topFlagScore, s.model, snippetEnd(s.snippet), created.toISOString(), created.getTime()],
    route: s.route,
  };
}

/**
 * The snippet is cut at 240 UTF-16 units and can split a surrogate pair at its end; on its way
 * into SQLite the lone half became one U+FFFD (inline parse) or three (from a parse thread's
 * UTF-8 bytes). Both sides are compared without that tail.
 */
const snippetEnd = (s: string): string => s.replace(/[\uD800-\uDBFF\uFFFD]+$/, '');

function rowFields(it: ItemReplayRow): RecordFields {
  return [it.priority, it.riskTier, it.flagCount, it.topFlagSource, it.topFlagCategory, it.topFlagPolicy, it.topFlagScore, it.model, snippetEnd(it.snippet), it.createdAt, it.createdMs];
}

/** 52 bits of SHA-256 over the fields: exact in a double, and a collision by accident is 1 in 4.5e15. */
const digestOf = (fields: RecordFields): number => parseInt(hash('sha256', JSON.stringify(fields), 'hex').slice(0, 13), 16);

interface BatchEvent {
  seq: number;
  rows: number;
  digest: string;
}

function batchEvents(sqlite: Database.Database, since: number): BatchEvent[] {
  const out: BatchEvent[] = [];
  for (const r of ingestBatchEvents(sqlite, since)) {
    const d = (JSON.parse(r.body) as { data: { ingested?: number; revisions?: number; items_sha256?: string } }).data;
    out.push({ seq: r.seq, rows: (d.ingested ?? 0) + (d.revisions ?? 0), digest: d.items_sha256 ?? '' });
  }
  return out;
}

/** item_revisions against the ingest events: the rows of each batch, in order, hash to its digest. */
function replayRevisions(sqlite: Database.Database, st: ItemState, counts: StateCounts, since: number): void {
  const events = batchEvents(sqlite, since);
  // From a saved head: the events after it claim the last rows of the table.
  const claimed = events.reduce((n, e) => n + e.rows, 0);
  const fromSeq =
    since === 0
      ? 0
      : (firstOfLastRevisions(sqlite, claimed) ?? Number.MAX_SAFE_INTEGER);
  let e = 0;
  let inBatch = 0;
  let digest = createHash('sha256');
  let firstSeq = 0;
  for (const r of revisionsFrom(sqlite, fromSeq)) {
    while (e < events.length && events[e]!.rows === 0) e++;
    const ev = events[e];
    if (!ev) fail('item_revisions', r.id, null, `item_revisions row ${r.id} (seq ${r.seq}) was not brought by any ingest event: inserted outside Verdict`);
    if (hash('sha256', r.record, 'hex') !== r.sha)
      fail('item_revisions', r.id, ev.seq, `item_revisions row ${r.id} (seq ${r.seq}): its record no longer hashes to its content_sha256 (edited)`);
    if (r.itemId === null) fail('items', `seq ${r.itemSeq}`, ev.seq, `items row seq ${r.itemSeq} is missing (deleted) though event ${ev.seq} brought its revision ${r.id}`);
    // From a saved head, an item's earlier revisions were checked before: numbering continues from them.
    const known = r.itemSeq < st.revision.length ? st.revision[r.itemSeq]! : 0;
    const expected = known > 0 || since === 0 ? known + 1 : r.revision;
    if (r.revision !== expected)
      fail('item_revisions', r.id, ev.seq, `item_revisions row ${r.id} (seq ${r.seq}) is revision ${r.revision} of item ${r.itemId}, the log expects ${expected}`);
    if (inBatch === 0) firstSeq = r.seq;
    digest.update(`${r.itemId}:${r.revision}:${r.sha}\n`);
    if (r.itemSeq < st.revision.length) {
      st.revision[r.itemSeq] = r.revision;
      st.revisionEvent[r.itemSeq] = ev.seq;
      const derived = recordFields(r.record.toString('utf8'));
      st.recordDigest[r.itemSeq] = digestOf(derived.fields);
      st.recordRoute[r.itemSeq] = st.routes.of(derived.route);
    }
    counts.revisions++;
    if (++inBatch === ev.rows) {
      if (digest.digest('hex') !== ev.digest)
        fail(
          'item_revisions',
          `seq ${firstSeq}..${r.seq}`,
          ev.seq,
          `item_revisions rows seq ${firstSeq}..${r.seq} do not match the items_sha256 of event ${ev.seq} (a row was edited, inserted or deleted)`,
        );
      digest = createHash('sha256');
      inBatch = 0;
      e++;
    }
  }
  while (e < events.length && events[e]!.rows === 0) e++;
  const ev = events[e];
  if (ev)
    fail('item_revisions', `event ${ev.seq}`, ev.seq, `event ${ev.seq} brought ${ev.rows} item revisions; ${ev.rows - inBatch} of them are missing (deleted)`);
}

type VerdictJoin = VerdictReplayRow;

interface VerdictEventBody {
  actor: string;
  at: string;
  subject: string | null;
  data: {
    verdict_id: string;
    item_id: string;
    revision_id: string;
    decision: string;
    labels: string[];
    severity: string | null;
    route_to: string | null;
    correction_sha256: string | null;
    rationale_sha256: string | null;
    supersedes: string | null;
    status: { from: string; to: string };
    /** Absent from events written before migration 0007: no flag was reviewed. */
    flag_reviews?: { flag: number; accepted: boolean }[];
    /** Absent from events written before migration 0009: no span was edited. */
    span_edits?: unknown[];
    route_fields?: Record<string, string>;
  };
}

/** The fields of a verdict row against its event; the first difference, or null. */
function verdictDiff(v: VerdictJoin, b: VerdictEventBody): string | null {
  const d = b.data;
  const checks: [string, unknown, unknown][] = [
    ['id', v.id, d.verdict_id],
    ['item', v.itemId, d.item_id],
    ['revision_id', v.revisionId, d.revision_id],
    ['kind', v.kind, VERDICT_TYPES[v.eventType ?? '']],
    ['decision', v.decision, d.decision],
    ['labels', v.labels, JSON.stringify(d.labels)],
    ['severity', v.severity, d.severity],
    ['route_to', v.routeTo, d.route_to],
    ['correction', sha(v.correction), d.correction_sha256],
    ['rationale', sha(v.rationale), d.rationale_sha256],
    ['supersedes', v.supersedes, d.supersedes],
    ['reviewer', v.reviewer, b.actor],
    ['decided_at', v.decidedAt, b.at],
    ['flag_reviews', v.flagReviews, JSON.stringify(d.flag_reviews ?? [])],
    ['span_edits', v.spanEdits, JSON.stringify(d.span_edits ?? [])],
    ['route_fields', v.routeFields, JSON.stringify(d.route_fields ?? {})],
  ];
  for (const [field, row, logged] of checks) {
    if (row !== logged) return `${field} is ${JSON.stringify(row)} but the event recorded ${JSON.stringify(logged)}`;
  }
  return null;
}

function replayVerdicts(sqlite: Database.Database, st: ItemState, counts: StateCounts, since: number): void {
  // Verdict rows are written in audit order: those after a saved head are the rows after the last one before it.
  const fromSeq = since === 0 ? 0 : lastVerdictBeforeEvent(sqlite, since) + 1;
  for (const v of verdictsWithEventsFrom(sqlite, fromSeq)) {
    if (!v.body || !v.eventType || !(v.eventType in VERDICT_TYPES))
      fail('verdicts', v.id, v.auditSeq, `verdicts row ${v.id} (seq ${v.seq}) has no verdict event (its audit_seq ${v.auditSeq} is ${v.eventType ?? 'missing'}): forged or moved`);
    const b = JSON.parse(v.body) as VerdictEventBody;
    if (b.data.verdict_id !== v.id)
      fail('verdicts', v.id, v.auditSeq, `verdicts row ${v.id} (seq ${v.seq}) points at event ${v.auditSeq}, which recorded verdict ${b.data.verdict_id}: forged`);
    const diff = verdictDiff(v, b);
    if (diff) fail('verdicts', v.id, v.auditSeq, `verdicts row ${v.id} (seq ${v.seq}): ${diff} (event ${v.auditSeq})`);
    if (v.itemSeq < st.verdictEvent.length && v.auditSeq > st.verdictEvent[v.itemSeq]!) {
      st.verdictEvent[v.itemSeq] = v.auditSeq;
      st.verdictStatus[v.itemSeq] = statusCode(b.data.status?.to ?? '');
    }
    // An escalation with a route moves the item there (verdicts.ts); an undo does not move it back.
    if (b.data.decision === 'escalate' && b.data.route_to && v.itemSeq < st.escalationEvent.length && v.auditSeq > st.escalationEvent[v.itemSeq]!) {
      st.escalationEvent[v.itemSeq] = v.auditSeq;
      st.escalationRoute[v.itemSeq] = st.routes.of(b.data.route_to);
    }
    counts.verdicts++;
  }
  const types = Object.keys(VERDICT_TYPES);
  const logged = countEventsOfTypes(sqlite, types, since);
  if (logged !== counts.verdicts) {
    // Rare path: find the event whose row is gone.
    const missing = firstVerdictEventWithoutRow(sqlite, types, since);
    if (missing) fail('verdicts', missing.id, missing.seq, `verdicts row ${missing.id} recorded by event ${missing.seq} is missing (deleted)`);
    fail('verdicts', '-', null, `the log records ${logged} verdicts but the table holds ${counts.verdicts}`);
  }
}

interface ActionEventBody {
  actor: string;
  at: string;
  data: {
    action_id: string;
    item_id: string;
    kind: string;
    reason_sha256: string | null;
    due_at: string | null;
    data: Record<string, unknown>;
    status: { from: string; to: string } | null;
  };
}

/**
 * item_actions against their events, field by field (the reason by SHA-256, the data as
 * canonical JSON); an action that changed the item's status counts as its latest status event
 * when it is newer than the latest verdict event.
 */
function replayActions(sqlite: Database.Database, st: ItemState, counts: StateCounts, since: number): void {
  const rows = actionsWithEventsFrom(sqlite, since);
  for (const x of rows) {
    if (!x.body || !x.eventType || !(x.eventType in ACTION_TYPES))
      fail('item_actions', x.id, x.auditSeq, `item_actions row ${x.id} (seq ${x.seq}) has no item event (its audit_seq ${x.auditSeq} is ${x.eventType ?? 'missing'}): forged or moved`);
    const b = JSON.parse(x.body) as ActionEventBody;
    const d = b.data;
    const checks: [string, unknown, unknown][] = [
      ['id', x.id, d.action_id],
      ['item', x.itemId, d.item_id],
      ['kind', x.kind, ACTION_TYPES[x.eventType]],
      ['kind', x.kind, d.kind],
      ['reason', sha(x.reason), d.reason_sha256],
      ['due_at', x.dueAt, d.due_at],
      ['data', x.data, canonicalJson(d.data)],
      ['actor', x.actor, b.actor],
      ['at', x.at, b.at],
    ];
    for (const [field, row, logged] of checks)
      if (row !== logged)
        fail('item_actions', x.id, x.auditSeq, `item_actions row ${x.id} (seq ${x.seq}): ${field} is ${JSON.stringify(row)} but the event recorded ${JSON.stringify(logged)} (event ${x.auditSeq})`);
    if (d.status && x.itemSeq < st.verdictEvent.length && x.auditSeq > st.verdictEvent[x.itemSeq]!) {
      st.verdictEvent[x.itemSeq] = x.auditSeq;
      st.verdictStatus[x.itemSeq] = statusCode(d.status.to);
    }
    counts.actions++;
  }
  const types = Object.keys(ACTION_TYPES);
  const logged = countEventsOfTypes(sqlite, types, since);
  if (logged !== counts.actions) {
    const missing = firstActionEventWithoutRow(sqlite, types, since);
    if (missing) fail('item_actions', missing.id, missing.seq, `item_actions row ${missing.id} recorded by event ${missing.seq} is missing (deleted)`);
    fail('item_actions', '-', null, `the log records ${logged} item actions but the table holds ${counts.actions}`);
  }
}

/** The route the log says the item is on: an escalation's after the latest revision, else the record's. */
function loggedRoute(st: ItemState, seq: number): string | null {
  const esc = st.escalationEvent[seq]!;
  if (esc >= 0 && esc > st.revisionEvent[seq]!) return st.routes.name(st.escalationRoute[seq]!);
  return st.recordRoute[seq]! > 0 ? st.routes.name(st.recordRoute[seq]!) : null;
}

/** The queue columns against what the latest record gives; on a difference, the rare path names the column. */
function checkRecordFields(sqlite: Database.Database, st: ItemState, it: ItemReplayRow, event: number | null): void {
  const fields = rowFields(it);
  if (digestOf(fields) === st.recordDigest[it.seq]) return;
  const json = revisionRecord(sqlite, it.seq, it.revision);
  const derived = json === undefined ? null : recordFields(json).fields;
  const i = derived ? RECORD_FIELDS.findIndex((_, k) => JSON.stringify(fields[k]) !== JSON.stringify(derived[k])) : -1;
  const what = i < 0 ? 'its queue fields differ' : `${RECORD_FIELDS[i]} is ${JSON.stringify(fields[i])} but its record gives ${JSON.stringify(derived![i])}`;
  fail('items', it.id, event, `items row ${it.id}: ${what} (revision ${it.revision}, event ${event})`);
}

/** Counts the queue shows (status × route × priority) and its filter lists (model, top flag category and policy). */
class QueueTally {
  readonly counts = new Map<string, number>();
  readonly facets = new Map<string, number>();
  add(it: ItemReplayRow): void {
    const key = `${it.status}\0${it.route}\0${it.priority}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    for (const [kind, value] of [['model', it.model], ['flag_category', it.topFlagCategory], ['flag_policy', it.topFlagPolicy]] as const) {
      if (value === null) continue;
      const k = `${kind}\0${value}`;
      this.facets.set(k, (this.facets.get(k) ?? 0) + 1);
    }
  }
  /** The stored tables against the recount; stored zero rows are the same as absent ones. */
  check(sqlite: Database.Database): void {
    const compare = (table: string, stored: Map<string, number>, counted: Map<string, number>) => {
      for (const key of new Set([...stored.keys(), ...counted.keys()])) {
        const a = stored.get(key) ?? 0;
        const b = counted.get(key) ?? 0;
        if (a !== b) fail(table, key.split('\0').join('/'), null, `${table} row ${key.split('\0').join('/')} holds ${a} but the items count ${b}`);
      }
    };
    compare('queue_counts', new Map(storedQueueCounts(sqlite).map((r) => [`${r.status}\0${r.route}\0${r.priority}`, r.n])), this.counts);
    compare('item_facets', new Map(storedFacets(sqlite).map((r) => [`${r.kind}\0${r.value}`, r.n])), this.facets);
  }
}

function replayItems(sqlite: Database.Database, st: ItemState, counts: StateCounts, since: number): void {
  const tally = since > 0 ? null : new QueueTally();
  for (const it of itemsWithLatestRevision(sqlite)) {
    tally?.add(it);
    if (since > 0) {
      // From a saved head: only the items an event after it touched.
      const touched = it.seq < st.revision.length && (st.revision[it.seq]! > 0 || st.verdictEvent[it.seq]! >= 0);
      if (!touched) continue;
      if (st.revision[it.seq] === 0) {
        // Only verdicts or actions since the head: their status, and the route of an escalation among them.
        const expected = STATUS[st.verdictStatus[it.seq]! - 1];
        if (it.status !== expected)
          fail('items', it.id, st.verdictEvent[it.seq]!, `items row ${it.id}: status is ${JSON.stringify(it.status)} but the log says ${JSON.stringify(expected)} (event ${st.verdictEvent[it.seq]})`);
        const esc = st.escalationEvent[it.seq]!;
        if (esc >= 0 && it.route !== st.routes.name(st.escalationRoute[it.seq]!))
          fail('items', it.id, esc, `items row ${it.id}: route is ${JSON.stringify(it.route)} but the log says ${JSON.stringify(st.routes.name(st.escalationRoute[it.seq]!))} (event ${esc})`);
        counts.items++;
        continue;
      }
    }
    const logged = it.seq < st.revision.length ? st.revision[it.seq]! : 0;
    const event = it.seq < st.revision.length ? st.revisionEvent[it.seq]! : null;
    if (logged === 0) fail('items', it.id, null, `items row ${it.id} (seq ${it.seq}) was not brought by any ingest event: inserted outside Verdict`);
    if (it.revision !== logged)
      fail('items', it.id, event, `items row ${it.id}: revision is ${it.revision} but the log's latest is ${logged} (event ${event})`);
    if (it.sha !== it.revSha)
      fail('items', it.id, event, `items row ${it.id}: content_sha256 differs from its revision ${logged} (event ${event})`);
    const verdictAt = st.verdictEvent[it.seq]!;
    const expected = verdictAt > event! ? STATUS[st.verdictStatus[it.seq]! - 1] : logged === 1 ? 'new' : 'conflict';
    if (it.status !== expected)
      fail(
        'items',
        it.id,
        verdictAt > event! ? verdictAt : event,
        `items row ${it.id}: status is ${JSON.stringify(it.status)} but the log says ${JSON.stringify(expected)} (event ${verdictAt > event! ? verdictAt : event})`,
      );
    const route = loggedRoute(st, it.seq);
    if (it.route !== route) {
      const esc = st.escalationEvent[it.seq]!;
      const at = esc > event! ? esc : event;
      fail('items', it.id, at, `items row ${it.id}: route is ${JSON.stringify(it.route)} but the log says ${JSON.stringify(route)} (event ${at})`);
    }
    checkRecordFields(sqlite, st, it, event);
    counts.items++;
  }
  if (since > 0) return;
  let expectedItems = 0;
  for (let s = 0; s < st.revision.length; s++) if (st.revision[s]! > 0) expectedItems++;
  if (expectedItems !== counts.items) fail('items', '-', null, `the log brought ${expectedItems} items but the table holds ${counts.items}`);
  tally!.check(sqlite);
}

function replaySources(sqlite: Database.Database, counts: StateCounts): void {
  for (const s of sourcesWithEvents(sqlite)) {
    if (!s.body || s.eventSeq === null) fail('sources', s.id, null, `sources row ${s.id} has no source.registered event: inserted outside Verdict`);
    const d = (JSON.parse(s.body) as { data: { source_id: string; kind: string; uri: string; preset: string | null; mapping_sha256: string | null } }).data;
    const diff =
      d.source_id !== s.id ? 'id' : d.kind !== s.kind ? 'kind' : d.uri !== s.uri ? 'uri' : d.preset !== s.preset ? 'preset' : d.mapping_sha256 !== sha(s.mapping) ? 'mapping' : null;
    if (diff) fail('sources', s.id, s.eventSeq, `sources row ${s.id}: ${diff} differs from event ${s.eventSeq}`);
    counts.sources++;
  }
  const logged = countSourceEvents(sqlite);
  if (logged !== counts.sources) fail('sources', '-', null, `the log registered ${logged} sources but the table holds ${counts.sources} (deleted)`);
}

/** agreement_items (the agreement statistics' per-item summary) is what the verified verdicts give. */
function checkAgreementItems(sqlite: Database.Database): void {
  const m = agreementItemsMismatch(sqlite);
  if (!m) return;
  fail('agreement_items', String(m.itemSeq), null, m.side === 'stored'
    ? `agreement_items row for item seq ${m.itemSeq} does not match the item's verdicts (edited or stale)`
    : `agreement_items lacks the row the verdicts give for item seq ${m.itemSeq} (deleted or stale)`);
}

/**
 * Replays the log against the tables; with `since` (the size of a head saved after a full
 * verify), only the rows the events from `since` on describe: the item revisions and verdicts
 * they added and the items they touched. Rows from before it are not re-read: an incremental
 * check proves the recent past, and a full one (the default) everything. Run it on a connection with a read snapshot (or inside a
 * read transaction) so a concurrent writer cannot make an honest workspace look tampered.
 */
export function verifyState(sqlite: Database.Database, since = 0): StateResult {
  const counts: StateCounts = { revisions: 0, items: 0, verdicts: 0, sources: 0, actions: 0 };
  const run = sqlite.transaction(() => {
    const maxSeq = maxItemSeq(sqlite) + 1;
    const st: ItemState = {
      revision: new Int32Array(maxSeq),
      revisionEvent: new Float64Array(maxSeq).fill(-1),
      verdictEvent: new Float64Array(maxSeq).fill(-1),
      verdictStatus: new Uint8Array(maxSeq),
      recordDigest: new Float64Array(maxSeq),
      recordRoute: new Uint16Array(maxSeq),
      escalationEvent: new Float64Array(maxSeq).fill(-1),
      escalationRoute: new Uint16Array(maxSeq),
      routes: new Routes(),
    };
    replaySources(sqlite, counts);
    replayRevisions(sqlite, st, counts, since);
    replayVerdicts(sqlite, st, counts, since);
    replayActions(sqlite, st, counts, since);
    replayItems(sqlite, st, counts, since);
    if (since === 0) checkAgreementItems(sqlite);
  });
  try {
    run.deferred();
    return { ok: true, counts };
  } catch (err) {
    if (err instanceof Mismatch) return { ok: false, mismatch: err.detail, counts };
    throw err;
  }
}
