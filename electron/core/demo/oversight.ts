/**
 * Simulated review history for the demo workspace, so the oversight dashboard has something true
 * to show: reviewers decide most items within (sometimes past) their SLA, a noisy detector's
 * flags are mostly dismissed, the canary model version is confirmed far more often on
 * hallucinations than its baseline, some items get a second independent review or an expert's
 * amendment, and sources report how many events they screened per day.
 *
 * Deterministic in `seed`; a plan for a prefix of the records is a prefix of the plan.
 */
import type { EscalationRecordInput } from '../record/schema.ts';
import { DEMO_CANARY_VERSION, DEMO_EPOCH_MS, Rng } from './generate.ts';

export type DemoDecision = 'violation' | 'dismiss' | 'escalate';

export interface DemoReviewStep {
  kind: 'verdict' | 'amendment';
  externalId: string;
  reviewer: string;
  decision: DemoDecision;
  labels: string[];
  routeTo: string | null;
  decidedAt: string;
  /** Per-flag calls (index in the record's flags): most first reviews call every flag. */
  flagReviews: { flag: number; accepted: boolean }[];
}

export interface DemoVolume {
  day: string;
  model: string;
  version: string;
  screened: number;
}

/** The detector whose flags reviewers dismiss most of the time. */
export const NOISY_DETECTOR = 'jailbreak-classifier';
/** The category where the canary version regresses. */
export const REGRESSED_CATEGORY = 'hallucination';

const SLA_MS = { critical: 3_600_000, high: 14_400_000, normal: 86_400_000, low: 259_200_000 } as const;
const REVIEWERS: Record<string, readonly (readonly [string, number])[]> = {
  trust_safety: [['ana', 4], ['bo', 3], ['chen', 3], ['dana', 1]],
  clinical: [['dr.okafor', 2], ['dr.lind', 1]],
  legal: [['counsel.reyes', 1]],
};
const LEAD = 'lead.kim';

function confirmProbability(rec: EscalationRecordInput, detector: string, category: string): number {
  if (detector === NOISY_DETECTOR) return 0.2;
  if (category === REGRESSED_CATEGORY) return rec.provenance?.model_version === DEMO_CANARY_VERSION ? 0.85 : 0.35;
  if (category === 'pii') return 0.75;
  return 0.6;
}

function topFlag(rec: EscalationRecordInput): { source: string; category: string } {
  let best: { source: string; category: string; score: number } | null = null;
  for (const f of rec.flags ?? []) {
    const score = f.score ?? -1;
    if (!best || score > best.score) best = { source: f.source, category: f.category ?? '', score };
  }
  return best ?? { source: '', category: '' };
}

/** Lognormal delay with the given median (ms). */
function delay(r: Rng, median: number, sigma: number): number {
  const u = Math.max(1e-9, r.float());
  const v = r.float();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.round(median * Math.exp(sigma * z));
}

/**
 * The first reviewer's per-flag calls, from their own random stream (the rest of the plan is the
 * same with or without them): three in four reviews call every flag; a dismissal rejects them
 * all; a confirmed violation accepts most flags but rejects the noisy detector's most of the time.
 */
function flagCalls(r: Rng, rec: EscalationRecordInput, decision: DemoDecision): { flag: number; accepted: boolean }[] {
  const flags = rec.flags ?? [];
  const calls = flags.map((f, flag) => ({ flag, accepted: r.chance(f.source === NOISY_DETECTOR ? 0.3 : 0.9) }));
  if (decision === 'escalate' || !r.chance(0.75)) return [];
  return calls.map((c) => (decision === 'dismiss' ? { ...c, accepted: false } : c));
}

export function planDemoReviews(records: readonly EscalationRecordInput[], seed: number): DemoReviewStep[] {
  const r = new Rng(seed, 0x0_7e_57);
  const rf = new Rng(seed, 0x0_f1_a6);
  const steps: DemoReviewStep[] = [];
  for (const rec of records) {
    const created = Date.parse(rec.created_at);
    const age = DEMO_EPOCH_MS - created;
    // The backlog: most of the last 18 hours, and a few stragglers.
    const open = age < 18 * 3_600_000 ? r.chance(0.7) : r.chance(0.04);
    const { source, category } = topFlag(rec);
    const route = rec.route ?? 'trust_safety';
    const reviewer = r.weighted(REVIEWERS[route] ?? REVIEWERS.trust_safety!);
    const sla = SLA_MS[rec.priority ?? 'normal'];
    const confirm = r.chance(confirmProbability(rec, source, category));
    const escalate = route === 'trust_safety' && r.chance(0.05);
    const second = r.chance(0.08);
    const agree = r.chance(0.85);
    const amend = r.chance(0.04);
    const expertDecides = r.chance(0.7);
    const wait = Math.max(60_000, delay(r, sla * 0.3, 1.1));
    const later = r.range(600_000, 2 * 86_400_000);
    const first: DemoDecision = escalate ? 'escalate' : confirm ? 'violation' : 'dismiss';
    const calls = flagCalls(rf, rec, first);
    if (open) continue;
    const at = (ms: number) => new Date(ms).toISOString();
    const labels = (d: DemoDecision) =>
      d !== 'violation' ? [] : category === 'hallucination' ? ['hallucination'] : category === 'pii' ? ['pii_exposure'] : [];
    const id = rec.id;
    steps.push({ kind: 'verdict', externalId: id, reviewer, decision: first, labels: labels(first), routeTo: escalate ? 'legal' : null, decidedAt: at(created + wait), flagReviews: calls });
    if (escalate) {
      // The expert decides later (some are still waiting).
      if (!expertDecides) continue;
      const d: DemoDecision = confirm ? 'violation' : 'dismiss';
      steps.push({ kind: 'verdict', externalId: id, reviewer: 'counsel.reyes', decision: d, labels: labels(d), routeTo: null, decidedAt: at(created + wait + later), flagReviews: [] });
      continue;
    }
    if (second) {
      const others = (REVIEWERS[route] ?? REVIEWERS.trust_safety!).filter(([n]) => n !== reviewer);
      if (others.length > 0) {
        const d: DemoDecision = agree ? first : first === 'violation' ? 'dismiss' : 'violation';
        steps.push({ kind: 'verdict', externalId: id, reviewer: others[0]![0], decision: d, labels: labels(d), routeTo: null, decidedAt: at(created + wait + later / 4), flagReviews: [] });
        continue;
      }
    }
    if (amend) {
      const d: DemoDecision = first === 'violation' ? 'dismiss' : 'violation';
      steps.push({ kind: 'amendment', externalId: id, reviewer: LEAD, decision: d, labels: labels(d), routeTo: null, decidedAt: at(created + wait + later), flagReviews: [] });
    }
  }
  // Recorded in time order, as a desk would: each reviewer's gaps are real gaps.
  return steps.sort((a, b) => (a.decidedAt < b.decidedAt ? -1 : a.decidedAt > b.decidedAt ? 1 : 0));
}

/**
 * Screened events per day and model version: about 250 per escalation for the baseline, fewer
 * for the canary (it escalates more often), with day-to-day noise.
 */
export function demoVolumes(records: readonly EscalationRecordInput[], seed: number): DemoVolume[] {
  const r = new Rng(seed, 0x0_5c_ee);
  const cells = new Map<string, { day: string; model: string; version: string; n: number }>();
  for (const rec of records) {
    const day = rec.created_at.slice(0, 10);
    const model = rec.provenance?.['gen_ai.response.model'] ?? rec.provenance?.['gen_ai.request.model'] ?? '';
    const version = rec.provenance?.model_version ?? '';
    const key = `${day}\u0000${model}\u0000${version}`;
    const c = cells.get(key) ?? { day, model: String(model), version: String(version), n: 0 };
    c.n++;
    cells.set(key, c);
  }
  return [...cells.values()]
    .sort((a, b) => (a.day + a.model + a.version < b.day + b.model + b.version ? -1 : 1))
    .map((c) => ({ day: c.day, model: c.model, version: c.version, screened: Math.round(c.n * (c.version === DEMO_CANARY_VERSION ? 170 : 250) * (0.85 + 0.3 * r.float())) }));
}
