-- Agreement at a million verdicts (issue 13): a per-item summary of the reviewers' standing
-- ratings, so the agreement statistics group items in SQL over indexes instead of reading every
-- rating. The verdict write recomputes its item's row in its transaction
-- (db/queries/agreement.ts refreshAgreementItem); a route change is carried by the trigger below.
-- Columns: period = earliest month (YYYY-MM) of the item's ratings; c0, c1, c2 = ratings that are
-- violation, dismiss, escalate; raters = JSON [[reviewer, decision], ...] in reviewer order;
-- labels = JSON list of the labelled ratings' label lists in text order ('[]' when none).
CREATE TABLE `agreement_items` (
	`item_seq` integer PRIMARY KEY NOT NULL,
	`route` text NOT NULL,
	`period` text NOT NULL,
	`m` integer NOT NULL,
	`c0` integer NOT NULL,
	`c1` integer NOT NULL,
	`c2` integer NOT NULL,
	`raters` text NOT NULL,
	`labels` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agreement_items_units` ON `agreement_items` (`route`, `period`, `c0`, `c1`, `c2`);
--> statement-breakpoint
CREATE INDEX `agreement_items_raters` ON `agreement_items` (`raters`);
--> statement-breakpoint
CREATE INDEX `agreement_items_labels` ON `agreement_items` (`m`, `labels`) WHERE `labels` <> '[]';
--> statement-breakpoint
CREATE TRIGGER `agreement_items_route` AFTER UPDATE OF `route` ON `items` WHEN NEW.`route` IS NOT OLD.`route` BEGIN
	UPDATE `agreement_items` SET `route` = NEW.`route` WHERE `item_seq` = NEW.`seq`;
END;
--> statement-breakpoint
-- Backfill: the text of agreementItemsBackfillSql() (test/workspace/migrations.test.ts compares).
INSERT INTO agreement_items (item_seq, route, period, m, c0, c1, c2, raters, labels)
    SELECT g.item_seq, i.route, g.period, g.m, g.c0, g.c1, g.c2, g.raters, g.labels
    FROM (SELECT r.item_seq, min(substr(r.decided_at, 1, 7)) AS period, count(*) AS m, sum(r.decision = 'violation') AS c0, sum(r.decision = 'dismiss') AS c1, sum(r.decision = 'escalate') AS c2,
      json_group_array(json_array(r.reviewer, r.decision) ORDER BY r.reviewer) AS raters,
      json_group_array(json(r.labels) ORDER BY r.labels) FILTER (WHERE r.labels <> '[]') AS labels
    FROM (SELECT x.item_seq, x.reviewer, max(x.seq) AS seq, x.decision, x.labels, x.decided_at
    FROM verdicts x INDEXED BY verdicts_ratings
    WHERE x.kind IN ('verdict', 'amendment', 'import') AND x.decision <> 'skip' AND NOT (x.kind = 'amendment' AND (x.kind = 'adjudication' OR (x.kind = 'amendment' AND EXISTS (WITH RECURSIVE line(id) AS (SELECT x.supersedes
        UNION SELECT p.supersedes FROM verdicts p JOIN line ON p.id = line.id WHERE p.kind = 'amendment')
      SELECT 1 FROM line JOIN verdicts o ON o.id = line.id WHERE o.kind = 'adjudication'))))
      AND x.seq NOT IN (SELECT t.seq FROM verdicts u JOIN verdicts t ON t.id = u.supersedes WHERE u.supersedes > ''
        AND NOT EXISTS (SELECT 1 FROM verdicts w WHERE w.supersedes = u.id AND w.kind = 'undo'))
    GROUP BY x.item_seq, x.reviewer) r
    WHERE r.decision IN ('violation', 'dismiss', 'escalate')
    GROUP BY r.item_seq) g JOIN items i ON i.seq = g.item_seq
;
