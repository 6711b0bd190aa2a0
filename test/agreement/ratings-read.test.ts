/**
 * The one-pass ratings read (db/queries/agreement.ts) returns exactly the rows of the per-item
 * definition (reviewerDecisionWhere), on a workspace with imports, verdicts, skips, amendments,
 * undos and adjudications, and SQLite runs it as a covering index scan without a sort.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agreementItemsSelectSql, ratingColumns, ratingPatterns, ratingPatternsLive, ratingPatternsTableSql, ratingsSql, type RatingPatterns } from '../../db/queries/agreement.ts';
import { agreementReport, patternsOfColumns } from '../../electron/core/agreement/index.ts';
import { reviewerDecisionWhere } from '../../db/queries/adjudication.ts';
import { seededRandom } from '../../electron/core/agreement/rng.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

/** Patterns as sorted texts, rows with the same look merged (SQL and JavaScript may split them differently). */
function canonical(p: RatingPatterns): string[] {
  const merged = new Map<string, number>();
  const add = (key: string, n: number) => merged.set(key, (merged.get(key) ?? 0) + n);
  const counts = (c: number[]) => p.decisions.map((d, i) => [d, c[i]]).filter(([, n]) => n).sort().join(';');
  for (const u of p.units) add(`u ${u.route} ${u.period} ${counts(u.counts)}`, u.items);
  for (const l of p.labels) add(`l ${l.m} ${JSON.stringify(l.sets.map((s) => JSON.stringify(s)).sort())}`, l.items);
  for (const r of p.raters) add(`r ${JSON.stringify([...r.ratings].sort())}`, r.items);
  return [...merged].map(([k, n]) => `${k} x${n}`).sort();
}

describe('ratings read', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('equals the per-item definition and is a covering index scan', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ id: `e${i}`, created_at: '2026-11-01T00:00:00Z', route: i % 3 ? 'default' : 'clinical', input: `q${i}`, output: `a${i}` }),
    );
    writeFileSync(f, lines.join('\n') + '\n');
    await ingest(t.ws, { path: f });
    const ids = t.ws.sqlite.prepare('SELECT id FROM items ORDER BY seq').pluck().all() as string[];
    const review = new ReviewService(t.ws);
    const rng = seededRandom(7);
    const amendRng = seededRandom(11);
    const pick = <T>(a: readonly T[]) => a[Math.floor(rng() * a.length)]!;
    const reviewers = ['ana', 'ben', 'cy', 'dee'];
    for (let k = 0; k < 400; k++) {
      const itemId = pick(ids);
      const reviewer = pick(reviewers);
      const decision = pick(['violation', 'dismiss', 'skip', 'escalate'] as const);
      const at = `2026-${rng() < 0.5 ? '10' : '11'}-0${1 + Math.floor(rng() * 9)}T00:00:00.000Z`;
      const r = rng();
      try {
        if (r < 0.55) review.submit({ itemId, decision, labels: decision === 'violation' ? [pick(['S1', 'S4'])] : [], routeTo: decision === 'escalate' ? 'legal' : null, reviewer, decidedAt: at }, 'import');
        else if (r < 0.75) review.submit({ itemId, decision, routeTo: decision === 'escalate' ? 'legal' : null, reviewer, decidedAt: at });
        else if (r < 0.85) review.undo(reviewer);
        else if (r < 0.93) {
          // Drawn from the seeded generator, not SQLite's random(): the mix must be the same every run.
          const amendable = t.ws.sqlite.prepare("SELECT id FROM verdicts WHERE kind <> 'undo' ORDER BY seq").pluck().all() as string[];
          const last = amendable[Math.floor(amendRng() * amendable.length)]!;
          review.amend(last, { decision: 'dismiss', reviewer, decidedAt: at });
        } else review.adjudicate({ itemId, decision: 'dismiss', reviewer: 'lead', decidedAt: at });
      } catch {
        // refused writes (nothing to adjudicate, already amended) are part of the mix
      }
    }
    const kinds = t.ws.sqlite.prepare('SELECT kind, count(*) FROM verdicts GROUP BY kind').raw().all();
    expect(kinds.length).toBe(5); // every kind present

    for (const filter of [{}, { route: 'clinical' }, { from: '2026-11-01', to: '2026-11-05' }]) {
      const cols = ratingColumns(t.ws.sqlite, filter);
      const fast = Array.from({ length: cols.length }, (_, r) =>
        [cols.item[r], cols.reviewers[cols.reviewer[r]!], cols.decisions[cols.decision[r]!], JSON.stringify(cols.labelSets[cols.labelSet[r]!]), cols.routes[cols.route[r]!], cols.periods[cols.period[r]!]].join('|'),
      ).sort();
      const slow = (
        t.ws.sqlite
          .prepare(
            `SELECT x.item_seq, x.reviewer, x.decision, x.labels, i.route, substr(x.decided_at, 1, 7) FROM verdicts x JOIN items i ON i.seq = x.item_seq
             WHERE x.decision IN ('violation', 'dismiss', 'escalate') AND ${reviewerDecisionWhere('x')}
               AND (@route IS NULL OR i.route = @route) AND (@from IS NULL OR x.decided_at >= @from) AND (@to IS NULL OR x.decided_at < @to || 'T99')`,
          )
          .raw()
          .all({ route: null, from: null, to: null, ...filter }) as unknown[][]
      )
        .map((r) => r.join('|'))
        .sort();
      expect(slow.length, JSON.stringify(filter)).toBeGreaterThanOrEqual(5); // not a vacuous comparison (the mix is seeded: 10 rows on the clinical route)
      expect(fast).toEqual(slow);
    }
    // The patterns: the per-item summary the writes kept (agreement_items), the same computed from
    // the verdicts in SQL, and the rows above grouped in JavaScript are one and the same; the report
    // from either form is equal to the last digit, bootstrap intervals included.
    // Row for row and to the character, the summary the writes kept (added to, or recomputed after
    // an amendment, an undo or a second verdict) is what the verdicts give now.
    const kept = t.ws.sqlite.prepare('SELECT * FROM agreement_items ORDER BY item_seq').raw().all();
    const fresh = t.ws.sqlite.prepare(`${agreementItemsSelectSql()} ORDER BY g.item_seq`).raw().all();
    expect(kept.length).toBeGreaterThan(20);
    expect(kept).toEqual(fresh);
    const routes = t.ws.sqlite.prepare('SELECT DISTINCT route FROM items').pluck().all() as string[];
    expect(routes).toContain('legal'); // escalations moved items: the trigger carried the route
    for (const filter of [{}, { route: 'clinical' }, { route: 'legal' }, { from: '2026-11-01', to: '2026-11-05' }]) {
      const table = ratingPatterns(t.ws.sqlite, filter);
      const live = ratingPatternsLive(t.ws.sqlite, filter);
      const js = patternsOfColumns(ratingColumns(t.ws.sqlite, filter));
      expect(canonical(table)).toEqual(canonical(live));
      expect(canonical(table)).toEqual(canonical(js));
      expect(table.units.length).toBeGreaterThan(0);
      expect(agreementReport(table, { resamples: 50, seed: 3 })).toEqual(agreementReport(ratingColumns(t.ws.sqlite, filter), { resamples: 50, seed: 3 }));
    }
    const tablePlan = (t.ws.sqlite.prepare(`EXPLAIN QUERY PLAN ${ratingPatternsTableSql().sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(tablePlan).not.toMatch(/TEMP B-TREE/);

    const plan = (t.ws.sqlite.prepare(`EXPLAIN QUERY PLAN ${ratingsSql().sql}`).all() as { detail: string }[]).map((r) => r.detail);
    expect(plan, plan.join("\n")).toContain('SCAN x USING COVERING INDEX verdicts_ratings');
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
  });
});
