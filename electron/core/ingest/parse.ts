/**
 * Turns one JSONL line into a validated escalation record, or a precise reason it cannot be one.
 */
import { jsonErrorInWords } from './json-error.ts';
import { isUtf8 } from 'node:buffer';
import { jsonHasLoneSurrogate, loneSurrogateError, loneSurrogatePath, NOT_UTF8_ERROR } from '../util/text.ts';
import { hash } from 'node:crypto';
import type { z } from 'zod';
import { fastRecord } from '../record/fast-record.ts';
export { canonicalJson } from '../../../db/util/canonical-json.ts';
import { escalationRecordSchema, normalizeRecord } from '../record/schema.ts';
import { extKey } from '../util/ext-key.ts';
import { summarize, type PreparedRecord } from './prepared.ts';

export const MAX_DEPTH = 32;
export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

export type ParseOutcome =
  | { ok: true; rec: PreparedRecord }
  /** `raw`: the rejected line's bytes, when it was parsed from a packed batch. */
  | { ok: false; error: string; jsonPath: string; raw?: Uint8Array };
/** What parseLine gives before a batch packs the record texts into one buffer. */
type LineOutcome = { ok: true; rec: Omit<PreparedRecord, 'json' | 'contentSha256' | 'extKey'>; json: string } | { ok: false; error: string; jsonPath: string; raw?: Uint8Array };

export type Mapper = (value: unknown) => unknown;

/** Whether arrays/objects nest deeper than `limit` below `v` (at depth `d`); allocates nothing. */
function nestsDeeper(v: unknown, d: number, limit: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (d > limit) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (nestsDeeper(v[i], d + 1, limit)) return true;
  } else {
    for (const k in v as Record<string, unknown>) if (nestsDeeper((v as Record<string, unknown>)[k], d + 1, limit)) return true;
  }
  return false;
}

/**
 * The JSON path of the first value nested deeper than the limit, or null. Every line is
 * checked, so the common case (not too deep) builds no paths; only a failing line names one.
 */
function tooDeep(value: unknown, limit: number): string | null {
  return nestsDeeper(value, 1, limit) ? deepPath(value, limit) : null;
}

function deepPath(value: unknown, limit: number): string | null {
  const stack: { v: unknown; d: number; path: string }[] = [{ v: value, d: 1, path: '$' }];
  while (stack.length > 0) {
    const { v, d, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > limit) return path;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (v[i] !== null && typeof v[i] === 'object') stack.push({ v: v[i], d: d + 1, path: `${path}[${i}]` });
    } else {
      for (const k in v as Record<string, unknown>) {
        const c = (v as Record<string, unknown>)[k];
        if (c !== null && typeof c === 'object') stack.push({ v: c, d: d + 1, path: `${path}.${k}` });
      }
    }
  }
  return null;
}

export function jsonPathOf(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) out += `.${p}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

/** zod words an absent field as a type mismatch ("Invalid input"); a reviewer needs "missing". */
function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  let at: unknown = value;
  for (const key of issue.path) at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  const missing = at === undefined && (issue.code === 'invalid_union' || issue.code === 'invalid_type');
  const message = missing ? 'required field is missing' : issue.message;
  return `${message} at ${jsonPathOf(issue.path)}`;
}


export function contentHash(text: string): string {
  return hash('sha256', text, 'hex');
}

function parseOne(text: string, mapper?: Mapper): LineOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: jsonErrorInWords(text, (err as Error).message), jsonPath: '$' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return { ok: false, error: `expected a JSON object, got ${kind}`, jsonPath: '$' };
  }
  const deep = tooDeep(value, MAX_DEPTH);
  if (deep) return { ok: false, error: `nested deeper than ${MAX_DEPTH} levels`, jsonPath: deep };
  if (mapper) {
    try {
      value = mapper(value);
    } catch (err) {
      return { ok: false, error: `mapping failed: ${(err as Error).message}`, jsonPath: '$' };
    }
  }
  // zod only when the hand-written validator cannot vouch for the value: it alone words the errors
  let record = fastRecord(value);
  if (record === null) {
    const parsed = escalationRecordSchema.safeParse(value);
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
      return { ok: false, error: `schema: ${describeIssue(first, value)}${more}`, jsonPath: jsonPathOf(first.path) };
    }
    record = normalizeRecord(parsed.data);
  }
  const json = JSON.stringify(record);
  if (jsonHasLoneSurrogate(json)) {
    const path = loneSurrogatePath(record) ?? '$';
    return { ok: false, error: loneSurrogateError(path), jsonPath: path };
  }
  const created = new Date(record.created_at);
  return {
    ok: true,
    json,
    rec: {
      externalId: record.id,
      createdAt: created.toISOString(),
      createdMs: created.getTime(),
      summary: summarize(record),
    },
  };
}

/** The lines of one chunk as UTF-8 in a single buffer: one transfer to a parse thread, no per-line strings. */
export interface LineBatch {
  bytes: Uint8Array;
  /** Line i is bytes[ends[i - 1] ?? 0, ends[i]). */
  ends: Uint32Array;
}

export function packLines(lines: readonly Uint8Array[]): LineBatch {
  let total = 0;
  for (const l of lines) total += l.length;
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(lines.length);
  let at = 0;
  lines.forEach((l, i) => {
    bytes.set(l, at);
    at += l.length;
    ends[i] = at;
  });
  return { bytes, ends };
}

const decoder = new TextDecoder();

/**
 * Parses a packed chunk. The stored texts of the good records come back as views into one new
 * buffer (the caller may transfer it), which the writer binds as bytes: no per-record string
 * crosses threads or sits in the writer's heap while a batch fills.
 */
/**
 * The two hashes of a parsed record. A parse thread leaves them to the writing thread, which
 * has time to spare while the parse threads are the bottleneck of a bulk ingest.
 */
export function keyRecord(rec: PreparedRecord): void {
  rec.contentSha256 = hash('sha256', rec.json, 'hex');
  rec.extKey = extKey(rec.externalId);
}

export function parseBatch(batch: LineBatch, mapper?: Mapper, opts: { keys: boolean } = { keys: true }): { outcomes: ParseOutcome[]; buffer: ArrayBuffer } {
  // Each record's text is written out as soon as it is made, so it dies young: holding a whole
  // chunk of texts until the end made every scavenge copy them (a third of the thread's time).
  let out = Buffer.allocUnsafeSlow(Math.ceil(batch.bytes.length * 1.25) + 65536);
  let at = 0;
  const spans: { o: Extract<LineOutcome, { ok: true }>['rec']; at: number; n: number }[] = [];
  const outcomes: (ParseOutcome | null)[] = [];
  let start = 0;
  for (const end of batch.ends) {
    const bytes = batch.bytes.subarray(start, end);
    start = end;
    const o: LineOutcome = isUtf8(bytes) ? parseOne(decoder.decode(bytes), mapper) : { ok: false, error: NOT_UTF8_ERROR, jsonPath: '$' };
    if (!o.ok) {
      outcomes.push({ ...o, raw: bytes.slice() });
      continue;
    }
    const max = o.json.length * 3;
    if (at + max > out.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(out.length * 2, at + max));
      out.copy(grown, 0, 0, at);
      out = grown;
    }
    const n = out.write(o.json, at, 'utf8');
    spans.push({ o: o.rec, at, n });
    outcomes.push(null);
    at += n;
  }
  let k = 0;
  const result = outcomes.map((o): ParseOutcome => {
    if (o) return o;
    const sp = spans[k++]!;
    const rec: PreparedRecord = { ...sp.o, json: new Uint8Array(out.buffer, out.byteOffset + sp.at, sp.n), contentSha256: '', extKey: 0 };
    if (opts.keys) keyRecord(rec);
    return { ok: true, rec };
  });
  return { outcomes: result, buffer: out.buffer as ArrayBuffer };
}

/** One line, for callers outside the ingest pipeline (tests, tools). */
export function parseLine(text: string, mapper?: Mapper): ParseOutcome {
  const bytes = Buffer.from(text, 'utf8');
  return parseBatch({ bytes, ends: Uint32Array.of(bytes.length) }, mapper).outcomes[0]!;
}
