-- Oversight (issue 14): deployment as a dimension, and false-positive rates from per-flag calls.
--
-- 1. `deployment` (provenance.deployment, already in metric_items) becomes a key of metric_cube,
--    metric_cube_reviewer and metric_ttd, so the dashboard filters and compares by deployment
--    (a canary deployment against the others) without reading metric_items. The three tables are
--    rebuilt from metric_items (they are its sums). No trigger keeps them: since 0016 the metric
--    upkeep (db/queries/metrics-fold.ts) adds each step's net difference per cell, and its cell
--    (CUBE_CELL) includes deployment from this migration on.
-- 2. metric_flag_items: per reviewed item, its flag calls per detector, policy and category (the
--    unit of the false-positive rate; definition in docs/metrics.md "False-positive rate"), and
--    metric_flag_cube: their sums. Both are kept by the same upkeep step, off the verdict write
--    path, as metric_items rows change state, verdict or reviewer (no triggers either).
-- 0016 dropped the 0006 cube triggers; dropped again here in case (a rename re-checks every trigger).
DROP TRIGGER IF EXISTS `metric_items_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `metric_items_update`;
--> statement-breakpoint
CREATE TABLE `metric_cube_new` (
  `day` integer NOT NULL, `route` text NOT NULL, `category` text NOT NULL,
  `policy` text NOT NULL, `detector` text NOT NULL, `model` text NOT NULL, `version` text NOT NULL, `deployment` text NOT NULL,
  `state` text NOT NULL,
  `n` integer NOT NULL, `traced` integer NOT NULL, `decided` integer NOT NULL, `breached` integer NOT NULL,
  `overturned` integer NOT NULL, `overlap` integer NOT NULL, `agreed` integer NOT NULL, `halluc` integer NOT NULL,
  `pii` integer NOT NULL, `ttd_ms` integer NOT NULL,
  PRIMARY KEY (`day`, `route`, `category`, `policy`, `detector`, `model`, `version`, `deployment`, `state`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO metric_cube_new SELECT day, route, category, policy, detector, model, version, deployment, state,
  count(*), sum(traced), sum(first_ms IS NOT NULL), sum(breached), sum(overturned), sum(overlap), sum(agreed), sum(halluc), sum(pii),
  sum(coalesce(first_ms - created_ms, 0))
FROM metric_items GROUP BY day, route, category, policy, detector, model, version, deployment, state;
--> statement-breakpoint
DROP TABLE `metric_cube`;
--> statement-breakpoint
ALTER TABLE `metric_cube_new` RENAME TO `metric_cube`;
--> statement-breakpoint
CREATE TABLE `metric_cube_reviewer_new` (
  `reviewer` text NOT NULL, `day` integer NOT NULL, `route` text NOT NULL, `category` text NOT NULL,
  `policy` text NOT NULL, `detector` text NOT NULL, `model` text NOT NULL, `version` text NOT NULL, `deployment` text NOT NULL,
  `state` text NOT NULL,
  `n` integer NOT NULL, `traced` integer NOT NULL, `decided` integer NOT NULL, `breached` integer NOT NULL,
  `overturned` integer NOT NULL, `overlap` integer NOT NULL, `agreed` integer NOT NULL, `halluc` integer NOT NULL,
  `pii` integer NOT NULL, `ttd_ms` integer NOT NULL,
  PRIMARY KEY (`reviewer`, `day`, `route`, `category`, `policy`, `detector`, `model`, `version`, `deployment`, `state`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO metric_cube_reviewer_new SELECT reviewer, day, route, category, policy, detector, model, version, deployment, state,
  count(*), sum(traced), sum(first_ms IS NOT NULL), sum(breached), sum(overturned), sum(overlap), sum(agreed), sum(halluc), sum(pii),
  sum(coalesce(first_ms - created_ms, 0))
FROM metric_items WHERE reviewer <> '' GROUP BY reviewer, day, route, category, policy, detector, model, version, deployment, state;
--> statement-breakpoint
DROP TABLE `metric_cube_reviewer`;
--> statement-breakpoint
ALTER TABLE `metric_cube_reviewer_new` RENAME TO `metric_cube_reviewer`;
--> statement-breakpoint
CREATE TABLE `metric_ttd_new` (
  `day` integer NOT NULL, `route` text NOT NULL, `priority` integer NOT NULL, `model` text NOT NULL, `version` text NOT NULL,
  `deployment` text NOT NULL, `bucket` integer NOT NULL, `n` integer NOT NULL, `breached` integer NOT NULL,
  PRIMARY KEY (`day`, `route`, `priority`, `model`, `version`, `deployment`, `bucket`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO metric_ttd_new SELECT day, route, priority, model, version, deployment, ttd_bucket, count(*), sum(breached)
FROM metric_items WHERE ttd_bucket >= 0 GROUP BY day, route, priority, model, version, deployment, ttd_bucket;
--> statement-breakpoint
DROP TABLE `metric_ttd`;
--> statement-breakpoint
ALTER TABLE `metric_ttd_new` RENAME TO `metric_ttd`;
--> statement-breakpoint
-- Per reviewed item (state violation or dismiss) whose verdict in force carries per-flag calls
-- (verdicts.flag_reviews, indexes into the judged revision's flags), per detector, policy and
-- category among the called flags: one unit, a false positive (false_pos = 1) when every called
-- flag carrying the value was rejected, else confirmed; flags left uncalled do not count. Plus one
-- row per 'top:detector' / 'top:policy' / 'top:category' (per_flag = 0): the item's top flag and
-- decision, so the panels can take these items out of metric_cube's counts. An item reviewed
-- without per-flag calls has no rows here and costs nothing: its unit is its top flag judged by
-- its decision, read from metric_cube (db/queries/metrics.ts flagCallsBy). The items' dimensions
-- are copied so the cube below can be kept from this table alone.
CREATE TABLE `metric_flag_items` (
  `item_seq` integer NOT NULL, `dim` text NOT NULL, `value` text NOT NULL,
  `day` integer NOT NULL, `route` text NOT NULL, `category` text NOT NULL, `policy` text NOT NULL, `detector` text NOT NULL,
  `model` text NOT NULL, `version` text NOT NULL, `deployment` text NOT NULL, `reviewer` text NOT NULL,
  `false_pos` integer NOT NULL, `per_flag` integer NOT NULL,
  PRIMARY KEY (`item_seq`, `dim`, `value`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Drill-down: the items behind one bar (dim, value, false positive or not) in a day range.
CREATE INDEX `metric_flag_items_cell` ON `metric_flag_items` (`dim`, `value`, `false_pos`, `day`);
--> statement-breakpoint
-- The sums the panels read: per cell of the item's dimensions (top flag, model, version,
-- deployment, reviewer of the verdict in force) and per (dim, value) of the calls.
CREATE TABLE `metric_flag_cube` (
  `dim` text NOT NULL, `value` text NOT NULL,
  `day` integer NOT NULL, `route` text NOT NULL, `category` text NOT NULL, `policy` text NOT NULL, `detector` text NOT NULL,
  `model` text NOT NULL, `version` text NOT NULL, `deployment` text NOT NULL, `reviewer` text NOT NULL,
  `units` integer NOT NULL, `false_pos` integer NOT NULL, `per_flag` integer NOT NULL, `per_flag_false_pos` integer NOT NULL,
  PRIMARY KEY (`dim`, `value`, `day`, `route`, `category`, `policy`, `detector`, `model`, `version`, `deployment`, `reviewer`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The per-verdict aggregation of flag calls, one row per call: for each metric_items row of a
-- reviewed item, its verdict in force's per-flag calls (three rows each: the called flag's
-- detector, policy and category, from the judged revision's record) and, when there are any, the
-- item's top-flag rows. metric_flag_items groups these per (item, dim, value); the metric
-- upkeep reads it for the items a step changed, the backfill below for all. `+m.state`: not by the
-- state index (every reviewed item), so the upkeep's `item_seq IN (few)` seeks metric_items by key.
CREATE VIEW `metric_flag_calls` AS
SELECT m.item_seq, d.dim,
  coalesce(json_extract(r.record, '$.flags[' || json_extract(c.value, '$.flag') || '].' || d.field), '') AS value,
  m.day, m.route, m.category, m.policy, m.detector, m.model, m.version, m.deployment, m.reviewer,
  (json_extract(c.value, '$.accepted') IS NOT 1) AS false_pos, 1 AS per_flag
FROM metric_items m JOIN verdicts v ON v.seq = m.verdict_seq JOIN item_revisions r ON r.id = v.revision_id
  JOIN json_each(v.flag_reviews) c
  JOIN (SELECT 'detector' AS dim, 'source' AS field UNION ALL SELECT 'policy', 'policy' UNION ALL SELECT 'category', 'category') d
WHERE +m.state IN ('violation', 'dismiss')
UNION ALL
SELECT m.item_seq, d.dim, CASE d.dim WHEN 'top:detector' THEN m.detector WHEN 'top:policy' THEN m.policy ELSE m.category END AS value,
  m.day, m.route, m.category, m.policy, m.detector, m.model, m.version, m.deployment, m.reviewer,
  (m.state = 'dismiss') AS false_pos, 0 AS per_flag
FROM metric_items m JOIN verdicts v ON v.seq = m.verdict_seq
  JOIN (SELECT 'top:detector' AS dim UNION ALL SELECT 'top:policy' UNION ALL SELECT 'top:category') d
WHERE +m.state IN ('violation', 'dismiss') AND json_array_length(v.flag_reviews) > 0;
--> statement-breakpoint
-- Backfill from metric_items as it stands (the upkeep carries on from there).
INSERT INTO metric_flag_items SELECT item_seq, dim, value, day, route, category, policy, detector, model, version, deployment, reviewer,
    min(false_pos), max(per_flag)
  FROM metric_flag_calls GROUP BY item_seq, dim, value;
--> statement-breakpoint
INSERT INTO metric_flag_cube SELECT dim, value, day, route, category, policy, detector, model, version, deployment, reviewer,
    count(*), sum(false_pos), sum(per_flag), sum(per_flag * false_pos)
  FROM metric_flag_items GROUP BY dim, value, day, route, category, policy, detector, model, version, deployment, reviewer;
--> statement-breakpoint
-- 3. The time-to-decision bucket from a table of its bounds (the same twelve as 0006's compound):
--    SQLite inlines metric_item_outcome into metric_item_outcome_cols, so with the 12-row compound
--    the decision time (a strftime parse) was evaluated once per bound for every item the upkeep
--    recomputes; a seek on this table evaluates it once. Same values (bucket = bounds <= time).
--    Measured at 20k, 2,000 decided items: 0.0198 -> 0.0135 ms CPU per item for the outcome read.
CREATE TABLE `metric_ttd_bounds` (`b` integer PRIMARY KEY NOT NULL);
--> statement-breakpoint
INSERT INTO metric_ttd_bounds VALUES (300000), (900000), (1800000), (3600000), (7200000), (14400000), (28800000), (43200000),
  (86400000), (172800000), (259200000), (604800000);
--> statement-breakpoint
DROP VIEW `metric_item_facts`;
--> statement-breakpoint
DROP VIEW `metric_item_outcome_cols`;
--> statement-breakpoint
CREATE VIEW `metric_item_outcome_cols` AS
SELECT o.item_seq, o.state, o.reviewer, o.halluc, o.pii, o.first_ms,
  CASE WHEN o.first_ms IS NULL THEN -1
       ELSE (SELECT count(*) FROM metric_ttd_bounds WHERE b <= o.first_ms - o.created_ms) END AS ttd_bucket,
  coalesce(o.first_ms - o.created_ms > (SELECT sla_ms FROM metric_sla s WHERE s.priority = o.priority), 0) AS breached,
  (o.cur_kind IN ('amendment', 'adjudication') AND o.first_decision IN ('violation', 'dismiss') AND o.cur_decision IN ('violation', 'dismiss')
     AND o.first_decision <> o.cur_decision AND o.first_reviewer <> o.reviewer) IS 1 AS overturned,
  (o.reviewers >= 2) AS overlap,
  (o.reviewers >= 2 AND o.decisions = 1) AS agreed, o.cur_seq AS verdict_seq
FROM metric_item_outcome o;
--> statement-breakpoint
CREATE VIEW `metric_item_facts` AS
SELECT i.seq AS item_seq, i.created_ms / 86400000 AS day, i.created_ms, i.route, i.priority,
  coalesce(i.top_flag_category, '') AS category, coalesce(i.top_flag_policy, '') AS policy, coalesce(i.top_flag_source, '') AS detector,
  coalesce(i.model, '') AS model,
  coalesce(json_extract(r.record, '$.provenance.model_version'), '') AS version,
  coalesce(json_extract(r.record, '$.provenance.deployment'), '') AS deployment,
  (json_extract(r.record, '$.provenance.trace_id') IS NOT NULL AND json_extract(r.record, '$.provenance.span_id') IS NOT NULL
    AND json_extract(r.record, '$.provenance."gen_ai.request.model"') IS NOT NULL
    AND json_extract(r.record, '$.provenance.model_version') IS NOT NULL) AS traced,
  o.state, o.reviewer, o.halluc, o.pii, o.first_ms, o.ttd_bucket, o.breached, o.overturned, o.overlap, o.agreed, o.verdict_seq
FROM items i JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = 1
  JOIN metric_item_outcome_cols o ON o.item_seq = i.seq;
