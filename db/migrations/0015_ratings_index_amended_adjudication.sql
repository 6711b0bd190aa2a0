-- Expert review (issue 13), local workspace.
-- 1. Agreement reads every reviewer's standing decision in one pass: a covering index in
--    (item, reviewer, seq) order lets GROUP BY item_seq, reviewer run without a sort and without
--    touching the table rows (db/queries/adjudication.ts reviewerDecisionsAllSql).
CREATE INDEX `verdicts_ratings` ON `verdicts` (`item_seq`, `reviewer`, `seq`, `kind`, `decision`, `labels`, `decided_at`, `supersedes`);
--> statement-breakpoint
-- 2. The in-force rule (db/queries/in-force.ts afterAdjudicationSql): an amended adjudication
--    still holds against a later import. Before, amending the adjudication left no standing row of
--    kind 'adjudication', so the next import became the verdict in force. The metric view follows.
DROP VIEW `metric_item_verdicts`;
--> statement-breakpoint
CREATE VIEW `metric_item_verdicts` AS
SELECT i.seq AS item_seq,
  (SELECT v.seq FROM verdicts v WHERE v.item_seq = i.seq AND v.kind IN ('verdict', 'amendment', 'import', 'adjudication') AND v.decision <> 'skip'
     AND NOT EXISTS (SELECT 1 FROM verdicts u WHERE u.supersedes = v.id
       AND NOT EXISTS (SELECT 1 FROM verdicts w WHERE w.supersedes = u.id AND w.kind = 'undo'))
     AND NOT (v.kind = 'import' AND EXISTS (SELECT 1 FROM verdicts a WHERE a.item_seq = v.item_seq AND a.kind IN ('adjudication', 'amendment') AND a.seq < v.seq
       AND (a.kind = 'adjudication' OR (a.kind = 'amendment' AND EXISTS (WITH RECURSIVE line(id) AS (SELECT a.supersedes
             UNION SELECT p.supersedes FROM verdicts p JOIN line ON p.id = line.id WHERE p.kind = 'amendment')
           SELECT 1 FROM line JOIN verdicts o ON o.id = line.id WHERE o.kind = 'adjudication')))
       AND NOT EXISTS (SELECT 1 FROM verdicts u WHERE u.supersedes = a.id
         AND NOT EXISTS (SELECT 1 FROM verdicts w WHERE w.supersedes = u.id AND w.kind = 'undo'))))
   ORDER BY v.seq DESC LIMIT 1) AS cur_seq,
  (SELECT v.seq FROM verdicts v WHERE v.item_seq = i.seq AND v.kind IN ('verdict', 'import') AND v.decision IN ('violation', 'dismiss', 'escalate')
     AND NOT EXISTS (SELECT 1 FROM verdicts u WHERE u.supersedes = v.id AND u.kind = 'undo')
   ORDER BY v.seq LIMIT 1) AS first_seq,
  (SELECT count(DISTINCT v.reviewer) FROM verdicts v WHERE v.item_seq = i.seq AND v.kind IN ('verdict', 'import') AND v.decision IN ('violation', 'dismiss')
     AND NOT EXISTS (SELECT 1 FROM verdicts u WHERE u.supersedes = v.id AND u.kind = 'undo')) AS reviewers,
  (SELECT count(DISTINCT v.decision) FROM verdicts v WHERE v.item_seq = i.seq AND v.kind IN ('verdict', 'import') AND v.decision IN ('violation', 'dismiss')
     AND NOT EXISTS (SELECT 1 FROM verdicts u WHERE u.supersedes = v.id AND u.kind = 'undo')) AS decisions
FROM items i;
