-- Full-text index over each item's current input and output text, plus `extra`: its source id,
-- flag sources, policies, categories and reasons, and evidence titles. Contentless (the text lives in
-- item_revisions) with contentless_delete so a new revision can replace the old row.
CREATE VIRTUAL TABLE `items_fts` USING fts5(input, output, extra, content='', contentless_delete=1, detail=column, tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
-- Rebuilding the tree reads only leaf hashes: a covering index spares reading every event body.
CREATE INDEX `audit_events_leaf` ON `audit_events` (`seq`, `leaf_hash`);
--> statement-breakpoint
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events`
BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_events_no_delete` BEFORE DELETE ON `audit_events`
BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;
--> statement-breakpoint
CREATE TRIGGER `item_revisions_no_update` BEFORE UPDATE ON `item_revisions`
BEGIN SELECT RAISE(ABORT, 'item revisions are immutable: UPDATE refused'); END;
--> statement-breakpoint
CREATE TRIGGER `verdicts_no_update` BEFORE UPDATE ON `verdicts`
BEGIN SELECT RAISE(ABORT, 'verdicts are immutable: record an amendment instead'); END;
--> statement-breakpoint
-- Live queue counts without scanning a million rows: per (status, route, priority), kept by
-- triggers in the writing transaction, so counts under route and priority filters are O(1) too.
CREATE TABLE `queue_counts` (`status` text NOT NULL, `route` text NOT NULL, `priority` integer NOT NULL, `n` integer NOT NULL, PRIMARY KEY (`status`, `route`, `priority`)) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `items_count_insert` AFTER INSERT ON `items`
BEGIN
  INSERT INTO `queue_counts` (`status`, `route`, `priority`, `n`) VALUES (NEW.`status`, NEW.`route`, NEW.`priority`, 1)
    ON CONFLICT (`status`, `route`, `priority`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `items_count_update` AFTER UPDATE OF `status`, `route`, `priority` ON `items`
  WHEN OLD.`status` <> NEW.`status` OR OLD.`route` <> NEW.`route` OR OLD.`priority` <> NEW.`priority`
BEGIN
  UPDATE `queue_counts` SET `n` = `n` - 1 WHERE `status` = OLD.`status` AND `route` = OLD.`route` AND `priority` = OLD.`priority`;
  INSERT INTO `queue_counts` (`status`, `route`, `priority`, `n`) VALUES (NEW.`status`, NEW.`route`, NEW.`priority`, 1)
    ON CONFLICT (`status`, `route`, `priority`) DO UPDATE SET `n` = `n` + 1;
END;
