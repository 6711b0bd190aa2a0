-- Oversight upkeep (issue 14): open items out of the cube.
-- A counted verdict moved its item from the cube's `open` row to its decided row: two pending
-- rows (-1 and +1) per verdict, and the -1s were a third of the rows each merge had to add into
-- the cube (and its 0019 index). Now:
--  - metric_cell_items holds each cell's items (n) and those with full trace metadata (traced),
--    per cell without state (an item's dimensions are frozen as it arrived). The upkeep writes
--    it when items are counted in (pending rows, merged like the cube's), never for a verdict;
--  - metric_cube holds decided items per state as before; rows of state 'open' keep only the
--    open items' outcome sums (normally none) with n = traced = 0.
-- The panels read a cell's items from metric_cell_items and its open items as those less its
-- decided ones (db/queries/metrics.ts), so a verdict on an open item adds one pending row (its
-- decided cell). The backlog panel still counts open items from metric_items_open.
--
-- The cube's pending differences are merged first (their rowids must run without gaps).
INSERT INTO metric_cube (day, route, category, policy, detector, model, version, deployment, state,
  n, traced, decided, breached, overturned, overlap, agreed, halluc, pii, ttd_ms, calls)
SELECT * FROM (SELECT day, route, category, policy, detector, model, version, deployment, state,
    sum(n) AS n, sum(traced) AS traced, sum(decided) AS decided, sum(breached) AS breached, sum(overturned) AS overturned,
    sum(overlap) AS overlap, sum(agreed) AS agreed, sum(halluc) AS halluc, sum(pii) AS pii, sum(ttd_ms) AS ttd_ms, sum(calls) AS calls
  FROM metric_cube_pending GROUP BY day, route, category, policy, detector, model, version, deployment, state) WHERE true
ON CONFLICT DO UPDATE SET n = n + excluded.n, traced = traced + excluded.traced, decided = decided + excluded.decided,
  breached = breached + excluded.breached, overturned = overturned + excluded.overturned, overlap = overlap + excluded.overlap,
  agreed = agreed + excluded.agreed, halluc = halluc + excluded.halluc, pii = pii + excluded.pii, ttd_ms = ttd_ms + excluded.ttd_ms,
  calls = calls + excluded.calls;
--> statement-breakpoint
DELETE FROM metric_cube_pending;
--> statement-breakpoint
CREATE TABLE `metric_cell_items` (
  `day` integer NOT NULL, `route` text NOT NULL, `category` text NOT NULL,
  `policy` text NOT NULL, `detector` text NOT NULL, `model` text NOT NULL, `version` text NOT NULL, `deployment` text NOT NULL,
  `n` integer NOT NULL, `traced` integer NOT NULL,
  PRIMARY KEY (`day`, `route`, `category`, `policy`, `detector`, `model`, `version`, `deployment`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The model panels and the filter lists walk it in (model, version, deployment, category) order, as 0019's cube index.
CREATE INDEX `metric_cell_items_model` ON `metric_cell_items` (`model`, `version`, `deployment`, `category`, `n`);
--> statement-breakpoint
CREATE TABLE `metric_cell_items_pending` (
  `day` integer NOT NULL, `route` text NOT NULL, `category` text NOT NULL,
  `policy` text NOT NULL, `detector` text NOT NULL, `model` text NOT NULL, `version` text NOT NULL, `deployment` text NOT NULL,
  `n` integer NOT NULL, `traced` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO metric_cell_items SELECT day, route, category, policy, detector, model, version, deployment, sum(n), sum(traced)
FROM metric_cube GROUP BY day, route, category, policy, detector, model, version, deployment HAVING sum(n) <> 0 OR sum(traced) <> 0;
--> statement-breakpoint
UPDATE metric_cube SET n = 0, traced = 0 WHERE state = 'open';
--> statement-breakpoint
DELETE FROM metric_cube WHERE state = 'open' AND decided = 0 AND breached = 0 AND overturned = 0 AND overlap = 0 AND agreed = 0
  AND halluc = 0 AND pii = 0 AND ttd_ms = 0 AND calls = 0;
