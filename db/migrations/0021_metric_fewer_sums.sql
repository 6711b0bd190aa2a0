-- Oversight upkeep (issue 14): two sum tables fewer written per verdict counted.
-- Each of them took about one random page per verdict (their cells are nearly one per item), and
-- the upkeep's cost per verdict is mostly those pages (db/queries/metrics-fold.ts).
--
-- 1. `calls` on metric_items: 1 when the item is reviewed (violation or dismiss) and its verdict
--    in force has per-flag calls; summed into metric_cube. It replaces the three `top:detector` /
--    `top:policy` / `top:category` rows metric_flag_items and metric_flag_cube held per such item
--    (43 % of their rows): the false-positive panels take the per-flag items out of the cube's
--    reviewed counts by top flag with `calls` instead (db/queries/metrics.ts flagCallsBy). Both
--    columns are filled from those `top:detector` rows (one per item with calls, carrying the
--    item's cell; false_pos = 1 exactly when it was dismissed), then the `top:` rows go.
ALTER TABLE `metric_items` ADD COLUMN `calls` integer NOT NULL DEFAULT 0;
--> statement-breakpoint
UPDATE metric_items SET calls = 1 WHERE item_seq IN (SELECT item_seq FROM metric_flag_items WHERE dim = 'top:detector');
--> statement-breakpoint
ALTER TABLE `metric_cube` ADD COLUMN `calls` integer NOT NULL DEFAULT 0;
--> statement-breakpoint
UPDATE metric_cube SET calls = c.n
FROM (SELECT day, route, category, policy, detector, model, version, deployment,
        CASE false_pos WHEN 1 THEN 'dismiss' ELSE 'violation' END AS state, count(*) AS n
      FROM metric_flag_items WHERE dim = 'top:detector' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9) c
WHERE metric_cube.day = c.day AND metric_cube.route = c.route AND metric_cube.category = c.category AND metric_cube.policy = c.policy
  AND metric_cube.detector = c.detector AND metric_cube.model = c.model AND metric_cube.version = c.version
  AND metric_cube.deployment = c.deployment AND metric_cube.state = c.state;
--> statement-breakpoint
DELETE FROM metric_flag_items WHERE dim IN ('top:detector', 'top:policy', 'top:category');
--> statement-breakpoint
-- The per-flag calls only (0017's view less its `top:` arm).
DROP VIEW `metric_flag_calls`;
--> statement-breakpoint
CREATE VIEW `metric_flag_calls` AS
SELECT m.item_seq, d.dim,
  coalesce(json_extract(r.record, '$.flags[' || json_extract(c.value, '$.flag') || '].' || d.field), '') AS value,
  m.day, m.route, m.category, m.policy, m.detector, m.model, m.version, m.deployment, m.reviewer,
  (json_extract(c.value, '$.accepted') IS NOT 1) AS false_pos, 1 AS per_flag
FROM metric_items m JOIN verdicts v ON v.seq = m.verdict_seq JOIN item_revisions r ON r.id = v.revision_id
  JOIN json_each(v.flag_reviews) c
  JOIN (SELECT 'detector' AS dim, 'source' AS field UNION ALL SELECT 'policy', 'policy' UNION ALL SELECT 'category', 'category') d
WHERE +m.state IN ('violation', 'dismiss');
--> statement-breakpoint
-- 2. metric_cube_reviewer goes (almost one row per decided item: 0.88 pages per verdict counted,
--    at a random place). A reviewer-filtered panel sums that reviewer's metric_items rows from
--    this covering index instead. It is keyed by the verdict in force's seq after the reviewer, so
--    a newly counted verdict appends its entry at the end of its reviewer's range (a few pages per
--    step, not one per verdict); a (reviewer, day) key would take a random page per verdict again.
--    The panels read every entry of the reviewer (about 80,000 per reviewer at 1M items) and
--    filter the day range: no table row is read.
DROP TABLE IF EXISTS `metric_cube_reviewer`;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `metric_items_reviewer` ON `metric_items` (`reviewer`, `verdict_seq`, `day`, `route`, `category`, `policy`,
  `detector`, `model`, `version`, `deployment`, `state`, `traced`, `first_ms`, `created_ms`, `breached`, `overturned`, `overlap`, `agreed`,
  `halluc`, `pii`, `calls`) WHERE `reviewer` <> '';
--> statement-breakpoint
-- 3. Pending differences. A step of the upkeep appends its net difference per cell to these
--    tables (rowid order: the pages it writes are the tables' last few) instead of updating
--    metric_cube (and its 0019 index) and metric_ttd in place, where each cell
--    touched was about one random page per verdict. When they hold enough rows the upkeep merges
--    them into the sums in one pass (db/queries/metrics-fold.ts mergePendingSums), so a page of
--    the sums is written once per merge instead of once per verdict. The panels read the sums
--    and the pending rows together (db/queries/metrics.ts). Same columns as the sums they feed.
CREATE TABLE `metric_cube_pending` (
  `day` integer NOT NULL, `route` text NOT NULL, `category` text NOT NULL,
  `policy` text NOT NULL, `detector` text NOT NULL, `model` text NOT NULL, `version` text NOT NULL, `deployment` text NOT NULL,
  `state` text NOT NULL,
  `n` integer NOT NULL, `traced` integer NOT NULL, `decided` integer NOT NULL, `breached` integer NOT NULL,
  `overturned` integer NOT NULL, `overlap` integer NOT NULL, `agreed` integer NOT NULL, `halluc` integer NOT NULL,
  `pii` integer NOT NULL, `ttd_ms` integer NOT NULL, `calls` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `metric_ttd_pending` (
  `day` integer NOT NULL, `route` text NOT NULL, `priority` integer NOT NULL, `model` text NOT NULL, `version` text NOT NULL,
  `deployment` text NOT NULL, `bucket` integer NOT NULL, `n` integer NOT NULL, `breached` integer NOT NULL
);
--> statement-breakpoint
-- 4. metric_flag_cube goes too: its cell carries the reviewer and every dimension of the item, so
--    it held about as many rows as metric_flag_items (19,604 for 20,919 at 200k items) and cost
--    about three pending rows per verdict with per-flag calls, half of all, to merge. The
--    false-positive panels sum metric_flag_items instead (units = rows, one per item and value),
--    by 0017's index (dim, value, false_pos, day): it answers an unfiltered panel alone; a filter
--    on another dimension reads the rows of the dim's calls. A covering index with every
--    dimension took 2.5 pages per 100 calls, the narrow one 1 (measured at 200k).
DROP TABLE `metric_flag_cube`;
