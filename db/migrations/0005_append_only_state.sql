-- Every table the audit log covers is append-only in SQL as well: no row of what was decided or
-- received can be deleted, and an item's identity cannot be rewritten (its status, revision and
-- queue fields still change, each with its audit event). A tamperer who drops these triggers is
-- caught by `audit verify`, which replays the log against the rows (electron/core/audit/replay.ts).
CREATE TRIGGER `verdicts_no_delete` BEFORE DELETE ON `verdicts`
BEGIN SELECT RAISE(ABORT, 'verdicts are append-only: DELETE refused; record an undo instead'); END;
--> statement-breakpoint
CREATE TRIGGER `item_revisions_no_delete` BEFORE DELETE ON `item_revisions`
BEGIN SELECT RAISE(ABORT, 'item revisions are append-only: DELETE refused'); END;
--> statement-breakpoint
CREATE TRIGGER `items_no_delete` BEFORE DELETE ON `items`
BEGIN SELECT RAISE(ABORT, 'items are append-only: DELETE refused'); END;
--> statement-breakpoint
CREATE TRIGGER `items_identity_no_update` BEFORE UPDATE OF `seq`, `id`, `source_id`, `external_id`, `ingested_at` ON `items`
  WHEN OLD.`seq` IS NOT NEW.`seq` OR OLD.`id` IS NOT NEW.`id` OR OLD.`source_id` IS NOT NEW.`source_id`
    OR OLD.`external_id` IS NOT NEW.`external_id` OR OLD.`ingested_at` IS NOT NEW.`ingested_at`
BEGIN SELECT RAISE(ABORT, 'an item''s identity is immutable: UPDATE refused'); END;
--> statement-breakpoint
CREATE TRIGGER `sources_no_delete` BEFORE DELETE ON `sources`
BEGIN SELECT RAISE(ABORT, 'sources are append-only: DELETE refused'); END;
--> statement-breakpoint
CREATE TRIGGER `sources_no_update` BEFORE UPDATE ON `sources`
BEGIN SELECT RAISE(ABORT, 'sources are immutable: UPDATE refused'); END;
--> statement-breakpoint
CREATE TRIGGER `quarantine_no_update` BEFORE UPDATE ON `quarantine`
BEGIN SELECT RAISE(ABORT, 'quarantined lines are immutable: UPDATE refused'); END;
--> statement-breakpoint
CREATE TRIGGER `quarantine_no_delete` BEFORE DELETE ON `quarantine`
BEGIN SELECT RAISE(ABORT, 'quarantined lines are append-only: DELETE refused'); END;
