/**
 * The report's and the regressions panel's fast queries (day index, covering flagged index, one
 * pass over the cube's decided cells) give exactly what a plain read of the tables gives.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { countedVerdicts, cubeBy, dayNumber, dayString, foldNewItems, metricDays, notableItems, type MetricFilter } from '../../db/queries/metrics.ts';
import { recordDemoReviews, ingestDemo } from '../../electron/core/demo/ingest-demo.ts';
import { dashboard, ALL_MODELS } from '../../electron/core/metrics/dashboard.ts';
import { twoProportionZ } from '../../electron/core/metrics/stats.ts';
import { buildReport } from '../../electron/core/metrics/report.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import Database from 'better-sqlite3';
import { leafHash } from '../../electron/core/audit/merkle.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';

describe('report and regression queries', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('equal a plain read of metric_items and the cube, on the demo workspace', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 600, 5);
    recordDemoReviews(t.ws, 600, 5);
    foldNewItems(t.ws.sqlite);
    const s = t.ws.sqlite;
    const ext = metricDays(s)!;
    const week = dayString(dayNumber(ext.last) - 6);
    const ranges: MetricFilter[] = [
      { from: ext.first, to: ext.last },
      { from: week, to: ext.last },
    ];
    for (const f of ranges) {
      // Counted verdicts: every decided item's verdict in force with its audit event's seq and
      // stored leaf hash, read without any index from the verdicts and the log themselves.
      const plain = s
        .prepare(
          `SELECT v.audit_seq AS auditSeq, a.leaf_hash AS leaf, m.verdict_seq AS verdictSeq FROM metric_items m NOT INDEXED
           JOIN verdicts v ON v.seq = m.verdict_seq JOIN audit_events a NOT INDEXED ON a.seq = v.audit_seq
           WHERE m.day BETWEEN ? AND ? AND m.state IN ('violation', 'dismiss', 'escalate') ORDER BY v.audit_seq`,
        )
        .all(Math.floor(Date.parse(`${f.from}T00:00:00Z`) / 86_400_000), Math.floor(Date.parse(`${f.to}T00:00:00Z`) / 86_400_000));
      const counted = countedVerdicts(s, f);
      expect(counted.length).toBeGreaterThan(0);
      expect(counted).toEqual(plain);

      // Notable items: all rows of the range, sorted in JS, first ten per flag.
      const rows = s
        .prepare(
          `SELECT i.id, i.external_id AS externalId, m.category, m.version, m.state, m.priority, m.created_ms AS createdMs, m.item_seq AS seq,
             m.breached, m.overturned, m.pii, m.halluc
           FROM metric_items m NOT INDEXED JOIN items i ON i.seq = m.item_seq WHERE m.day BETWEEN ? AND ?`,
        )
        .all(Math.floor(Date.parse(`${f.from}T00:00:00Z`) / 86_400_000), Math.floor(Date.parse(`${f.to}T00:00:00Z`) / 86_400_000)) as ({
        seq: number;
        createdMs: number;
        priority: number;
      } & Record<string, number | string>)[];
      rows.sort((a, b) => a.priority - b.priority || a.createdMs - b.createdMs || a.seq - b.seq);
      const notable = notableItems(s, f);
      for (const flag of ['breached', 'overturned', 'pii', 'halluc'] as const) {
        const want = rows
          .filter((r) => r[flag] === 1)
          .slice(0, 10)
          .map((r) => ({ id: r.id, externalId: r.externalId, category: r.category, version: r.version, state: r.state, priority: r.priority }));
        expect(notable[flag]).toEqual(want);
      }
      expect(notable.breached.length + notable.halluc.length).toBeGreaterThan(0);

      // Regressions: the same z-test over two plain GROUP BYs (per model, and pooled by version).
      const d = dashboard(s, f);
      const groups = [
        ...cubeBy(s, f, ['version', 'category'], 5000).map((r) => ({ model: ALL_MODELS, version: r.key[0]!, category: r.key[1]!, k: r.violation, n: r.violation + r.dismiss })),
        ...cubeBy(s, f, ['model', 'version', 'category'], 5000).map((r) => ({ model: r.key[0]!, version: r.key[1]!, category: r.key[2]!, k: r.violation, n: r.violation + r.dismiss })),
      ].filter((g) => g.n > 0);
      const expected: string[] = [];
      for (const model of new Set(groups.map((g) => g.model))) {
        const mine = groups.filter((g) => g.model === model);
        const versions = [...new Set(mine.map((g) => g.version))];
        if (versions.length < 2) continue;
        const reviewed = (v: string) => mine.filter((g) => g.version === v).reduce((a, g) => a + g.n, 0);
        const baseline = versions.sort((a, b) => reviewed(b) - reviewed(a) || a.localeCompare(b))[0]!;
        for (const g of mine) {
          const b = mine.find((x) => x.version === baseline && x.category === g.category);
          if (g.version === baseline || !b) continue;
          const z = twoProportionZ(g.k, g.n, b.k, b.n);
          if (z !== null && z >= 2.58) expected.push(`${model}|${baseline}|${g.version}|${g.category}|${g.k}/${g.n}|${b.k}/${b.n}`);
        }
      }
      const got = d.regressions.filter((r) => r.dimension === 'version').map((r) => `${r.model}|${r.baseline}|${r.candidate}|${r.category}|${Math.round(r.candidateRate * r.nCandidate)}/${r.nCandidate}|${Math.round(r.baseRate * r.nBase)}/${r.nBase}`);
      expect(got.sort()).toEqual(expected.sort());
    }
    expect(dashboard(s, ranges[0]!).regressions.length).toBeGreaterThan(0);

    // Screened volumes per day follow a model/version filter (they are reported per model and
    // version) and are left out under any filter they cannot follow.
    const all = ranges[0]!;
    const version = s.prepare('SELECT version FROM metric_volumes ORDER BY screened DESC LIMIT 1').pluck().get() as string;
    const daySum = (f: MetricFilter) => dashboard(s, f).daily.reduce((a, d) => a + (d.screened ?? 0), 0);
    const plainScreened = (v?: string) =>
      s.prepare(`SELECT coalesce(sum(screened), 0) FROM metric_volumes NOT INDEXED WHERE day BETWEEN ? AND ?${v ? ' AND version = ?' : ''}`).pluck()
        .get(dayNumber(all.from), dayNumber(all.to), ...(v ? [v] : [])) as number;
    expect(plainScreened(version)).toBeGreaterThan(0);
    expect(plainScreened(version)).toBeLessThan(plainScreened());
    // Only days with escalations carry a row; volumes on other days are not in the daily panel.
    expect(daySum({ ...all, version })).toBeLessThanOrEqual(plainScreened(version));
    expect(daySum({ ...all, version })).toBeGreaterThan(0);
    expect(daySum({ ...all, version })).toBeLessThan(daySum(all));
    const route = s.prepare("SELECT route FROM metric_items WHERE route <> '' LIMIT 1").pluck().get() as string;
    expect(dashboard(s, { ...all, route }).daily.every((d) => d.screened === null)).toBe(true);
    expect(dashboard(s, { ...all, route }).headline.find((h) => h.key === 'escalation_per_1000')).toMatchObject({ value: null, den: 0 });

    // The report proves every counted verdict against the head, which comes from the saved tree edge.
    const report = buildReport(t.ws, ranges[0]!);
    expect(report.audit).toMatchObject({ allInLog: true, countedVerdicts: countedVerdicts(s, ranges[0]!).length, head: t.ws.audit.verify().head });
  });

  it('flags a counted verdict whose audit event is missing or altered, before or after the upkeep recorded it', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 200, 9);
    recordDemoReviews(t.ws, 200, 9);
    foldNewItems(t.ws.sqlite);
    const ext = metricDays(t.ws.sqlite)!;
    const range = { from: ext.first, to: ext.last };
    expect(buildReport(t.ws, range).audit).toMatchObject({ allInLog: true, unproven: 0, missing: [] });
    const counted = countedVerdicts(t.ws.sqlite, range);
    const idOf = (seq: number) => t.ws.sqlite.prepare('SELECT id FROM verdicts WHERE seq = ?').pluck().get(seq) as string;
    const [deleted, replaced, sampled] = [counted[3]!, counted[10]!, counted[20]!];
    // An item still open gets a verdict whose event is altered before the upkeep sees it.
    const open = t.ws.sqlite.prepare("SELECT id FROM items WHERE status = 'new' ORDER BY seq LIMIT 1").pluck().get() as string;
    const late = new ReviewService(t.ws).submit({ itemId: open, decision: 'violation', labels: [], reviewer: 'ana' });
    const flagged = [deleted, replaced, sampled].map((c) => idOf(c.verdictSeq)).concat(late.id).sort();
    t.ws.close();

    const raw = new Database(t.path);
    raw.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
    const event = (seq: number) => raw.prepare('SELECT body FROM audit_events WHERE seq = ?').pluck().get(seq) as string;
    const alter = (body: string, tag: string) => {
      const out = body.replace('"actor":"', `"actor":"${tag}`);
      expect(out).not.toBe(body);
      return out;
    };
    // Missing: the event is gone.
    raw.prepare('DELETE FROM audit_events WHERE seq = ?').run(deleted.auditSeq);
    // Replaced: another decision written in, with its leaf hash recomputed to match.
    const forged = alter(event(replaced.auditSeq!), 'x');
    raw.prepare('UPDATE audit_events SET body = ?, leaf_hash = ? WHERE seq = ?').run(forged, leafHash(Buffer.from(forged)).toString('hex'), replaced.auditSeq);
    // Altered body, stored leaf left as it was: only a re-hash sees it (the report's sample covers every event here).
    raw.prepare('UPDATE audit_events SET body = ? WHERE seq = ?').run(alter(event(sampled.auditSeq!), 'y'), sampled.auditSeq);
    // Altered before the upkeep recorded the verdict.
    raw.prepare('UPDATE audit_events SET body = ? WHERE seq = ?').run(alter(event(late.auditSeq), 'z'), late.auditSeq);
    raw.close();

    const ws = openWorkspace(t.path);
    try {
      foldNewItems(ws.sqlite);
      const lateRow = ws.sqlite.prepare('SELECT audit_seq AS auditSeq, audit_leaf AS leaf FROM metric_items WHERE verdict_seq = ?').get(late.seq);
      expect(lateRow).toEqual({ auditSeq: late.auditSeq, leaf: '' });
      const audit = buildReport(ws, range).audit;
      expect(audit.allInLog).toBe(false);
      expect(audit.unproven).toBe(4);
      // Every proven-so-far event is re-hashed here (fewer than the sample size); the three already flagged are not.
      expect(audit.rehashed).toBe(counted.length + 1 - 3);
      expect(audit.missing.sort()).toEqual(flagged);
    } finally {
      ws.close();
    }
  });
});
