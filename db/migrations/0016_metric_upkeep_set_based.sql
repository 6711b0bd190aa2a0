-- The metric sums (metric_cube, metric_cube_reviewer, metric_ttd) are kept by the upkeep itself
-- (db/queries/metrics-fold.ts), set-based: per step it adds the net difference per cell touched,
-- instead of six single-row upserts per metric_items row in these triggers. The sums are right as
-- they stand (the triggers kept them until now): nothing to recompute.
DROP TRIGGER IF EXISTS `metric_items_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `metric_items_update`;
