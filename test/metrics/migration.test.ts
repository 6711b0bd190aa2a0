import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboard, modelPanels } from '../../electron/core/metrics/dashboard.ts';
import { backlog, cellItemCount, countedVerdicts, cubeBy, dayNumber, foldNewItems, mergePendingSums, metricDays } from '../../db/queries/metrics.ts';
import { codeSchemaVersion, migrationsFolder, openWorkspace } from '../../electron/core/workspace/open.ts';
import { extKey } from '../../electron/core/util/ext-key.ts';
import { olderMigrations, tempDir, tempWorkspace } from '../helpers/workspace.ts';
import { busiestReviewer, cubeStatesSql, rollback0023 } from '../helpers/cube.ts';
import { ingestDemo, recordDemoReviews } from '../../electron/core/demo/ingest-demo.ts';
import { buildReport } from '../../electron/core/metrics/report.ts';
import { registerAuditLeafFunction } from '../../db/queries/metrics-proof.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';

describe('migration 0006 (oversight metrics)', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('folds the items and verdicts of an older workspace into the metric tables, then keeps them current', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    // Every migration before 0006 (the journal's entries up to it).
    const before = (JSON.parse(readFileSync(join(process.cwd(), 'db/migrations/meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] }).entries.findIndex((e) => e.tag.startsWith('0006'));
    db.function('verdict_ext_key', { deterministic: true }, (id: unknown) => extKey(String(id)));
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, before) });
    const rec = (model: string, version: string) => JSON.stringify({ provenance: { 'gen_ai.request.model': model, model_version: version, trace_id: 't', span_id: 's' } });
    db.exec(`
      INSERT INTO meta (key, value) VALUES ('workspace_id', 'old-ws');
      INSERT INTO sources (id, kind, name, uri, created_at) VALUES ('src', 'stdin', 'stdin', 'stdin:stdin', '2026-01-01T00:00:00.000Z');
      INSERT INTO items (seq, id, source_id, external_id, created_at, created_ms, ingested_at, priority, route, status, revision,
        content_sha256, flag_count, top_flag_source, top_flag_category, top_flag_policy, model, snippet) VALUES
        (1, 'item-1', 'src', 'e1', '2026-01-05T10:00:00.000Z', ${Date.parse('2026-01-05T10:00:00.000Z')}, '2026-01-05T10:00:00.000Z', 2, 'trust_safety', 'decided', 1, 'h1', 1, 'det', 'pii', 'p', 'm', 's'),
        (2, 'item-2', 'src', 'e2', '2026-01-05T11:00:00.000Z', ${Date.parse('2026-01-05T11:00:00.000Z')}, '2026-01-05T11:00:00.000Z', 0, 'trust_safety', 'decided', 1, 'h2', 1, 'det', 'pii', 'p', 'm', 's'),
        (3, 'item-3', 'src', 'e3', '2026-01-06T11:00:00.000Z', ${Date.parse('2026-01-06T11:00:00.000Z')}, '2026-01-06T11:00:00.000Z', 2, 'legal', 'new', 1, 'h3', 0, NULL, NULL, NULL, NULL, 's');
      INSERT INTO item_revisions (id, item_seq, revision, content_sha256, record, ingested_at) VALUES
        ('rev-1', 1, 1, 'h1', '${rec('m', 'v1')}', '2026-01-05T10:00:00.000Z'),
        ('rev-2', 2, 1, 'h2', '${rec('m', 'v2')}', '2026-01-05T11:00:00.000Z'),
        ('rev-3', 3, 1, 'h3', '{}', '2026-01-06T11:00:00.000Z');
      INSERT INTO verdicts (id, item_seq, revision_id, kind, reviewer, decision, labels, decided_at, audit_seq) VALUES
        ('ver-1', 1, 'rev-1', 'verdict', 'ana', 'violation', '["pii_exposure"]', '2026-01-05T10:30:00.000Z', 0),
        ('ver-2', 2, 'rev-2', 'verdict', 'ana', 'dismiss', '[]', '2026-01-05T13:00:00.000Z', 1);
    `);
    db.close();

    const ws = openWorkspace(path);
    try {
      const m = ws.sqlite.prepare('SELECT item_seq, state, version, traced, breached, pii FROM metric_items ORDER BY item_seq').all();
      expect(m).toEqual([
        { item_seq: 1, state: 'violation', version: 'v1', traced: 1, breached: 0, pii: 1 },
        // Priority 0 (critical, 1 h SLA), decided after 2 h.
        { item_seq: 2, state: 'dismiss', version: 'v2', traced: 1, breached: 1, pii: 0 },
        { item_seq: 3, state: 'open', version: '', traced: 0, breached: 0, pii: 0 },
      ]);
      expect(ws.sqlite.prepare("SELECT value FROM meta WHERE key = 'metrics_folded_seq'").pluck().get()).toBe('3');
      expect(ws.sqlite.prepare('SELECT reviewer, decisions FROM metric_reviewer_daily').all()).toEqual([{ reviewer: 'ana', decisions: 2 }]);
      const d = dashboard(ws.sqlite, { from: '2026-01-01', to: '2026-01-31' });
      expect(d.totals).toMatchObject({ n: 3, violation: 1, dismiss: 1, open: 1, breached: 1, pii: 1, traced: 2 });
      // A new verdict after the migration moves item 3 from open to violation.
      ws.sqlite.prepare(
        "INSERT INTO verdicts (id, item_seq, revision_id, kind, reviewer, decision, labels, decided_at, audit_seq) VALUES ('ver-3', 3, 'rev-3', 'verdict', 'bo', 'violation', '[]', '2026-01-06T12:00:00.000Z', 2)",
      ).run();
      foldNewItems(ws.sqlite);
      expect(dashboard(ws.sqlite, { from: '2026-01-01', to: '2026-01-31' }).totals).toMatchObject({ n: 3, violation: 2, open: 0 });
    } finally {
      ws.close();
    }
  });

  it('0013 gives the items decided before it their audit proof on the next fold', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 150, 4);
    recordDemoReviews(t.ws, 150, 4);
    foldNewItems(t.ws.sqlite);
    t.ws.close();
    // Back to the schema before 0013, with the rows the upkeep had then (no proof columns).
    const raw = new Database(t.path);
    rollback0021(raw);
    raw.exec(`DROP INDEX metric_items_day; ALTER TABLE metric_items DROP COLUMN audit_leaf; ALTER TABLE metric_items DROP COLUMN audit_seq;
      CREATE INDEX metric_items_day ON metric_items (day, state, verdict_seq);
      DELETE FROM meta WHERE key LIKE 'metrics_proof_%';
      -- Drizzle applies what comes after the last applied migration: the later ones go back too.
      DROP INDEX IF EXISTS verdicts_ratings;
      DROP TRIGGER IF EXISTS metric_items_flags_insert; DROP TRIGGER IF EXISTS metric_items_flags_update; DROP VIEW IF EXISTS metric_flag_calls;
      DROP TABLE IF EXISTS metric_flag_items; DROP TABLE IF EXISTS metric_flag_cube;
      DROP TRIGGER IF EXISTS agreement_items_route; DROP TABLE IF EXISTS agreement_items;
      DELETE FROM __drizzle_migrations WHERE created_at >= 1797091200000;`);
    rollbackOutcomeViews(raw);
    raw.close();

    const ws = openWorkspace(t.path);
    try {
      const s = ws.sqlite;
      expect(s.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      expect(s.prepare('SELECT count(*) FROM metric_items WHERE verdict_seq IS NOT NULL AND audit_leaf IS NULL').pluck().get()).toBeGreaterThan(50);
      foldNewItems(s);
      const plain = s
        .prepare(
          `SELECT m.item_seq, v.audit_seq, a.leaf_hash FROM metric_items m JOIN verdicts v ON v.seq = m.verdict_seq
           JOIN audit_events a ON a.seq = v.audit_seq ORDER BY m.item_seq`,
        )
        .raw()
        .all();
      expect(s.prepare('SELECT item_seq, audit_seq, audit_leaf FROM metric_items WHERE verdict_seq IS NOT NULL ORDER BY item_seq').raw().all()).toEqual(plain);
      expect(s.prepare('SELECT count(*) FROM metric_items WHERE verdict_seq IS NULL AND (audit_seq IS NOT NULL OR audit_leaf IS NOT NULL)').pluck().get()).toBe(0);
      const ext = metricDays(s)!;
      const range = { from: ext.first, to: ext.last };
      expect(buildReport(ws, range).audit).toMatchObject({ allInLog: true, countedVerdicts: countedVerdicts(s, range).length });
    } finally {
      ws.close();
    }
  });

  it('0017 rebuilds the cubes of a 0015 workspace with deployment and adds the flag calls, with the same counts', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    const journal = (JSON.parse(readFileSync(join(process.cwd(), 'db/migrations/meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] }).entries;
    db.function('verdict_ext_key', { deterministic: true }, (id: unknown) => extKey(String(id)));
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, journal.findIndex((e) => e.tag.startsWith('0016'))) });
    const flags = [
      { source: 'det-noisy', category: 'jailbreak', policy: 'sec.jb', score: 0.9 },
      { source: 'det-pii', category: 'pii', policy: 'privacy.pii', score: 0.5 },
    ];
    const rec = (deployment: string) => JSON.stringify({ flags, provenance: { 'gen_ai.request.model': 'm', model_version: 'v1', deployment, trace_id: 't', span_id: 's' } });
    const ms = (h: number) => Date.parse('2026-01-05T00:00:00.000Z') + h * 3_600_000;
    db.exec("INSERT INTO meta (key, value) VALUES ('workspace_id', 'old-ws'); INSERT INTO sources (id, kind, name, uri, created_at) VALUES ('src', 'stdin', 'stdin', 'stdin:stdin', '2026-01-01T00:00:00.000Z')");
    const item = db.prepare(`INSERT INTO items (seq, id, source_id, external_id, ext_key, created_at, created_ms, ingested_at, priority, route, status, revision,
      content_sha256, flag_count, top_flag_source, top_flag_category, top_flag_policy, model, snippet) VALUES (?, ?, 'src', ?, ?, ?, ?, ?, 2, 'trust_safety', 'decided', 1, 'h', 2, 'det-noisy', 'jailbreak', 'sec.jb', 'm', 's')`);
    const revision = db.prepare("INSERT INTO item_revisions (id, item_seq, revision, content_sha256, record, ingested_at) VALUES (?, ?, 1, 'h', ?, '2026-01-05T00:00:00.000Z')");
    const verdict = db.prepare(`INSERT INTO verdicts (id, item_seq, revision_id, kind, reviewer, decision, labels, decided_at, audit_seq, flag_reviews)
      VALUES (?, ?, ?, 'verdict', ?, ?, '[]', ?, ?, ?)`);
    // Items 1-6 on prod (1-3 dismissed, both flags rejected; 4 confirmed, the noisy flag rejected; 5 dismissed without calls;
    // 6 open), 7-10 on canary (confirmed without calls).
    for (let i = 1; i <= 10; i++) {
      const created = new Date(ms(i)).toISOString();
      item.run(i, `item-${i}`, `e${i}`, i, created, ms(i), created);
      revision.run(`rev-${i}`, i, rec(i <= 6 ? 'prod' : 'canary'));
      if (i === 6) continue;
      const [decision, calls] = i <= 3 ? ['dismiss', '[{"flag":0,"accepted":false},{"flag":1,"accepted":false}]'] : i === 4 ? ['violation', '[{"flag":0,"accepted":false},{"flag":1,"accepted":true}]'] : i === 5 ? ['dismiss', '[]'] : ['violation', '[]'];
      verdict.run(`ver-${i}`, i, `rev-${i}`, i % 2 ? 'ana' : 'bo', decision, new Date(ms(i + 1)).toISOString(), i, calls);
    }
    // The upkeep at 0015: metric_items rows (its triggers fill the old cubes), folded up to the last verdict.
    db.exec(`INSERT INTO metric_items (item_seq, day, created_ms, route, priority, category, policy, detector, model, version, deployment, traced,
        state, reviewer, halluc, pii, first_ms, ttd_bucket, breached, overturned, overlap, agreed, verdict_seq) SELECT * FROM metric_item_facts;
      INSERT INTO meta (key, value) VALUES ('metrics_folded_seq', '10'), ('metrics_folded_verdict_seq', (SELECT max(seq) FROM verdicts))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    const sums = (s: Database.Database, table: string) =>
      s.prepare(`SELECT state, sum(n) AS n, sum(decided) AS decided, sum(breached) AS breached, sum(ttd_ms) AS ttd FROM ${table} GROUP BY state HAVING sum(n) > 0 ORDER BY state`).all();
    const before = { cube: sums(db, 'metric_cube'), reviewer: sums(db, 'metric_cube_reviewer'), ttd: db.prepare('SELECT bucket, sum(n) AS n FROM metric_ttd GROUP BY bucket ORDER BY bucket').all() };
    expect(before.cube).toEqual([
      { state: 'dismiss', n: 4, decided: 4, breached: 0, ttd: 4 * 3_600_000 },
      { state: 'open', n: 1, decided: 0, breached: 0, ttd: 0 },
      { state: 'violation', n: 5, decided: 5, breached: 0, ttd: 5 * 3_600_000 },
    ]);
    db.close();

    const ws = openWorkspace(path);
    try {
      const s = ws.sqlite;
      expect(s.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      // (Since 0023 the open items are each cell's items less its decided rows: read per state.)
      expect(sums(s, `(${cubeStatesSql()})`)).toEqual(before.cube);
      // The per-reviewer cube is gone (0021): the same sums from that reviewer's metric_items rows.
      expect(s.prepare(`SELECT state, count(*) AS n, sum(first_ms IS NOT NULL) AS decided, sum(breached) AS breached, sum(coalesce(first_ms - created_ms, 0)) AS ttd
        FROM metric_items WHERE reviewer <> '' GROUP BY state ORDER BY state`).all()).toEqual(before.reviewer);
      expect(s.prepare('SELECT bucket, sum(n) AS n FROM metric_ttd GROUP BY bucket ORDER BY bucket').all()).toEqual(before.ttd);
      // Per deployment, the cube equals a plain count over metric_items.
      const plain = s.prepare('SELECT deployment, state, count(*) AS n FROM metric_items GROUP BY deployment, state ORDER BY 1, 2').all();
      expect(s.prepare(`SELECT deployment, state, sum(n) AS n FROM (${cubeStatesSql()}) GROUP BY deployment, state HAVING sum(n) > 0 ORDER BY 1, 2`).all()).toEqual(plain);
      const range = { from: '2026-01-05', to: '2026-01-05' };
      const d = dashboard(s, range);
      expect(d.deployments.map((r) => [r.deployment, r.confirmed, r.reviewed])).toEqual([['canary', 4, 4], ['prod', 1, 5]]);
      // Flag calls (highest rate first): det-noisy on every reviewed item (9), false positives 1-4 (called) and 5 (dismissed, no calls).
      expect(d.flagRates.detector.map((r) => [r.key, r.calls, r.falsePositives, r.perFlag])).toEqual([['det-pii', 4, 3, 4], ['det-noisy', 9, 5, 4]]);
      expect(dashboard(s, { ...range, deployment: 'prod' }).totals).toMatchObject({ n: 6, dismiss: 4, violation: 1, open: 1 });
      // The re-created triggers keep them: a verdict after the migration moves item 6.
      s.prepare(`INSERT INTO verdicts (id, item_seq, revision_id, kind, reviewer, decision, labels, decided_at, audit_seq, flag_reviews)
        VALUES ('ver-6', 6, 'rev-6', 'verdict', 'bo', 'dismiss', '[]', '2026-01-05T07:00:00.000Z', 20, '[{"flag":1,"accepted":false}]')`).run();
      foldNewItems(s);
      const after = dashboard(s, range);
      expect(after.deployments.map((r) => [r.deployment, r.confirmed, r.reviewed])).toEqual([['canary', 4, 4], ['prod', 1, 6]]);
      expect(after.flagRates.detector.map((r) => [r.key, r.calls, r.falsePositives])).toEqual([['det-pii', 5, 4], ['det-noisy', 9, 5]]);
    } finally {
      ws.close();
    }
  });
});

/**
 * Back to the metric tables before 0021, as the upkeep kept them then: the per-reviewer cube and
 * the `top:` flag rows rebuilt from metric_items, 0017's view, no `calls` columns, no reviewer
 * index; its journal row gone (so it applies again on the next open).
 */
function rollback0021(raw: Database.Database): void {
  const st0017 = readFileSync(join(process.cwd(), 'db/migrations/0017_metric_deployment_flag_calls.sql'), 'utf8').split('--> statement-breakpoint');
  const pick = (re: RegExp) => st0017.filter((st) => re.test(st));
  const [reviewerTable, reviewerFill, flagCube, view] = [
    ...pick(/CREATE TABLE `metric_cube_reviewer_new`/),
    ...pick(/INSERT INTO metric_cube_reviewer_new/),
    ...pick(/CREATE TABLE `metric_flag_cube`/),
    ...pick(/CREATE VIEW `metric_flag_calls`/),
  ];
  expect([reviewerTable, reviewerFill, flagCube, view].every(Boolean)).toBe(true);
  // Drizzle applies only what comes after the last applied migration: 0022 and 0023 go back too.
  raw.transaction(() => mergePendingSums(raw)).immediate();
  rollback0023(raw);
  raw.exec('DROP TABLE metric_cube_pending; DROP TABLE metric_ttd_pending');
  raw.exec(flagCube!.slice(flagCube!.indexOf('CREATE TABLE')));
  raw.exec('DROP INDEX IF EXISTS metric_items_reviewer; DROP VIEW metric_flag_calls');
  raw.exec(reviewerTable!);
  raw.exec(reviewerFill!);
  raw.exec('ALTER TABLE metric_cube_reviewer_new RENAME TO metric_cube_reviewer');
  raw.exec(view!);
  raw.exec(`INSERT INTO metric_flag_items SELECT item_seq, dim, value, day, route, category, policy, detector, model, version, deployment, reviewer, min(false_pos), max(per_flag)
      FROM metric_flag_calls WHERE dim LIKE 'top:%' GROUP BY item_seq, dim, value;
    INSERT INTO metric_flag_cube SELECT dim, value, day, route, category, policy, detector, model, version, deployment, reviewer,
        count(*), sum(false_pos), sum(per_flag), sum(per_flag * false_pos)
      FROM metric_flag_items GROUP BY dim, value, day, route, category, policy, detector, model, version, deployment, reviewer;
    ALTER TABLE metric_cube DROP COLUMN calls; ALTER TABLE metric_items DROP COLUMN calls;
    DELETE FROM __drizzle_migrations WHERE created_at = 1797782400000;`);
  raw.exec('DROP INDEX IF EXISTS metric_items_deployment; DELETE FROM __drizzle_migrations WHERE created_at = 1797868800000;');
}

/** Back to 0010's metric_item_outcome_cols / metric_item_facts (before 0017's bounds table). */
function rollbackOutcomeViews(raw: Database.Database): void {
  const views = readFileSync(join(process.cwd(), 'db/migrations/0010_expert_review.sql'), 'utf8')
    .split('--> statement-breakpoint')
    .filter((st) => /CREATE VIEW `(metric_item_outcome_cols|metric_item_facts)`/.test(st));
  expect(views).toHaveLength(2);
  raw.exec('DROP VIEW metric_item_facts; DROP VIEW metric_item_outcome_cols;');
  for (const st of views) raw.exec(st);
  raw.exec('DROP TABLE metric_ttd_bounds');
}

/** The sums recomputed from metric_items alone (independent of how the upkeep keeps them). */
function sumsFromItems(s: Database.Database) {
  // The pending differences (0021) merged: the sums as kept must equal the GROUP BYs.
  s.transaction(() => mergePendingSums(s)).immediate();
  const sums = `count(*), sum(traced), sum(first_ms IS NOT NULL), sum(breached), sum(overturned), sum(overlap), sum(agreed), sum(halluc), sum(pii), sum(coalesce(first_ms - created_ms, 0))`;
  const cellNoState = 'day, route, category, policy, detector, model, version, deployment';
  const cell = `${cellNoState}, state`;
  const kept = `n, traced, decided, breached, overturned, overlap, agreed, halluc, pii, ttd_ms`;
  return {
    // Per state, open items included (0023: a cell's items less its decided rows).
    cube: [s.prepare(`SELECT ${cell}, ${sums} FROM metric_items GROUP BY ${cell} ORDER BY ${cell}`).raw().all(), s.prepare(`SELECT ${cell}, ${kept} FROM (${cubeStatesSql()}) WHERE n <> 0 ORDER BY ${cell}`).raw().all()],
    // 0023: metric_cell_items holds every item per cell and those traced; the cube's 'open' rows hold neither.
    items: [
      s.prepare(`SELECT ${cellNoState}, count(*), sum(traced) FROM metric_items GROUP BY ${cellNoState} ORDER BY ${cellNoState}`).raw().all(),
      s.prepare(`SELECT ${cellNoState}, n, traced FROM metric_cell_items WHERE n <> 0 ORDER BY ${cellNoState}`).raw().all(),
    ],
    openRows: s.prepare("SELECT count(*) FROM metric_cube WHERE state = 'open' AND (n <> 0 OR traced <> 0)").pluck().get(),
    // 0021: the cube's per-flag-call count, and each row's `calls` as its verdict in force has them.
    calls: [
      s.prepare(`SELECT ${cell}, sum(calls) FROM metric_items GROUP BY ${cell} HAVING sum(calls) > 0 ORDER BY ${cell}`).raw().all(),
      s.prepare(`SELECT ${cell}, calls FROM (${cubeStatesSql()}) WHERE calls <> 0 ORDER BY ${cell}`).raw().all(),
    ],
    callsDefined: s
      .prepare(`SELECT count(*) FROM metric_items m LEFT JOIN verdicts v ON v.seq = m.verdict_seq
        WHERE m.calls IS NOT (m.state IN ('violation', 'dismiss') AND coalesce(json_array_length(v.flag_reviews), 0) > 0)`)
      .pluck()
      .get(),
    ttd: [
      s.prepare('SELECT day, route, priority, model, version, deployment, ttd_bucket, count(*), sum(breached) FROM metric_items WHERE ttd_bucket >= 0 GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7').raw().all(),
      s.prepare('SELECT day, route, priority, model, version, deployment, bucket, n, breached FROM metric_ttd WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7').raw().all(),
    ],
    // The flag calls (0017): the rows equal the view over metric_items as it stands (the panels sum them; no flag cube since 0021).
    flags: [
      s.prepare(`SELECT item_seq, dim, value, day, route, category, policy, detector, model, version, deployment, reviewer, min(false_pos), max(per_flag)
        FROM metric_flag_calls GROUP BY item_seq, dim, value ORDER BY item_seq, dim, value`).raw().all(),
      s.prepare('SELECT * FROM metric_flag_items ORDER BY item_seq, dim, value').raw().all(),
    ],
    // A cell emptied by the difference holds no stray sums.
    strays: s.prepare("SELECT (SELECT count(*) FROM metric_cube WHERE state <> 'open' AND n = 0 AND (decided <> 0 OR traced <> 0 OR ttd_ms <> 0)) + (SELECT count(*) FROM metric_ttd WHERE n = 0 AND breached <> 0)").pluck().get(),
  };
}

function expectSumsMatch(s: Database.Database): void {
  const r = sumsFromItems(s);
  expect(r.cube[1]).toEqual(r.cube[0]);
  expect(r.items[1]).toEqual(r.items[0]);
  expect(r.openRows).toBe(0);
  expect(r.calls[1]).toEqual(r.calls[0]);
  expect(r.callsDefined).toBe(0);
  expect(r.ttd[1]).toEqual(r.ttd[0]);
  expect(r.flags[1]).toEqual(r.flags[0]);
  expect(r.strays).toBe(0);
}

describe('migration 0016 (metric sums kept by the upkeep, not by triggers)', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('upgrades a 0015 workspace whose sums its triggers kept, and keeps them equal to metric_items through new verdicts', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 300, 6);
    recordDemoReviews(t.ws, 300, 6);
    t.ws.close();
    // Back to 0015: its triggers, and the metric tables built by an older build's fold (rows
    // inserted one by one, the triggers summing them).
    const raw = new Database(t.path);
    registerAuditLeafFunction(raw);
    rollback0021(raw);
    const triggers = readFileSync(join(process.cwd(), 'db/migrations/0006_oversight_metrics.sql'), 'utf8')
      .split('--> statement-breakpoint')
      .filter((st) => st.includes('CREATE TRIGGER `metric_items_'));
    expect(triggers).toHaveLength(2);
    // 0017 goes back too: the sums without deployment (0006's tables), no flag calls.
    const tables0006 = readFileSync(join(process.cwd(), 'db/migrations/0006_oversight_metrics.sql'), 'utf8')
      .split('--> statement-breakpoint')
      .filter((st) => /CREATE TABLE `(metric_cube|metric_cube_reviewer|metric_ttd)`/.test(st));
    expect(tables0006).toHaveLength(3);
    raw.exec(`DROP VIEW metric_flag_calls; DROP TABLE metric_flag_items; DROP TABLE metric_flag_cube;
      DROP TABLE metric_cube; DROP TABLE metric_cube_reviewer; DROP TABLE metric_ttd;
      DROP TRIGGER IF EXISTS agreement_items_route; DROP TABLE IF EXISTS agreement_items;
      DROP INDEX IF EXISTS metric_items_open; CREATE INDEX IF NOT EXISTS metric_items_state ON metric_items (state, priority, created_ms);`);
    for (const st of [...tables0006, ...triggers]) raw.exec(st);
    raw.exec(`DELETE FROM metric_items; DELETE FROM metric_cube; DELETE FROM metric_cube_reviewer; DELETE FROM metric_ttd;
      INSERT INTO metric_items SELECT *, (SELECT v.audit_seq FROM verdicts v WHERE v.seq = f.verdict_seq), NULL FROM metric_item_facts f;
      DELETE FROM __drizzle_migrations WHERE created_at >= 1797350400000;`);
    expect(raw.prepare('SELECT count(*) FROM metric_cube WHERE n > 0').pluck().get()).toBeGreaterThan(10);
    const before = raw.prepare('SELECT * FROM metric_cube ORDER BY 1, 2, 3, 4, 5, 6, 7, 8').all();
    rollbackOutcomeViews(raw);
    raw.close();

    const ws = openWorkspace(t.path);
    try {
      const s = ws.sqlite;
      expect(s.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      expect(s.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'metric_items_%'").pluck().get()).toBe(0);
      // The sums the triggers kept are left as they are, and are right.
      // (0017 then split them by deployment: summed over it, they are the same.)
      const sums = 'sum(n) AS n, sum(traced) AS traced, sum(decided) AS decided, sum(breached) AS breached, sum(overturned) AS overturned, sum(overlap) AS overlap, sum(agreed) AS agreed, sum(halluc) AS halluc, sum(pii) AS pii, sum(ttd_ms) AS ttd_ms';
      const cell = 'day, route, category, policy, detector, model, version, state';
      // (And 0023 keeps open items as each cell's items less its decided rows: read per state.)
      expect(s.prepare(`SELECT * FROM (SELECT ${cell}, ${sums} FROM (${cubeStatesSql()}) GROUP BY ${cell}) WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`).all()).toEqual(before);
      expectSumsMatch(s);
      // New verdicts (some moving items between cells, one undone) and new items: the upkeep's differences keep them right.
      const review = new ReviewService(ws);
      const open = s.prepare("SELECT i.id FROM items i JOIN metric_items m ON m.item_seq = i.seq WHERE m.state = 'open' LIMIT 6").pluck().all() as string[];
      // Half of them with per-flag calls (the flag aggregates of 0017 move with the same step).
      const perFlag = s.prepare('SELECT count(*) FROM metric_flag_items WHERE per_flag = 1').pluck();
      const callsBefore = perFlag.get() as number;
      open.forEach((id, i) => review.submit({ itemId: id, decision: 'dismiss', reviewer: 'zed', ...(i % 2 ? {} : { flagReviews: [{ flag: 0, accepted: false }] }) }));
      review.undo('zed');
      await ingestDemo(ws, 40, 9);
      foldNewItems(s, 7);
      expectSumsMatch(s);
      expect(s.prepare("SELECT count(*) FROM metric_items WHERE reviewer = 'zed'").pluck().get()).toBe(5);
      // 0017's bounds table gives the buckets 0006's 12-row compound gave (recomputed here the old way).
      const oldBucket = `CASE WHEN m.first_ms IS NULL THEN -1 ELSE (SELECT count(*) FROM (SELECT 300000 AS b UNION ALL SELECT 900000 UNION ALL
        SELECT 1800000 UNION ALL SELECT 3600000 UNION ALL SELECT 7200000 UNION ALL SELECT 14400000 UNION ALL SELECT 28800000 UNION ALL SELECT 43200000
        UNION ALL SELECT 86400000 UNION ALL SELECT 172800000 UNION ALL SELECT 259200000 UNION ALL SELECT 604800000) WHERE b <= m.first_ms - m.created_ms) END`;
      expect(s.prepare(`SELECT count(*) FROM metric_items m WHERE ttd_bucket IS NOT ${oldBucket}`).pluck().get()).toBe(0);
      expect(s.prepare('SELECT count(DISTINCT ttd_bucket) FROM metric_items').pluck().get()).toBeGreaterThan(3);
      // Three submits with calls (one call each: detector, policy, category), the undone one without.
      expect(perFlag.get()).toBe(callsBefore + 3 * 3);
    } finally {
      ws.close();
    }
  });
});

describe('migration 0019 (the cube index the model panels walk)', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('adds the index to an 0018 workspace with data; the model panels read it over a wide range and equal a plain GROUP BY either way', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 600, 5, { reviews: true });
    foldNewItems(t.ws.sqlite);
    t.ws.close();
    // Back to 0018: without the index (a later migration's objects would go back here too).
    const raw = new Database(t.path);
    rollback0021(raw);
    raw.exec(`DROP INDEX metric_cube_model_cells; DELETE FROM __drizzle_migrations WHERE created_at >= 1797609600000;
      DROP INDEX IF EXISTS metric_items_open; CREATE INDEX IF NOT EXISTS metric_items_state ON metric_items (state, priority, created_ms);
      DROP INDEX IF EXISTS metric_items_deployment;`);
    expect(raw.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion() - laterThan(1797609600000));
    const cells = raw.prepare('SELECT count(*) FROM metric_cube WHERE n > 0').pluck().get() as number;
    raw.close();

    const ws = openWorkspace(t.path);
    try {
      const s = ws.sqlite;
      // Without the index the model pass sorts instead: the same answers (so 0019 can be left out).
      // (Another connection, where the index is dropped inside a transaction that is rolled back.)
      const bare = new Database(t.path);
      registerAuditLeafFunction(bare);
      bare.exec('BEGIN; DROP INDEX metric_cube_model_cells');
      const ext0 = metricDays(bare)!;
      const sorted = modelPanels(bare, { from: ext0.first, to: ext0.last });
      bare.exec('ROLLBACK');
      bare.close();
      expect(s.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      expect(s.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'metric_cube_model_cells'").pluck().get()).toBe(1);
      expect(s.prepare(`SELECT count(*) FROM (${cubeStatesSql()}) WHERE n > 0`).pluck().get()).toBe(cells);
      const ext = metricDays(s)!;
      const wide = { from: ext.first, to: ext.last };
      const narrow = { from: ext.last, to: ext.last };
      // The wide range walks the index in group order (nothing sorted); the narrow one reads the day range.
      const plan = (f: { from: string; to: string }) => {
        return s
          .prepare(
            `EXPLAIN QUERY PLAN SELECT model, version, deployment, category, sum(n) FROM metric_cube INDEXED BY metric_cube_model_cells
             WHERE day BETWEEN ? AND ? GROUP BY model, version, deployment, category`,
          )
          .all(dayNumber(f.from), dayNumber(f.to))
          .map((r) => (r as { detail: string }).detail)
          .join(' | ');
      };
      expect(plan(wide)).toContain('COVERING INDEX metric_cube_model_cells');
      expect(plan(wide)).not.toContain('TEMP B-TREE');
      const reviewer = busiestReviewer(s);
      for (const f of [wide, narrow, { ...wide, deployment: 'canary-us-east-1' }, { ...wide, category: 'hallucination' }, { ...wide, reviewer }]) {
        const p = modelPanels(s, f);
        expect(p.models.length).toBeGreaterThan(0);
        const plain = (dims: ('model' | 'version' | 'deployment')[]) =>
          cubeBy(s, f, dims, 1000)
            .map((r) => [...r.key, r.violation, r.violation + r.dismiss])
            .sort((a, b) => String(a).localeCompare(String(b)));
        const shown = (rows: { model?: string; version?: string; deployment?: string; confirmed: number; reviewed: number }[], dims: ('model' | 'version' | 'deployment')[]) =>
          rows.map((r) => [...dims.map((d) => r[d]!), r.confirmed, r.reviewed]).sort((a, b) => String(a).localeCompare(String(b)));
        expect(shown(p.models, ['model', 'version'])).toEqual(plain(['model', 'version']));
        expect(shown(p.versions, ['version'])).toEqual(plain(['version']));
        expect(shown(p.deployments, ['deployment'])).toEqual(plain(['deployment']));
      }
      expect(modelPanels(s, wide)).toEqual(sorted);
      // The demo's canary regresses: found from the index as it was from the cube.
      expect(modelPanels(s, wide).regressions.some((r) => r.dimension === 'deployment' && r.candidate.startsWith('canary'))).toBe(true);
    } finally {
      ws.close();
    }
  });
});
/** Migrations in the journal at or after `when` (those a rollback to before `when` takes back). */
const laterThan = (when: number): number =>
  (JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] }).entries.filter((e) => e.when >= when).length;

describe('migration 0020 (the open-items index replaces metric_items_state)', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('upgrades a 0018 workspace with data: backlog counts unchanged, sums still equal metric_items through new verdicts', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 300, 6);
    recordDemoReviews(t.ws, 300, 6);
    foldNewItems(t.ws.sqlite);
    t.ws.close();
    // Back to 0018 (0019, if present, stays applied: 0020 applies on top of either). drizzle applies
    // only migrations newer than the last applied one: later ones go back too, with their objects.
    const raw = new Database(t.path);
    rollback0021(raw);
    raw.exec(`DROP INDEX metric_items_open; CREATE INDEX metric_items_state ON metric_items (state, priority, created_ms);
      DROP INDEX IF EXISTS metric_items_deployment; DELETE FROM __drizzle_migrations WHERE created_at >= 1797696000000;`);
    const now = Date.parse('2026-12-01T00:00:00.000Z');
    const plain = (s: Database.Database) =>
      s.prepare("SELECT priority, count(*) AS total FROM metric_items NOT INDEXED WHERE state = 'open' GROUP BY priority ORDER BY priority").all();
    const before = backlog(raw, now);
    expect(before.reduce((a, r) => a + r.total, 0)).toBeGreaterThan(10);
    raw.close();

    const ws = openWorkspace(t.path);
    try {
      const s = ws.sqlite;
      expect(s.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      const indexes = s.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'metric_items' ORDER BY name").pluck().all();
      expect(indexes).toContain('metric_items_open');
      expect(indexes).not.toContain('metric_items_state');
      const plan = s.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM metric_items WHERE state = 'open' AND priority = ? AND created_ms > ? AND created_ms <= ?").all(1, 0, now) as { detail: string }[];
      expect(plan.map((r) => r.detail).join(' ')).toContain('COVERING INDEX metric_items_open');
      expect(backlog(s, now)).toEqual(before);
      expect(backlog(s, now).filter((r) => r.total > 0).map((r) => ({ priority: r.priority, total: r.total }))).toEqual(plain(s));
      expectSumsMatch(s);
      // New verdicts (half with per-flag calls, one undone, one skip that leaves its row as it was): the
      // backlog shrinks by the items decided and every sum still equals metric_items.
      const review = new ReviewService(ws);
      const open = s.prepare("SELECT i.id FROM items i JOIN metric_items m ON m.item_seq = i.seq WHERE m.state = 'open' ORDER BY i.seq LIMIT 7").pluck().all() as string[];
      open.slice(0, 6).forEach((id, i) => review.submit({ itemId: id, decision: i % 3 ? 'violation' : 'dismiss', reviewer: 'zed', ...(i % 2 ? {} : { flagReviews: [{ flag: 0, accepted: false }] }) }));
      review.undo('zed');
      foldNewItems(s);
      const row = s.prepare('SELECT * FROM metric_items WHERE item_seq = (SELECT seq FROM items WHERE id = ?)');
      const kept = row.get(open[6]);
      review.submit({ itemId: open[6]!, decision: 'skip', reviewer: 'zed' });
      const stats = { items: 0, verdicts: 0, rows: 0 };
      foldNewItems(s, { stats });
      expect(stats.verdicts).toBe(1);
      expect(row.get(open[6])).toEqual(kept);
      // Only the fold's mark moved: no metric row written for a verdict that changes nothing.
      expect(stats.rows).toBe(1);
      const total = (b: ReturnType<typeof backlog>) => b.reduce((a, r) => a + r.total, 0);
      expect(total(backlog(s, now))).toBe(total(before) - 5);
      expect(backlog(s, now).filter((r) => r.total > 0).map((r) => ({ priority: r.priority, total: r.total }))).toEqual(plain(s));
      expectSumsMatch(s);
    } finally {
      ws.close();
    }
  });
});

describe('migration 0021 (no per-reviewer cube, no top: flag rows: `calls` in metric_items and the cube)', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('upgrades a 0020 workspace with data: every panel gives the same numbers, the sums equal metric_items through new verdicts', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 600, 5, { reviews: true });
    foldNewItems(t.ws.sqlite);
    const ext = metricDays(t.ws.sqlite)!;
    const reviewer = busiestReviewer(t.ws.sqlite);
    const wide = { from: ext.first, to: ext.last };
    const scopes = [wide, { from: ext.last, to: ext.last }, { ...wide, reviewer }, { ...wide, reviewer, detector: 'jailbreak-classifier' }, { ...wide, deployment: 'canary-us-east-1' }];
    // What the panels show on a workspace folded from scratch by this build.
    const panels = (s: Database.Database) => scopes.map((f) => dashboard(s, f));
    const fresh = panels(t.ws.sqlite);
    expect(fresh[0]!.flagRates.detector.some((r) => r.perFlag > 0 && r.calls > r.perFlag)).toBe(true);
    expect(fresh[2]!.totals.n).toBeGreaterThan(20);
    t.ws.close();
    // Back to 0020: the per-reviewer cube and the top: rows the upkeep kept then, no calls columns.
    const raw = new Database(t.path);
    rollback0021(raw);
    expect(raw.prepare("SELECT count(*) FROM metric_flag_items WHERE dim = 'top:detector'").pluck().get()).toBeGreaterThan(20);
    expect(raw.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion() - laterThan(1797782400000));
    raw.close();

    const ws = openWorkspace(t.path);
    try {
      const s = ws.sqlite;
      expect(s.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      expect(s.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'metric_cube_reviewer'").pluck().get()).toBe(0);
      expect(s.prepare("SELECT count(*) FROM metric_flag_items WHERE dim LIKE 'top:%'").pluck().get()).toBe(0);
      expect(s.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'metric_flag_cube'").pluck().get()).toBe(0);
      // The reviewer filter reads the new index.
      const plan = s.prepare("EXPLAIN QUERY PLAN SELECT count(*), sum(calls) FROM metric_items INDEXED BY metric_items_reviewer WHERE reviewer = ? AND reviewer <> '' AND day BETWEEN ? AND ?").all(reviewer, 0, 1e6) as { detail: string }[];
      expect(plan.map((r) => r.detail).join(' ')).toContain('COVERING INDEX metric_items_reviewer');
      // The backfilled columns give the same panels (and the sums equal plain GROUP BYs).
      expectSumsMatch(s);
      expect(panels(s)).toEqual(fresh);
      // New verdicts (with and without per-flag calls, an amendment that drops the calls, an undo): still exact.
      const review = new ReviewService(ws);
      const open = s.prepare("SELECT i.id FROM items i JOIN metric_items m ON m.item_seq = i.seq WHERE m.state = 'open' ORDER BY i.seq LIMIT 6").pluck().all() as string[];
      open.forEach((id, i) => review.submit({ itemId: id, decision: i % 3 ? 'violation' : 'dismiss', reviewer, ...(i % 2 ? {} : { flagReviews: [{ flag: 0, accepted: false }] }) }));
      review.undo(reviewer);
      const called = s.prepare('SELECT v.id FROM verdicts v JOIN metric_items m ON m.verdict_seq = v.seq WHERE m.calls = 1 ORDER BY v.seq LIMIT 2').pluck().all() as string[];
      for (const id of called) review.amend(id, { decision: 'violation', reviewer: 'lead.kim' });
      foldNewItems(s);
      expectSumsMatch(s);
      expect(s.prepare("SELECT count(*) FROM metric_items WHERE reviewer = 'lead.kim' AND calls = 0").pluck().get()).toBeGreaterThanOrEqual(called.length);
      // Every drill-down of the reviewer-filtered false-positive bars counts its bar.
      for (const row of dashboard(s, { ...wide, reviewer }).flagRates.detector) expect(cellItemCount(s, row.cell)).toBe(row.falsePositives);
    } finally {
      ws.close();
    }
  });
});
