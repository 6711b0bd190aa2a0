/**
 * Scores the detector on the labelled set: per-entity precision / recall with exact span matching
 * (same type, same code-point start and end).
 */
import { detectPii, PII_TYPES, type PiiMatch, type PiiType } from '../../electron/core/export/pii/detect.ts';
import type { LabelledSpan, PiiCase } from './dataset.ts';

export interface EntityScore {
  type: PiiType;
  support: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface CaseError {
  id: string;
  text: string;
  missed: LabelledSpan[];
  spurious: PiiMatch[];
}

export interface Evaluation {
  scores: EntityScore[];
  micro: { tp: number; fp: number; fn: number; precision: number; recall: number };
  errors: CaseError[];
  cases: number;
}

const key = (s: { type: string; start: number; end: number }): string => `${s.type}:${s.start}:${s.end}`;

export function evaluate(cases: readonly PiiCase[]): Evaluation {
  const counts = new Map<PiiType, { tp: number; fp: number; fn: number; support: number }>();
  for (const t of PII_TYPES) counts.set(t, { tp: 0, fp: 0, fn: 0, support: 0 });
  const errors: CaseError[] = [];
  for (const c of cases) {
    const found = detectPii(c.text);
    const want = new Set(c.expected.map(key));
    const got = new Set(found.map(key));
    const missed: LabelledSpan[] = [];
    const spurious: PiiMatch[] = [];
    for (const e of c.expected) {
      const k = counts.get(e.type)!;
      k.support++;
      if (got.has(key(e))) k.tp++;
      else {
        k.fn++;
        missed.push(e);
      }
    }
    for (const f of found) {
      if (!want.has(key(f))) {
        counts.get(f.type)!.fp++;
        spurious.push(f);
      }
    }
    if (missed.length > 0 || spurious.length > 0) errors.push({ id: c.id, text: c.text, missed, spurious });
  }
  const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
  const scores: EntityScore[] = PII_TYPES.map((type) => {
    const k = counts.get(type)!;
    const precision = ratio(k.tp, k.tp + k.fp);
    const recall = ratio(k.tp, k.tp + k.fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { type, support: k.support, tp: k.tp, fp: k.fp, fn: k.fn, precision, recall, f1 };
  });
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of scores) {
    tp += s.tp;
    fp += s.fp;
    fn += s.fn;
  }
  return {
    scores,
    micro: { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) },
    errors,
    cases: cases.length,
  };
}

export function formatTable(ev: Evaluation): string {
  const pct = (x: number): string => (x * 100).toFixed(1).padStart(6) + '%';
  const lines = [
    'entity       support    TP    FP    FN  precision   recall      F1',
    '-----------  -------  ----  ----  ----  ---------  -------  ------',
  ];
  for (const s of ev.scores) {
    lines.push(
      `${s.type.padEnd(11)}  ${String(s.support).padStart(7)}  ${String(s.tp).padStart(4)}  ${String(s.fp).padStart(4)}  ${String(
        s.fn,
      ).padStart(4)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall)}  ${pct(s.f1)}`,
    );
  }
  const m = ev.micro;
  lines.push(
    `${'ALL (micro)'.padEnd(11)}  ${String(m.tp + m.fn).padStart(7)}  ${String(m.tp).padStart(4)}  ${String(m.fp).padStart(
      4,
    )}  ${String(m.fn).padStart(4)}  ${pct(m.precision).padStart(9)}  ${pct(m.recall)}`,
  );
  return lines.join('\n');
}
