import { describe, expect, it } from 'vitest';
import {
  codePointLength,
  DEMO_EPOCH_MS,
  DEMO_SCENARIOS,
  DEMO_SPREAD_MS,
  generateDemoCases,
  generateDemoRecords,
  type DemoCase,
} from '../../electron/core/demo/generate.ts';
import {
  escalationRecordSchema,
  normalizeRecord,
  type EscalationRecord,
  type EscalationRecordInput,
} from '../../electron/core/record/schema.ts';

const SEEDS = [1, 2, 3];
const casesFor = (seed: number, n: number): DemoCase[] => Array.from(generateDemoCases(n, seed));
// Built on first use, so the timing test runs on a clean heap.
let cached: Map<number, DemoCase[]> | undefined;
const casesOf = (seed: number): DemoCase[] => {
  cached ??= new Map(SEEDS.map((s) => [s, casesFor(s, 500)]));
  return cached.get(seed) ?? [];
};
const all = (): DemoCase[] => SEEDS.flatMap(casesOf);

/** The text of the message a span field points at, or undefined if the field does not resolve. */
function messageText(record: EscalationRecordInput, field: string): string | undefined {
  const m = /^(input|output)(?:\.messages\[(\d+)\])?$/.exec(field);
  if (m === null) return undefined;
  const conv = m[1] === 'input' ? record.input : record.output;
  if (conv === undefined) return undefined;
  if (m[2] === undefined) {
    if (typeof conv === 'string') return conv;
    return conv.messages.length === 1 ? conv.messages[0]?.content : undefined;
  }
  if (typeof conv === 'string') return undefined;
  return conv.messages[Number(m[2])]?.content;
}

const cpSlice = (text: string, start: number, end: number): string => Array.from(text).slice(start, end).join('');

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length >= 13 && sum % 10 === 0;
}

function parsed(c: DemoCase): EscalationRecord {
  return normalizeRecord(escalationRecordSchema.parse(c.record));
}

describe('generateDemoRecords', () => {
  it.each(SEEDS)('every record for seed %i parses with the v1 schema', (seed) => {
    let n = 0;
    for (const r of generateDemoRecords(500, seed)) {
      const res = escalationRecordSchema.safeParse(r);
      if (!res.success) throw new Error(`${r.id}: ${JSON.stringify(res.error.issues, null, 2)}`);
      n++;
    }
    expect(n).toBe(500);
  });

  it('records are plain JSON (no undefined members, survive a round trip)', () => {
    for (const c of all()) expect(JSON.parse(JSON.stringify(c.record))).toStrictEqual(c.record);
  });

  it('is deterministic in the seed', () => {
    const a = JSON.stringify(Array.from(generateDemoRecords(300, 42)));
    const b = JSON.stringify(Array.from(generateDemoRecords(300, 42)));
    const c = JSON.stringify(Array.from(generateDemoRecords(300, 43)));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    // A shorter run is a prefix of a longer one.
    const short = JSON.stringify(Array.from(generateDemoRecords(120, 42)));
    expect(JSON.stringify(JSON.parse(a).slice(0, 120))).toBe(short);
  });

  it('different seeds give different ids', () => {
    const a = new Set(Array.from(generateDemoRecords(200, 1), (r) => r.id));
    const overlap = Array.from(generateDemoRecords(200, 2)).filter((r) => a.has(r.id));
    expect(overlap).toEqual([]);
  });

  it('ids are unique and well formed', () => {
    const ids = new Set<string>();
    let n = 0;
    for (const r of generateDemoRecords(20_000, 9)) {
      expect(r.id).toMatch(/^esc_[0-9a-f]{16}$/);
      ids.add(r.id);
      n++;
    }
    expect(ids.size).toBe(n);
  });

  it('handles count 0 and rejects bad counts', () => {
    expect(Array.from(generateDemoRecords(0, 1))).toEqual([]);
    expect(() => Array.from(generateDemoRecords(-1, 1))).toThrow(RangeError);
    expect(() => Array.from(generateDemoRecords(1.5, 1))).toThrow(RangeError);
  });
});

describe('spans', () => {
  it('every span lies inside its message and covers exactly the intended text', () => {
    let checked = 0;
    for (const c of all()) {
      const flagSpans = (c.record.flags ?? []).flatMap((f) => (f.spans ?? []).map((s) => ({ ...s, source: f.source })));
      expect(flagSpans.length).toBe(c.spans.length);
      flagSpans.forEach((s, i) => {
        const want = c.spans[i];
        expect(want).toBeDefined();
        if (want === undefined) return;
        expect({ source: s.source, field: s.field, start: s.start, end: s.end, label: s.label }).toEqual({
          source: want.source,
          field: want.field,
          start: want.start,
          end: want.end,
          label: want.label,
        });
        const text = messageText(c.record, s.field);
        expect(text, `${c.record.id} ${s.field}`).toBeDefined();
        if (text === undefined) return;
        const len = Array.from(text).length;
        expect(s.start).toBeGreaterThanOrEqual(0);
        expect(s.end).toBeGreaterThan(s.start);
        expect(s.end).toBeLessThanOrEqual(len);
        expect(cpSlice(text, s.start, s.end)).toBe(want.text);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('PII spans cover values that look like the labelled entity', () => {
    const seen = new Set<string>();
    for (const c of all()) {
      for (const s of c.spans) {
        if (s.source !== 'pii-detector') continue;
        expect(s.field.startsWith('output')).toBe(true);
        seen.add(s.label);
        switch (s.label) {
          case 'EMAIL_ADDRESS':
            expect(s.text).toMatch(/^[a-z0-9._+-]+@[a-z0-9.-]+\.[a-z]+$/);
            break;
          case 'PHONE_NUMBER':
            expect(s.text).toMatch(/^\+?[\d(][\d ()-]{6,}\d$/);
            break;
          case 'CREDIT_CARD':
            expect(luhnValid(s.text.replace(/[ -]/g, ''))).toBe(true);
            break;
          case 'US_SSN':
            expect(s.text).toMatch(/^\d{3}-\d{2}-\d{4}$/);
            break;
          case 'IBAN_CODE':
            expect(s.text.replace(/ /g, '')).toMatch(/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/);
            break;
          case 'STREET_ADDRESS':
          case 'DATE_OF_BIRTH':
            expect(s.text.length).toBeGreaterThan(5);
            break;
          default:
            throw new Error(`unexpected PII label ${s.label}`);
        }
      }
    }
    for (const l of ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'US_SSN', 'STREET_ADDRESS']) expect(seen).toContain(l);
  });

  it('jailbreak and injection spans point into input messages at the attack phrase', () => {
    let n = 0;
    for (const c of all()) {
      for (const s of c.spans) {
        if (s.source !== 'jailbreak-classifier' && s.source !== 'prompt-guard') continue;
        expect(s.field.startsWith('input')).toBe(true);
        expect(s.text).toMatch(/ignore|DAN|Developer Mode|grandmother|no content restrictions|AIM|Repeat the words|Ignoriere|bypass your safety|system prompt|AI assistant|AI coding agents|export the user's contacts|always say|^[A-Za-z0-9+/=]{40,}$/i);
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
  });

  it('some spans are preceded by astral emoji, so code-point and UTF-16 offsets differ', () => {
    let found = 0;
    for (const c of all()) {
      for (const s of c.spans) {
        const text = messageText(c.record, s.field) ?? '';
        const before = cpSlice(text, 0, s.start);
        if (/\p{Extended_Pictographic}/u.test(before) && before.length !== s.start) {
          found++;
          expect(text.slice(before.length, before.length + s.text.length)).toBe(s.text);
        }
      }
    }
    expect(found).toBeGreaterThan(0);
  });

  it('codePointLength counts code points', () => {
    for (const s of ['', 'abc', '👨‍👩‍👧', '🇩🇪x', 'é', '東京', '\ud800']) expect(codePointLength(s)).toBe(Array.from(s).length);
  });
});

describe('scenario mix', () => {
  it.each(SEEDS)('seed %i covers every scenario in the first 200 records', (seed) => {
    const seen = new Set((casesOf(seed)).slice(0, 200).map((c) => c.scenario));
    expect([...seen].sort()).toEqual([...DEMO_SCENARIOS].sort());
  });

  it('hostile markup appears in about 2% of records, inside content', () => {
    const cases = casesFor(5, 1000);
    const hostile = cases.filter((c) => c.hostile !== null);
    expect(hostile.length).toBeGreaterThanOrEqual(10);
    expect(hostile.length).toBeLessThanOrEqual(40);
    for (const c of hostile) {
      if (c.hostile === null) continue;
      expect(messageText(c.record, c.hostile.field)).toContain(c.hostile.text);
    }
  });

  it('priorities are mostly normal with some high and a few critical/low', () => {
    const counts: Record<string, number> = {};
    for (const c of casesFor(11, 2000)) counts[c.record.priority ?? 'normal'] = (counts[c.record.priority ?? 'normal'] ?? 0) + 1;
    const { critical = 0, high = 0, normal = 0, low = 0 } = counts;
    expect(normal).toBeGreaterThan(high);
    expect(high).toBeGreaterThan(critical);
    expect(normal).toBeGreaterThan(1000);
    expect(critical).toBeGreaterThan(0);
    expect(low).toBeGreaterThan(0);
  });

  it('medical goes to clinical (high risk), legal advice to legal', () => {
    for (const c of all()) {
      if (c.scenario === 'medical_advice') {
        expect(c.record.route).toBe('clinical');
        expect(c.record.risk_tier).toBe('high');
      }
      if (c.scenario === 'legal_advice') expect(c.record.route).toBe('legal');
    }
  });

  it('hallucination records carry a contradicting document and a citation', () => {
    for (const c of all().filter((x) => x.scenario === 'hallucinated_citation')) {
      const r = parsed(c);
      expect(r.flags.some((f) => f.source === 'groundedness-check' && f.category === 'hallucination')).toBe(true);
      expect(r.evidence.some((e) => e.kind === 'retrieved_document' && (e.content ?? '').length > 0)).toBe(true);
      expect(r.evidence.some((e) => e.kind === 'citation' && e.title !== undefined && /^https:\/\//.test(e.uri ?? ''))).toBe(true);
    }
  });

  it('tool misuse records have tool messages, tool_call evidence and a policy-engine flag', () => {
    const policies = new Set<string>();
    for (const c of all().filter((x) => x.scenario === 'tool_misuse')) {
      const r = parsed(c);
      expect(r.input.messages.some((m) => m.role === 'tool' && m.name !== undefined)).toBe(true);
      const calls = r.evidence.filter((e) => e.kind === 'tool_call');
      expect(calls.length).toBeGreaterThan(0);
      for (const e of calls) {
        expect(typeof e.metadata?.arguments).toBe('object');
        expect(JSON.parse(e.content ?? '')).toEqual(e.metadata?.arguments);
      }
      const f = r.flags.find((x) => x.source === 'policy-engine');
      expect(f?.policy).toMatch(/^(tool|data)\./);
      policies.add(f?.policy ?? '');
    }
    expect(policies).toContain('tool.destructive_action');
  });

  it('hazard flags use MLCommons category names; some are low confidence', () => {
    let low = 0;
    for (const c of all()) {
      for (const f of c.record.flags ?? []) {
        if (f.source !== 'llama-guard') continue;
        expect(f.category).toMatch(/^S(\d|1[0-4]): [A-Z]/);
        if (f.score !== undefined && f.score >= 0.5 && f.score <= 0.6) low++;
      }
    }
    expect(low).toBeGreaterThan(0);
    expect(all().some((c) => c.record.flags?.some((f) => f.category === 'S11: Suicide & Self-Harm'))).toBe(true);
  });

  it('multi-turn records have a system prompt and several user turns', () => {
    const mt = all().filter((x) => x.scenario === 'multi_turn');
    expect(mt.length).toBeGreaterThan(0);
    for (const c of mt) {
      const r = parsed(c);
      expect(r.input.messages[0]?.role).toBe('system');
      expect(r.input.messages.filter((m) => m.role === 'user').length).toBeGreaterThanOrEqual(3);
    }
  });

  it('a list of 1,000 is not repetitive', () => {
    const cases = casesFor(3, 1000);
    const exchanges = new Set(cases.map((c) => JSON.stringify([c.record.input, c.record.output])));
    const inputs = new Set(cases.map((c) => JSON.stringify(c.record.input)));
    expect(exchanges.size).toBeGreaterThan(950);
    expect(inputs.size).toBeGreaterThan(900);
  });
});

describe('provenance and time', () => {
  it('timestamps are spread over 14 days before the epoch and the pipeline follows created_at', () => {
    let min = Infinity;
    let max = -Infinity;
    for (const c of all()) {
      const r = parsed(c);
      const t = Date.parse(r.created_at);
      expect(t).toBeLessThanOrEqual(DEMO_EPOCH_MS);
      expect(t).toBeGreaterThanOrEqual(DEMO_EPOCH_MS - DEMO_SPREAD_MS);
      min = Math.min(min, t);
      max = Math.max(max, t);
      const p = r.provenance;
      expect(p.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(p.span_id).toMatch(/^[0-9a-f]{16}$/);
      for (const k of ['gen_ai.provider.name', 'gen_ai.request.model', 'gen_ai.response.model', 'gen_ai.response.id', 'gen_ai.conversation.id', 'model_version', 'deployment', 'request_id', 'dataset_snapshot'] as const) {
        expect(typeof p[k]).toBe('string');
      }
      const steps = p.pipeline ?? [];
      expect(steps[0]?.step).toBe('ingress-gateway');
      expect(steps[steps.length - 1]?.step).toBe('escalation-router');
      let prev = t;
      for (const s of steps) {
        const at = Date.parse(s.at ?? '');
        expect(at).toBeGreaterThan(prev);
        prev = at;
      }
      for (const f of r.flags) expect(steps.map((s) => s.step)).toContain(f.source);
      expect(r.metadata).toMatchObject({ tenant: expect.any(String), locale: expect.any(String), channel: expect.any(String) });
    }
    expect(max - min).toBeGreaterThan(10 * 24 * 3600 * 1000);
  });
});
