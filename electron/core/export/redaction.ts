/**
 * Redaction of exported text: the built-in detector (`redactText`) over every text, plus every
 * span a flag marked as PII, replaced by a typed placeholder such as `[EMAIL]`.
 *
 * Which flags mean PII: a flag whose category or policy names PII (`pii`, `phi`, `personal`, or a
 * PII type such as email or phone); all of its spans are PII. A span of any other flag is PII
 * when its own label names an unambiguous PII type (EMAIL_ADDRESS, US_SSN, PHONE_NUMBER, …).
 * Spans are Unicode code-point offsets into `input`, `output` (the first message) or
 * `input.messages[i]` / `output.messages[i]`; spans on other fields are ignored.
 *
 * A flagged value that the reviewer's correction (or another message) repeats is redacted there
 * too: each flagged substring of three or more characters is searched for in every exported text
 * of the item.
 */
import type { ExtraSpan } from './pii/redact.ts';
import { mayContainPii } from './pii/detect.ts';
import { redactText } from './pii/redact.ts';

export interface FlagLike {
  source?: unknown;
  policy?: unknown;
  category?: unknown;
  spans?: unknown;
}

interface SpanLike {
  field?: unknown;
  start?: unknown;
  end?: unknown;
  label?: unknown;
}

function tokens(s: unknown): string[] {
  return typeof s === 'string' ? s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean) : [];
}

function typeOfTokens(t: Set<string>): string | null {
  if (t.size === 0) return null;
  if (t.has('email') || t.has('mail')) return 'EMAIL';
  if (t.has('phone') || t.has('telephone') || t.has('mobile') || t.has('fax') || t.has('tel')) return 'PHONE';
  if (t.has('ssn') || (t.has('social') && t.has('security'))) return 'SSN';
  if (t.has('card') || t.has('credit') || t.has('creditcard')) return 'CARD';
  if (t.has('iban')) return 'IBAN';
  if (t.has('ip') || t.has('ipv4') || t.has('ipv6')) return 'IP_ADDRESS';
  if (t.has('nino') || (t.has('national') && t.has('insurance'))) return 'UK_NINO';
  if (t.has('passport')) return 'PASSPORT';
  if (t.has('dob') || t.has('birth') || t.has('birthdate')) return 'DATE_OF_BIRTH';
  if (t.has('address') || t.has('street') || t.has('postal') || t.has('zip') || t.has('postcode')) return 'ADDRESS';
  if (t.has('person') || t.has('name') || t.has('names') || t.has('surname')) return 'NAME';
  return null;
}

/** Labels and categories repeat across millions of flags: classify each distinct string once. */
const MEMO_MAX = 10_000;
const typeMemo = new Map<string, string | null>();
const fieldMemo = new Map<string, boolean>();

/** The placeholder type a label names, or null. */
export function piiTypeOf(label: unknown): string | null {
  if (typeof label !== 'string') return null;
  let t = typeMemo.get(label);
  if (t === undefined) {
    t = typeOfTokens(new Set(tokens(label)));
    if (typeMemo.size >= MEMO_MAX) typeMemo.clear();
    typeMemo.set(label, t);
  }
  return t;
}

/** Types a span label may carry on a flag that is not itself about PII. */
const UNAMBIGUOUS = new Set(['EMAIL', 'PHONE', 'SSN', 'CARD', 'IBAN', 'IP_ADDRESS', 'UK_NINO', 'PASSPORT', 'DATE_OF_BIRTH']);

/** Does a flag category or policy name PII? */
function fieldNamesPii(field: unknown): boolean {
  if (typeof field !== 'string') return false;
  let r = fieldMemo.get(field);
  if (r === undefined) {
    const t = tokens(field);
    const type = piiTypeOf(field);
    r = t.includes('pii') || t.includes('phi') || t.includes('personal') || (type !== null && type !== 'NAME');
    if (fieldMemo.size >= MEMO_MAX) fieldMemo.clear();
    fieldMemo.set(field, r);
  }
  return r;
}

export function isPiiFlag(flag: FlagLike): boolean {
  return fieldNamesPii(flag.category) || fieldNamesPii(flag.policy);
}

const labelMemo = new Map<string, boolean>();

function spanIsPii(flagIsPii: boolean, span: SpanLike): boolean {
  if (flagIsPii) return true;
  const label = span.label;
  if (typeof label !== 'string') return false;
  let r = labelMemo.get(label);
  if (r === undefined) {
    const type = piiTypeOf(label);
    r = (type !== null && UNAMBIGUOUS.has(type)) || tokens(label).includes('pii');
    if (labelMemo.size >= MEMO_MAX) labelMemo.clear();
    labelMemo.set(label, r);
  }
  return r;
}

/** True when any flag is a PII flag or carries a PII-labelled span. */
export function hasPiiFlags(flags: unknown): boolean {
  if (!Array.isArray(flags)) return false;
  for (const f of flags as FlagLike[]) {
    if (!f || typeof f !== 'object') continue;
    const pii = isPiiFlag(f);
    if (pii) return true;
    if (Array.isArray(f.spans)) for (const s of f.spans as SpanLike[]) if (s && spanIsPii(false, s)) return true;
  }
  return false;
}

/** Cheap pre-test on a flags JSON text before parsing it. */
const MAYBE_PII = /pii|phi|personal|mail|phone|mobile|fax|tel|ssn|social|card|credit|iban|ip|nino|national|passport|dob|birth|address|street|postal|zip|postcode|person|name/i;

export function flagsJsonHasPii(flagsJson: string | null): boolean {
  if (!flagsJson || flagsJson === '[]' || !MAYBE_PII.test(flagsJson)) return false;
  try {
    return hasPiiFlags(JSON.parse(flagsJson));
  } catch {
    return false;
  }
}

type SpanTarget = { side: 'input' | 'output'; index: number };

/** Where a span points: `input` / `output` side and message index. */
export function spanTarget(field: unknown): SpanTarget | null {
  if (field === 'input' || field === 'output') return { side: field, index: 0 };
  if (typeof field !== 'string') return null;
  const m = /^(input|output)\.messages\[(\d+)\]$/.exec(field);
  if (!m) return null;
  return { side: m[1] as 'input' | 'output', index: Number(m[2]) };
}

/** Span fields repeat across millions of flags: parse each distinct one once. */
const targetMemo = new Map<string, SpanTarget | null>();

function memoSpanTarget(field: unknown): SpanTarget | null {
  if (typeof field !== 'string') return null;
  let t = targetMemo.get(field);
  if (t === undefined) {
    t = spanTarget(field);
    if (targetMemo.size >= MEMO_MAX) targetMemo.clear();
    targetMemo.set(field, t);
  }
  return t;
}

export interface ItemPii {
  /** Flagged spans per message of each side (`input[i]`: spans in `input.messages[i]`). */
  input: (ExtraSpan[] | undefined)[];
  output: (ExtraSpan[] | undefined)[];
  /** Flagged substrings (with their placeholder type) to redact wherever else they appear. */
  values: { value: string; type: string }[];
}

/** Slices a string by code-point offsets. */
function sliceCodePoints(text: string, start: number, end: number): string {
  let i = 0;
  let cp = 0;
  while (i < text.length && cp < start) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    cp++;
  }
  let j = i;
  while (j < text.length && cp < end) {
    const c = text.charCodeAt(j);
    j += c >= 0xd800 && c <= 0xdbff && j + 1 < text.length ? 2 : 1;
    cp++;
  }
  return text.slice(i, j);
}

/**
 * PII spans and values of one record, resolved against its messages. Spans on messages the
 * record does not have are dropped (no text would ever be looked up for them).
 */
export function itemPii(
  flags: unknown,
  input: readonly { content: string }[],
  output: readonly { content: string }[],
): ItemPii | null {
  if (!Array.isArray(flags) || flags.length === 0) return null;
  let pii: ItemPii | null = null;
  let values: Map<string, string> | null = null;
  for (const f of flags as FlagLike[]) {
    if (!f || typeof f !== 'object' || !Array.isArray(f.spans)) continue;
    const flagPii = isPiiFlag(f);
    for (const s of f.spans as SpanLike[]) {
      if (!s || typeof s !== 'object' || !spanIsPii(flagPii, s)) continue;
      const target = memoSpanTarget(s.field);
      if (!target || typeof s.start !== 'number' || typeof s.end !== 'number' || s.end <= s.start) continue;
      const msgs = target.side === 'input' ? input : output;
      const msg = msgs[target.index];
      if (!msg) continue;
      const type = piiTypeOf(s.label) ?? piiTypeOf(f.category) ?? 'PII';
      pii ??= { input: [], output: [], values: [] };
      const lists = pii[target.side];
      (lists[target.index] ??= []).push({ start: s.start, end: s.end, type });
      const value = sliceCodePoints(msg.content, s.start, s.end).trim();
      if (value.length >= 3 && !(values ??= new Map()).has(value)) values.set(value, type);
    }
  }
  if (pii && values) for (const [value, type] of values) pii.values.push({ value, type });
  return pii;
}

/** Code-point offset of a UTF-16 index. */
function codePointIndex(text: string, utf16: number): number {
  let n = 0;
  for (let i = 0; i < utf16; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = text.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) continue;
    }
    n++;
  }
  return n;
}

/** A span for every occurrence of a flagged value in `text`, or null when there is none. */
function echoSpans(text: string, values: ItemPii['values']): ExtraSpan[] | null {
  let out: ExtraSpan[] | null = null;
  for (const { value, type } of values) {
    let at = text.indexOf(value);
    while (at !== -1) {
      const start = codePointIndex(text, at);
      (out ??= []).push({ start, end: start + codePointIndex(value, value.length), type });
      at = text.indexOf(value, at + value.length);
    }
  }
  return out;
}

const NO_SPANS: readonly ExtraSpan[] = [];

export interface RedactionStats {
  /** Placeholders written, per type. */
  byType: Record<string, number>;
  /** Rows in which at least one placeholder was written. */
  rowsChanged: number;
}

const CACHE_MAX_TEXT = 4096;
const CACHE_MAX_CHARS = 4_000_000;

/**
 * Redacts the texts of one row at a time. Texts without item-specific spans (system prompts
 * repeat across thousands of items) are memoised in a bounded cache.
 */
export class Redactor {
  readonly stats: RedactionStats = { byType: {}, rowsChanged: 0 };
  private readonly cache = new Map<string, { text: string; byType: Record<string, number> | null }>();
  private cacheChars = 0;
  /** Placeholders of the row being built: committed only if the row is written. */
  private pending: Record<string, number> | null = null;

  constructor(readonly enabled: boolean) {}

  beginRow(): void {
    this.pending = null;
  }

  /** `written`: the row went out (its placeholders count); otherwise they are dropped. */
  endRow(written: boolean): void {
    if (written && this.pending) {
      const into = this.stats.byType;
      for (const k in this.pending) into[k] = (into[k] ?? 0) + this.pending[k]!;
      this.stats.rowsChanged++;
    }
    this.pending = null;
  }

  private count(byType: Record<string, number>): void {
    const p = (this.pending ??= {});
    for (const k in byType) p[k] = (p[k] ?? 0) + byType[k]!;
  }

  /** Redacts a message list (`side` selects the item's flagged spans for each message). */
  messages(msgs: { role: string; content: string }[], side: 'input' | 'output', pii: ItemPii | null): { role: string; content: string }[] {
    if (!this.enabled) return msgs;
    const out = new Array<{ role: string; content: string }>(msgs.length);
    for (let i = 0; i < msgs.length; i++) {
      const m = msgs[i]!;
      out[i] = { role: m.role, content: this.text(m.content, pii?.[side][i], pii) };
    }
    return out;
  }

  /** `spans`: code-point spans in this text; `pii`: the item's flagged values to search for. */
  text(text: string, spans?: readonly ExtraSpan[], pii?: ItemPii | null): string {
    if (!this.enabled || text === '') return text;
    let extra: readonly ExtraSpan[] = spans ?? NO_SPANS;
    if (pii && pii.values.length) {
      const echoes = echoSpans(text, pii.values);
      if (echoes) extra = extra.length ? [...extra, ...echoes] : echoes;
    }
    if (extra.length === 0) {
      // Nothing item-specific and nothing the detector could match: the text stays as it is
      // (cheaper than a cache lookup, which hashes the whole text).
      if (!mayContainPii(text)) return text;
      if (text.length > CACHE_MAX_TEXT) return this.redact(text, extra);
      const hit = this.cache.get(text);
      if (hit) {
        if (hit.byType) this.count(hit.byType);
        return hit.text;
      }
      const r = redactText(text);
      if (this.cacheChars + text.length > CACHE_MAX_CHARS) {
        this.cache.clear();
        this.cacheChars = 0;
      }
      this.cache.set(text, { text: r.text, byType: r.replaced ? r.byType : null });
      this.cacheChars += text.length + r.text.length;
      if (r.replaced) this.count(r.byType);
      return r.text;
    }
    return this.redact(text, extra);
  }

  private redact(text: string, extra: readonly ExtraSpan[]): string {
    const r = redactText(text, extra);
    if (r.replaced) this.count(r.byType);
    return r.text;
  }
}
