import { describe, expect, it } from 'vitest';
import { DEMO_BASELINE_VERSION, DEMO_CANARY_VERSION, DEMO_EPOCH_MS, DEMO_SPREAD_MS, generateDemoRecords } from '../../electron/core/demo/generate.ts';
import { demoVolumes, NOISY_DETECTOR, planDemoReviews } from '../../electron/core/demo/oversight.ts';

const records = [...generateDemoRecords(3000, 3)];

describe('demo structure for the oversight dashboard', () => {
  it('has a daily rhythm: busy working hours, quiet nights, lighter weekends', () => {
    const byHour = new Array<number>(24).fill(0);
    let weekend = 0;
    for (const r of records) {
      const d = new Date(r.created_at);
      byHour[d.getUTCHours()]!++;
      if (d.getUTCDay() === 0 || d.getUTCDay() === 6) weekend++;
    }
    expect(byHour[12]!).toBeGreaterThan(4 * byHour[2]!);
    // Two weekends in 14 days would hold 2/7 of the traffic without the weekend dip.
    expect(weekend / records.length).toBeLessThan(0.2);
  });

  it('rolls a canary model version out in the second week only', () => {
    const first = DEMO_EPOCH_MS - DEMO_SPREAD_MS;
    for (const r of records) {
      const v = r.provenance?.model_version;
      expect([DEMO_BASELINE_VERSION, DEMO_CANARY_VERSION]).toContain(v);
      if (Date.parse(r.created_at) < first + 6 * 86_400_000) expect(v).toBe(DEMO_BASELINE_VERSION);
    }
    const canary = records.filter((r) => r.provenance?.model_version === DEMO_CANARY_VERSION).length;
    expect(canary / records.length).toBeGreaterThan(0.15);
  });

  it('plans reviews deterministically, in time order, a prefix for a prefix, with a noisy detector', () => {
    const plan = planDemoReviews(records, 3);
    expect(planDemoReviews(records, 3)).toEqual(plan);
    const sorted = [...plan].sort((a, b) => (a.decidedAt < b.decidedAt ? -1 : a.decidedAt > b.decidedAt ? 1 : 0));
    expect(plan).toEqual(sorted);
    const short = planDemoReviews(records.slice(0, 1000), 3);
    const ids = new Set(records.slice(0, 1000).map((r) => r.id));
    expect(plan.filter((s) => ids.has(s.externalId))).toEqual(short);
    const top = new Map(records.map((r) => [r.id, [...(r.flags ?? [])].sort((a, b) => (b.score ?? -1) - (a.score ?? -1))[0]?.source]));
    const noisy = plan.filter((s) => s.kind === 'verdict' && top.get(s.externalId) === NOISY_DETECTOR);
    expect(noisy.filter((s) => s.decision === 'dismiss').length / noisy.length).toBeGreaterThan(0.6);
    for (const s of plan) expect(Date.parse(s.decidedAt)).toBeGreaterThan(Date.parse(records.find((r) => r.id === s.externalId)!.created_at));
  });

  it('reports screened volumes for every day and model version with escalations', () => {
    const v = demoVolumes(records, 3);
    const cells = new Set(records.map((r) => `${r.created_at.slice(0, 10)} ${r.provenance?.['gen_ai.response.model']} ${r.provenance?.model_version}`));
    expect(new Set(v.map((x) => `${x.day} ${x.model} ${x.version}`))).toEqual(cells);
    for (const x of v) expect(x.screened).toBeGreaterThan(0);
  });
});
