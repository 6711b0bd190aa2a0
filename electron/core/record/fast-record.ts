/**
 * The ingest hot path's record validator. `fastRecord(v)` returns what
 * `normalizeRecord(escalationRecordSchema.parse(v))` returns, or null when it cannot vouch for `v`;
 * the caller then runs zod, which produces the record or the error message. It never has to
 * explain a rejection, so every doubtful case is simply null.
 *
 * zod costs a fifth of parsing a line and copies the whole tree. The stored JSON and its content
 * hash must not depend on which path ran (re-ingesting an old file has to find its duplicates), so
 * under JSON.stringify the result is byte-identical to zod 4's:
 * - schema objects are rebuilt with their keys in shape order and unknown keys dropped;
 *   `provenance` (catchall) keeps its unknown keys after the declared ones, in for-in order,
 *   without `__proto__`;
 * - an absent optional key stays absent; one present with the value `undefined` (a mapper can
 *   produce that) is kept as `undefined`, as zod keeps it;
 * - a default fills its shape position when the key is absent or `undefined`;
 * - a `metadata` map is returned as given: zod's copy has the same own keys in the same order.
 *   The record therefore shares those maps with `v` (prototype included: a null-prototype map
 *   stays one, where zod's copy is a plain object), as zod's shares the maps' values.
 *
 * Returned as null rather than mirrored:
 * - a string longer than its limit in UTF-16 units: the installed zod (4.6) measures code points,
 *   so text with astral characters can still fit, and counting them here is not worth it;
 * - a `metadata` map with an own `__proto__` key (zod strips it) or any symbol key.
 *
 * Inputs are assumed to be JSON values or what the ingest mappers build from them; getters and
 * proxies are not considered. test/record/fast-record.test.ts compares the two paths and pins the
 * schema, so a change to schema.ts fails a test until this file follows it.
 */
import type { EscalationRecord } from './schema.ts';

type Obj = Record<string, unknown>;
type Out = Record<string, unknown>;

const SHORT = 4096;
const REASON = 65536;
const LONG = 1_000_000;
const ID = 512;
const LIST = 1000;
const SPANS = 10000;

const PROVENANCE_STRINGS = [
  'gen_ai.provider.name',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.response.id',
  'gen_ai.conversation.id',
  'model_version',
  'deployment',
  'request_id',
  'trace_id',
  'span_id',
  'dataset_snapshot',
] as const;
/** Declared provenance keys: the catchall pass skips them, as zod's does. */
const PROVENANCE_KEYS = new Set<string>([...PROVENANCE_STRINGS, 'pipeline']);

/** zod's isObject: arrays are not objects, anything else with typeof 'object' is. */
const isScore = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= 1;
const isReason = (v: unknown): boolean => typeof v === 'string' && v.length <= REASON;
const isDateTime = (v: unknown): boolean => typeof v === 'string' && isIsoDateTime(v);
const isRiskTier = (v: unknown): boolean => v === 'high' || v === 'medium' || v === 'low';

/**
 * An optional field as zod writes it: absent stays absent, present-but-undefined stays
 * undefined, anything else must pass `ok`. Returns false when it does not.
 */
function copyOptional(v: Obj, out: Out, key: string, ok: (value: unknown) => boolean): boolean {
  const value = v[key];
  if (value !== undefined) {
    if (!ok(value)) return false;
    out[key] = value;
  } else if (key in v) out[key] = undefined;
  return true;
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isShort(v: unknown): v is string {
  return typeof v === 'string' && v.length <= SHORT;
}

function isLong(v: unknown): v is string {
  return typeof v === 'string' && v.length <= LONG;
}

/** z.number().int().min(0): int means a safe integer in zod 4. */
function isOffset(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Value of the digit pair at i, or -1. */
function pair(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  // charCodeAt past the end is NaN, which fails these comparisons too
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * zod 4's z.iso.datetime({ offset: true }) pattern, by hand: YYYY-MM-DDTHH:MM:SS, optional
 * fraction of one or more digits, then Z or ±HH:MM (hours to 23). Uppercase T and Z only, a real
 * calendar day (Feb 29 in Gregorian leap years, year 0000 included), no leap second.
 */
export function isIsoDateTime(s: string): boolean {
  const n = s.length;
  if (n < 20) return false;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return false;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const century = pair(s, 0);
  const year = pair(s, 2);
  const month = pair(s, 5);
  const day = pair(s, 8);
  if (century < 0 || year < 0 || month < 1 || month > 12 || day < 1) return false;
  let days = 31;
  if (month === 2) days = (year === 0 ? century % 4 === 0 : year % 4 === 0) ? 29 : 28;
  else if (month === 4 || month === 6 || month === 9 || month === 11) days = 30;
  if (day > days) return false;
  const hh = pair(s, 11);
  const mm = pair(s, 14);
  const ss = pair(s, 17);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n) {
      const d = s.charCodeAt(i);
      if (d < 48 || d > 57) break;
      i++;
    }
    if (i === start) return false;
  }
  const c = s.charCodeAt(i);
  if (c === 90) return i + 1 === n;
  if ((c !== 43 && c !== 45) || i + 6 !== n || s.charCodeAt(i + 3) !== 58) return false;
  const oh = pair(s, i + 1);
  const om = pair(s, i + 4);
  return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
}

/** /^[a-z][a-z0-9_-]{0,63}$/ */
function isRoute(s: string): boolean {
  const n = s.length;
  if (n < 1 || n > 64) return false;
  let c = s.charCodeAt(0);
  if (c < 97 || c > 122) return false;
  for (let i = 1; i < n; i++) {
    c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return false;
  }
  return true;
}

function isRole(v: unknown): boolean {
  return v === 'user' || v === 'assistant' || v === 'system' || v === 'tool';
}

function isEvidenceKind(v: unknown): boolean {
  return (
    v === 'retrieved_document' ||
    v === 'citation' ||
    v === 'tool_call' ||
    v === 'detector_output' ||
    v === 'reference_response' ||
    v === 'note'
  );
}

/**
 * z.record(z.string(), z.unknown()): zod requires a plain object (its isPlainObject, copied here)
 * and copies its own enumerable keys in order, which JSON.stringify of the map itself reproduces.
 */
function isMetadata(v: unknown): v is Obj {
  if (!isObject(v)) return false;
  const ctor = v.constructor;
  if (ctor !== undefined && typeof ctor === 'function') {
    const proto: unknown = ctor.prototype;
    if (!isObject(proto) || !Object.prototype.hasOwnProperty.call(proto, 'isPrototypeOf')) return false;
  }
  return !Object.hasOwn(v, '__proto__') && Object.getOwnPropertySymbols(v).length === 0;
}

function message(v: unknown): Out | null {
  if (!isObject(v)) return null;
  const role = v.role;
  const content = v.content;
  if (!isRole(role) || !isLong(content)) return null;
  const name = v.name;
  if (name === undefined) return 'name' in v ? { role, content, name } : { role, content };
  return isShort(name) ? { role, content, name } : null;
}

/** conversationSchema (a string first, then `{ messages }`), with normalizeRecord's expansion. */
function conversation(v: unknown, role: 'user' | 'assistant'): Out | null {
  if (typeof v === 'string') return v.length <= LONG ? { messages: [{ role, content: v }] } : null;
  if (!isObject(v)) return null;
  const list = v.messages;
  if (!Array.isArray(list) || list.length > LIST) return null;
  const messages: Out[] = [];
  for (let i = 0; i < list.length; i++) {
    const m = message(list[i]);
    if (m === null) return null;
    messages.push(m);
  }
  return { messages };
}

function span(v: unknown): Out | null {
  if (!isObject(v)) return null;
  const field = v.field;
  const start = v.start;
  const end = v.end;
  if (!isShort(field) || !isOffset(start) || !isOffset(end) || end < start) return null;
  const label = v.label;
  if (label === undefined) return 'label' in v ? { field, start, end, label } : { field, start, end };
  return isShort(label) ? { field, start, end, label } : null;
}

function flag(v: unknown): Out | null {
  if (!isObject(v)) return null;
  const source = v.source;
  if (!isShort(source)) return null;
  const out: Out = { source };
  if (!copyOptional(v, out, 'policy', isShort)) return null;
  if (!copyOptional(v, out, 'category', isShort)) return null;
  if (!copyOptional(v, out, 'score', isScore)) return null;
  if (!copyOptional(v, out, 'reason', isReason)) return null;
  const list = v.spans;
  const spans: Out[] = [];
  if (list !== undefined) {
    if (!Array.isArray(list) || list.length > SPANS) return null;
    for (let i = 0; i < list.length; i++) {
      const s = span(list[i]);
      if (s === null) return null;
      spans.push(s);
    }
  }
  out.spans = spans;
  return out;
}

function evidence(v: unknown): Out | null {
  if (!isObject(v)) return null;
  const kind = v.kind;
  if (!isEvidenceKind(kind)) return null;
  const out: Out = { kind };
  if (!copyOptional(v, out, 'title', isShort)) return null;
  if (!copyOptional(v, out, 'uri', isShort)) return null;
  if (!copyOptional(v, out, 'content', isLong)) return null;
  if (!copyOptional(v, out, 'metadata', isMetadata)) return null;
  return out;
}

function pipelineStep(v: unknown): Out | null {
  if (!isObject(v)) return null;
  const step = v.step;
  if (!isShort(step)) return null;
  const out: Out = { step };
  if (!copyOptional(v, out, 'version', isShort)) return null;
  if (!copyOptional(v, out, 'at', isDateTime)) return null;
  return out;
}

function provenance(v: unknown): Out | null {
  if (!isObject(v)) return null;
  const out: Out = {};
  for (let i = 0; i < PROVENANCE_STRINGS.length; i++) {
    const key = PROVENANCE_STRINGS[i]!;
    const s = v[key];
    if (s !== undefined) {
      if (!isShort(s)) return null;
      out[key] = s;
    } else if (key in v) out[key] = undefined;
  }
  const list = v.pipeline;
  if (list !== undefined) {
    if (!Array.isArray(list) || list.length > LIST) return null;
    const pipeline: Out[] = [];
    for (let i = 0; i < list.length; i++) {
      const s = pipelineStep(list[i]);
      if (s === null) return null;
      pipeline.push(s);
    }
    out.pipeline = pipeline;
  } else if ('pipeline' in v) out.pipeline = undefined;
  // zod's catchall pass: for-in order (inherited enumerable keys included), values as they are
  for (const key in v) {
    if (PROVENANCE_KEYS.has(key) || key === '__proto__') continue;
    out[key] = v[key];
  }
  return out;
}

export function fastRecord(value: unknown): EscalationRecord | null {
  if (!isObject(value)) return null;
  const v = value;
  const id = v.id;
  if (typeof id !== 'string' || id.length < 1 || id.length > ID) return null;
  const createdAt = v.created_at;
  if (typeof createdAt !== 'string' || !isIsoDateTime(createdAt)) return null;
  let priority = v.priority;
  if (priority === undefined) priority = 'normal';
  else if (priority !== 'normal' && priority !== 'high' && priority !== 'critical' && priority !== 'low') return null;
  const out: Out = { id, created_at: createdAt, priority };
  if (!copyOptional(v, out, 'risk_tier', isRiskTier)) return null;
  let route = v.route;
  if (route === undefined) route = 'trust_safety';
  else if (typeof route !== 'string' || !isRoute(route)) return null;
  out.route = route;
  const input = conversation(v.input, 'user');
  if (input === null) return null;
  out.input = input;
  const rawOutput = v.output;
  if (rawOutput !== undefined) {
    const output = conversation(rawOutput, 'assistant');
    if (output === null) return null;
    out.output = output;
  } else if ('output' in v) out.output = undefined;

  const flagList = v.flags;
  const flags: Out[] = [];
  if (flagList !== undefined) {
    if (!Array.isArray(flagList) || flagList.length > LIST) return null;
    for (let i = 0; i < flagList.length; i++) {
      const f = flag(flagList[i]);
      if (f === null) return null;
      flags.push(f);
    }
  }
  out.flags = flags;

  const evidenceList = v.evidence;
  const evidenceOut: Out[] = [];
  if (evidenceList !== undefined) {
    if (!Array.isArray(evidenceList) || evidenceList.length > LIST) return null;
    for (let i = 0; i < evidenceList.length; i++) {
      const e = evidence(evidenceList[i]);
      if (e === null) return null;
      evidenceOut.push(e);
    }
  }
  out.evidence = evidenceOut;

  const rawProvenance = v.provenance;
  if (rawProvenance === undefined) out.provenance = {};
  else {
    const p = provenance(rawProvenance);
    if (p === null) return null;
    out.provenance = p;
  }

  const metadata = v.metadata;
  if (metadata === undefined) out.metadata = {};
  else if (isMetadata(metadata)) out.metadata = metadata;
  else return null;
  return out as unknown as EscalationRecord;
}
