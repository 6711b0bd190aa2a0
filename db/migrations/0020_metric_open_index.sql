-- Oversight upkeep (issue 14): fewer index entries written per verdict counted.
-- metric_items_state (state, priority, created_ms) served one read, the backlog panel, which counts
-- open items only (db/queries/metrics.ts backlog). Every verdict the upkeep counted moved its item's
-- entry from the open range into the far larger range of decided items, one random page (often a
-- split) per verdict: 331 of the 3,295 pages a 1,000-verdict catch-up wrote at 100k items. Kept for
-- open items only, a verdict now deletes one entry from a small range and inserts none.
DROP INDEX IF EXISTS `metric_items_state`;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `metric_items_open` ON `metric_items` (`priority`, `created_ms`) WHERE `state` = 'open';
