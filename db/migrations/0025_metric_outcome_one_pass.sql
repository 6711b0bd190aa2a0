-- Oversight upkeep (issue 14): an item's outcome reads its verdicts in one pass.
-- metric_item_verdicts (0015) found the first decision, the distinct reviewers and the distinct
-- decisions with three correlated subqueries, each seeking the item's verdicts and checking each
-- for an undo: three passes per item the upkeep recomputes (every counted verdict). One aggregate
-- now computes the three, packed in one integer (first seq * 16 + reviewers * 4 + decisions; the
-- counts capped at 3: the outcome asks only reviewers >= 2 and decisions = 1; 0 when none).
-- It is joined through json_each (one row for a scalar), which SQLite evaluates once per item;
-- as a view column the packed subquery would be inlined into, and run for, each column that
-- unpacks it. The verdict in force (the same rule as before, in-force.ts, unchanged) is joined
-- the same way: it feeds both the join to its verdict row and verdict_seq.
-- Same columns; same values except reviewers and decisions, now at most 3.
DROP VIEW `metric_item_verdicts`;
--> statement-breakpoint
CREATE VIEW `metric_item_verdicts` AS
SELECT i.seq AS item_seq, nullif(cur.value, 0) AS cur_seq,
  nullif(pass.value >> 4, 0) AS first_seq, pass.value >> 2 & 3 AS reviewers, pass.value & 3 AS decisions
FROM items i
  JOIN json_each(coalesce((SELECT v.seq FROM verdicts v WHERE v.item_seq = i.seq AND v.kind IN ('verdict', 'amendment', 'import', 'adjudication') AND v.decision <> 'skip'
     AND NOT EXISTS (SELECT 1 FROM verdicts u WHERE u.supersedes = v.id
       AND NOT EXISTS (SELECT 1 FROM verdicts w WHERE w.supersedes = u.id AND w.kind = 'undo'))
     AND NOT (v.kind = 'import' AND EXISTS (SELECT 1 FROM verdicts a WHERE a.item_seq = v.item_seq AND a.kind IN ('adjudication', 'amendment') AND a.seq < v.seq
       AND (a.kind = 'adjudication' OR (a.kind = 'amendment' AND EXISTS (WITH RECURSIVE line(id) AS (SELECT a.supersedes
             UNION SELECT p.supersedes FROM verdicts p JOIN line ON p.id = line.id WHERE p.kind = 'amendment')
           SELECT 1 FROM line JOIN verdicts o ON o.id = line.id WHERE o.kind = 'adjudication')))
       AND NOT EXISTS (SELECT 1 FROM verdicts u WHERE u.supersedes = a.id
         AND NOT EXISTS (SELECT 1 FROM verdicts w WHERE w.supersedes = u.id AND w.kind = 'undo'))))
   ORDER BY v.seq DESC LIMIT 1), 0)) cur
  JOIN json_each((SELECT coalesce(min(v.seq), 0) * 16
       + min(count(DISTINCT v.reviewer) FILTER (WHERE v.decision <> 'escalate'), 3) * 4
       + min(count(DISTINCT v.decision) FILTER (WHERE v.decision <> 'escalate'), 3)
     FROM verdicts v WHERE v.item_seq = i.seq AND v.kind IN ('verdict', 'import') AND v.decision IN ('violation', 'dismiss', 'escalate')
       AND NOT EXISTS (SELECT 1 FROM verdicts u WHERE u.supersedes = v.id AND u.kind = 'undo'))) pass;
