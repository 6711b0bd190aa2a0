-- The report's proof of its counted verdicts, kept where the counting is. When the metric upkeep
-- (db/queries/metrics.ts foldNewItems) records an item's verdict in force, it also records that
-- verdict's audit seq and the leaf hash of its audit event, after re-hashing the event's body to
-- that leaf and finding the verdict named in it ('' when the event is missing, does not hash to
-- its leaf or names another verdict). The report then proves a range's counted verdicts from
-- this index and the audit log's (seq, leaf_hash) index: no event body is read or hashed again.
ALTER TABLE `metric_items` ADD `audit_seq` integer;
--> statement-breakpoint
ALTER TABLE `metric_items` ADD `audit_leaf` text;
--> statement-breakpoint
-- Covers the report's counted verdicts with their proof (and still a drill-down's day range).
DROP INDEX `metric_items_day`;
--> statement-breakpoint
CREATE INDEX `metric_items_day` ON `metric_items` (`day`, `state`, `audit_seq`, `audit_leaf`, `verdict_seq`);
--> statement-breakpoint
-- Items decided before this migration get their proof columns on the next fold, in item_seq
-- chunks up to here (the upkeep fills new rows itself).
INSERT INTO `meta` (`key`, `value`) SELECT 'metrics_proof_backfill_to', CAST(coalesce(max(`item_seq`), 0) AS text) FROM `metric_items` WHERE true
  ON CONFLICT (`key`) DO UPDATE SET `value` = excluded.`value`;
