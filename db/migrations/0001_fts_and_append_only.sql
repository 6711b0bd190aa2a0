-- Full-text index over each item's current input and output text. Contentless (the text lives in
-- item_revisions) with contentless_delete so a new revision can replace the old row.
CREATE VIRTUAL TABLE `items_fts` USING fts5(input, output, content='', contentless_delete=1, detail=column, tokenize='unicode61 remove_diacritics 2');
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
-- Live queue counts without scanning a million rows: kept by triggers in the writing transaction.
CREATE TABLE `status_counts` (`status` text PRIMARY KEY NOT NULL, `n` integer NOT NULL) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `status_counts` (`status`, `n`) VALUES ('new', 0), ('in_review', 0), ('decided', 0), ('escalated', 0), ('conflict', 0);
--> statement-breakpoint
CREATE TRIGGER `items_count_insert` AFTER INSERT ON `items`
BEGIN UPDATE `status_counts` SET `n` = `n` + 1 WHERE `status` = NEW.`status`; END;
--> statement-breakpoint
CREATE TRIGGER `items_count_update` AFTER UPDATE OF `status` ON `items` WHEN OLD.`status` <> NEW.`status`
BEGIN
  UPDATE `status_counts` SET `n` = `n` - 1 WHERE `status` = OLD.`status`;
  UPDATE `status_counts` SET `n` = `n` + 1 WHERE `status` = NEW.`status`;
END;
