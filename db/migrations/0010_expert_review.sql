-- Expert review (issue 13). What an adjudicator, a lead or a reviewer does to an item besides
-- recording a verdict: hold (reason, review-by time), release, reopen (reason), gold (the
-- known-correct verdict), consult note, reveal of masked content. Append-only like verdicts;
-- each row names its audit event (`audit_seq`) and electron/core/audit/replay.ts compares every
-- field with it, so a row added, edited or removed outside Verdict fails `audit verify`.
-- Adjudications are verdict rows of kind 'adjudication' (their own audit event type).
CREATE TABLE `item_actions` (
  `seq` integer PRIMARY KEY NOT NULL,
  `id` text NOT NULL,
  `item_seq` integer NOT NULL,
  `kind` text NOT NULL,
  `reason` text,
  `due_at` text,
  `data` text DEFAULT '{}' NOT NULL,
  `actor` text NOT NULL,
  `at` text NOT NULL,
  `audit_seq` integer NOT NULL,
  FOREIGN KEY (`item_seq`) REFERENCES `items`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `item_actions_id_unique` ON `item_actions` (`id`);
--> statement-breakpoint
CREATE INDEX `item_actions_item` ON `item_actions` (`item_seq`, `seq`);
--> statement-breakpoint
CREATE INDEX `item_actions_kind` ON `item_actions` (`kind`, `seq`);
--> statement-breakpoint
CREATE TRIGGER `item_actions_no_update` BEFORE UPDATE ON `item_actions`
BEGIN SELECT RAISE(ABORT, 'item actions are immutable: record a new action instead'); END;
--> statement-breakpoint
CREATE TRIGGER `item_actions_no_delete` BEFORE DELETE ON `item_actions`
BEGIN SELECT RAISE(ABORT, 'item actions are append-only: DELETE refused'); END;
--> statement-breakpoint
-- The adjudication queue in queue order: disputed items are a status, kept by the verdict write
-- from the one SQL definition (db/queries/adjudication.ts).
CREATE INDEX `verdicts_item_kind` ON `verdicts` (`item_seq`, `kind`, `seq`);
--> statement-breakpoint
-- The metric views follow the in-force rule of db/queries/in-force.ts: an adjudication is a
-- decision, an import recorded after a standing adjudication does not replace it, and an
-- adjudicator who differs from the first decision overturns it.
DROP VIEW `metric_item_facts`;
--> statement-breakpoint
DROP VIEW `metric_item_outcome_cols`;
--> statement-breakpoint
DROP VIEW `metric_item_outcome`;
--> statement-breakpoint
DROP VIEW `metric_item_verdicts`;
--> statement-breakpoint
CREATE VIEW `metric_item_verdicts` AS
SELECT i.seq AS item_seq,
  (SELECT v.seq FROM verdicts v WHERE v.item_seq = i.seq AND v.kind IN ('verdict', 'amendment', 'import', 'adjudication') AND v.decision <> 'skip'
     AND NOT EXISTS (SELECT 1 FROM verdicts u WHERE u.supersedes = v.id
       AND NOT EXISTS (SELECT 1 FROM verdicts w WHERE w.supersedes = u.id AND w.kind = 'undo'))
     AND NOT (v.kind = 'import' AND EXISTS (SELECT 1 FROM verdicts a WHERE a.item_seq = v.item_seq AND a.kind = 'adjudication' AND a.seq < v.seq
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
--> statement-breakpoint
CREATE VIEW `metric_item_outcome` AS
SELECT x.item_seq, x.cur_seq,
  coalesce(c.decision, 'open') AS state,
  coalesce(c.reviewer, '') AS reviewer,
  (c.decision = 'violation' AND (instr(c.labels, '"hallucination"') > 0 OR i.top_flag_category = 'hallucination')) IS 1 AS halluc,
  (c.decision = 'violation' AND (instr(c.labels, '"pii_exposure"') > 0 OR i.top_flag_category = 'pii')) IS 1 AS pii,
  CAST(strftime('%s', f.decided_at) AS integer) * 1000 + CAST(substr(strftime('%f', f.decided_at), 4) AS integer) AS first_ms,
  f.decision AS first_decision, f.reviewer AS first_reviewer, c.decision AS cur_decision, c.kind AS cur_kind,
  x.reviewers, x.decisions, i.created_ms, i.priority
FROM metric_item_verdicts x JOIN items i ON i.seq = x.item_seq
  LEFT JOIN verdicts c ON c.seq = x.cur_seq LEFT JOIN verdicts f ON f.seq = x.first_seq;
--> statement-breakpoint
CREATE VIEW `metric_item_outcome_cols` AS
SELECT o.item_seq, o.state, o.reviewer, o.halluc, o.pii, o.first_ms,
  CASE WHEN o.first_ms IS NULL THEN -1
       ELSE (SELECT count(*) FROM (SELECT 300000 AS b UNION ALL SELECT 900000 UNION ALL SELECT 1800000 UNION ALL SELECT 3600000
         UNION ALL SELECT 7200000 UNION ALL SELECT 14400000 UNION ALL SELECT 28800000 UNION ALL SELECT 43200000
         UNION ALL SELECT 86400000 UNION ALL SELECT 172800000 UNION ALL SELECT 259200000 UNION ALL SELECT 604800000)
         WHERE b <= o.first_ms - o.created_ms) END AS ttd_bucket,
  coalesce(o.first_ms - o.created_ms > (SELECT sla_ms FROM metric_sla s WHERE s.priority = o.priority), 0) AS breached,
  (o.cur_kind IN ('amendment', 'adjudication') AND o.first_decision IN ('violation', 'dismiss') AND o.cur_decision IN ('violation', 'dismiss')
     AND o.first_decision <> o.cur_decision AND o.first_reviewer <> o.reviewer) IS 1 AS overturned,
  (o.reviewers >= 2) AS overlap,
  (o.reviewers >= 2 AND o.decisions = 1) AS agreed, o.cur_seq AS verdict_seq
FROM metric_item_outcome o;
--> statement-breakpoint
CREATE VIEW `metric_item_facts` AS
SELECT i.seq AS item_seq, i.created_ms / 86400000 AS day, i.created_ms, i.route, i.priority,
  coalesce(i.top_flag_category, '') AS category, coalesce(i.top_flag_policy, '') AS policy, coalesce(i.top_flag_source, '') AS detector,
  coalesce(i.model, '') AS model,
  coalesce(json_extract(r.record, '$.provenance.model_version'), '') AS version,
  coalesce(json_extract(r.record, '$.provenance.deployment'), '') AS deployment,
  (json_extract(r.record, '$.provenance.trace_id') IS NOT NULL AND json_extract(r.record, '$.provenance.span_id') IS NOT NULL
    AND json_extract(r.record, '$.provenance."gen_ai.request.model"') IS NOT NULL
    AND json_extract(r.record, '$.provenance.model_version') IS NOT NULL) AS traced,
  o.state, o.reviewer, o.halluc, o.pii, o.first_ms, o.ttd_bucket, o.breached, o.overturned, o.overlap, o.agreed, o.verdict_seq
FROM items i JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = 1
  JOIN metric_item_outcome_cols o ON o.item_seq = i.seq;
