-- Oversight metrics (issue 14). Every metric is defined once, here, over these tables; the
-- definitions in words are in docs/metrics.md.
--
-- metric_items: one row per item, its dimensions frozen as it arrived (route, priority, top
-- flag's category/policy/detector, model, model version, deployment, full trace metadata) and
-- its outcome. metric_cube and metric_ttd are the sums of metric_items per cell, kept by triggers
-- on metric_items, so no dashboard panel reads items.
--
-- Items and verdicts are folded in from their logs by seq (db/queries/metrics.ts foldNewItems):
-- new items, then every item a new verdict touched, then reviewer days from the new verdicts. A
-- verdict write pays nothing for the metrics; the next dashboard read folds what landed since.
-- Text dimensions use '' for "none" so they can be keys.
CREATE TABLE `metric_items` (
  `item_seq` integer PRIMARY KEY NOT NULL,
  `day` integer NOT NULL,
  `created_ms` integer NOT NULL,
  `route` text NOT NULL,
  `priority` integer NOT NULL,
  `category` text NOT NULL,
  `policy` text NOT NULL,
  `detector` text NOT NULL,
  `model` text NOT NULL,
  `version` text NOT NULL,
  `deployment` text NOT NULL,
  `traced` integer NOT NULL,
  `state` text NOT NULL,
  `reviewer` text NOT NULL,
  `halluc` integer NOT NULL,
  `pii` integer NOT NULL,
  `first_ms` integer,
  `ttd_bucket` integer NOT NULL,
  `breached` integer NOT NULL,
  `overturned` integer NOT NULL,
  `overlap` integer NOT NULL,
  `agreed` integer NOT NULL,
  `verdict_seq` integer
);
--> statement-breakpoint
-- Backlog by age and open SLA breaches: range counts per (state, priority) on creation time.
CREATE INDEX `metric_items_state` ON `metric_items` (`state`, `priority`, `created_ms`);
--> statement-breakpoint
-- The report's notable items: the few flagged rows of a range, without reading the others.
CREATE INDEX `metric_items_flagged` ON `metric_items` (`day`) WHERE `breached` = 1 OR `overturned` = 1 OR `pii` = 1 OR `halluc` = 1;
--> statement-breakpoint
-- Priority and reviewer are not dimensions of the cube (each would multiply its rows): time to
-- decision per priority lives in metric_ttd, and a reviewer filter reads metric_items.
CREATE TABLE `metric_cube` (
  `day` integer NOT NULL, `route` text NOT NULL, `category` text NOT NULL,
  `policy` text NOT NULL, `detector` text NOT NULL, `model` text NOT NULL, `version` text NOT NULL,
  `state` text NOT NULL,
  `n` integer NOT NULL, `traced` integer NOT NULL, `decided` integer NOT NULL, `breached` integer NOT NULL,
  `overturned` integer NOT NULL, `overlap` integer NOT NULL, `agreed` integer NOT NULL, `halluc` integer NOT NULL,
  `pii` integer NOT NULL, `ttd_ms` integer NOT NULL,
  PRIMARY KEY (`day`, `route`, `category`, `policy`, `detector`, `model`, `version`, `state`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The same sums per reviewer of the verdict in force (decided items only): the dashboard under a
-- reviewer filter reads this one reviewer's slice.
CREATE TABLE `metric_cube_reviewer` (
  `reviewer` text NOT NULL, `day` integer NOT NULL, `route` text NOT NULL, `category` text NOT NULL,
  `policy` text NOT NULL, `detector` text NOT NULL, `model` text NOT NULL, `version` text NOT NULL,
  `state` text NOT NULL,
  `n` integer NOT NULL, `traced` integer NOT NULL, `decided` integer NOT NULL, `breached` integer NOT NULL,
  `overturned` integer NOT NULL, `overlap` integer NOT NULL, `agreed` integer NOT NULL, `halluc` integer NOT NULL,
  `pii` integer NOT NULL, `ttd_ms` integer NOT NULL,
  PRIMARY KEY (`reviewer`, `day`, `route`, `category`, `policy`, `detector`, `model`, `version`, `state`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `metric_ttd` (
  `day` integer NOT NULL, `route` text NOT NULL, `priority` integer NOT NULL, `model` text NOT NULL, `version` text NOT NULL,
  `bucket` integer NOT NULL, `n` integer NOT NULL, `breached` integer NOT NULL,
  PRIMARY KEY (`day`, `route`, `priority`, `model`, `version`, `bucket`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Decisions per reviewer per UTC day of the decision; active_ms sums the gaps since the same
-- reviewer's previous decision when under 30 minutes (a longer gap is a break, not work).
CREATE TABLE `metric_reviewer_daily` (
  `day` integer NOT NULL, `reviewer` text NOT NULL, `decisions` integer NOT NULL, `timed` integer NOT NULL,
  `active_ms` integer NOT NULL,
  PRIMARY KEY (`day`, `reviewer`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Screened events reported by sources (`verdict volumes import`): the denominator of the
-- escalation rate per 1,000 events.
CREATE TABLE `metric_volumes` (
  `day` integer NOT NULL, `model` text NOT NULL, `version` text NOT NULL, `screened` integer NOT NULL,
  PRIMARY KEY (`day`, `model`, `version`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The SLA per priority (0 critical .. 3 low), in ms: 1 h, 4 h, 24 h, 72 h.
CREATE VIEW `metric_sla` AS SELECT 0 AS priority, 3600000 AS sla_ms UNION ALL SELECT 1, 14400000
  UNION ALL SELECT 2, 86400000 UNION ALL SELECT 3, 259200000;
--> statement-breakpoint
-- Per item: the verdict in force (same rule as db/queries/verdicts.ts currentVerdict), the first
-- decision that was not undone, and how many reviewers decided it independently.
CREATE VIEW `metric_item_verdicts` AS
SELECT i.seq AS item_seq,
  (SELECT v.seq FROM verdicts v WHERE v.item_seq = i.seq AND v.kind IN ('verdict', 'amendment', 'import') AND v.decision <> 'skip'
     AND NOT EXISTS (SELECT 1 FROM verdicts u WHERE u.supersedes = v.id
       AND NOT EXISTS (SELECT 1 FROM verdicts w WHERE w.supersedes = u.id AND w.kind = 'undo'))
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
  (o.cur_kind = 'amendment' AND o.first_decision IN ('violation', 'dismiss') AND o.cur_decision IN ('violation', 'dismiss')
     AND o.first_decision <> o.cur_decision AND o.first_reviewer <> o.reviewer) IS 1 AS overturned,
  (o.reviewers >= 2) AS overlap,
  (o.reviewers >= 2 AND o.decisions = 1) AS agreed, o.cur_seq AS verdict_seq
FROM metric_item_outcome o;
--> statement-breakpoint
-- A metric_items row for any item: dimensions from the item and its first revision's record.
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
--> statement-breakpoint
-- Per decision recorded (verdicts, amendments, imports; not skips or undos): its UTC day, its
-- reviewer, and the gap since the same reviewer's previous decision when it is 0..30 minutes.
CREATE VIEW `metric_verdict_work` AS
SELECT seq, day, reviewer, coalesce(gap BETWEEN 0 AND 1800000, 0) AS timed,
  CASE WHEN gap BETWEEN 0 AND 1800000 THEN CAST(gap AS integer) ELSE 0 END AS active_ms
FROM (SELECT v.seq, CAST(strftime('%s', v.decided_at) AS integer) / 86400 AS day, v.reviewer,
    (julianday(v.decided_at) - julianday((SELECT p.decided_at FROM verdicts p WHERE p.reviewer = v.reviewer AND p.seq < v.seq
      AND p.kind IN ('verdict', 'amendment', 'import') AND p.decision IN ('violation', 'dismiss', 'escalate') ORDER BY p.seq DESC LIMIT 1))) * 86400000 AS gap
  FROM verdicts v WHERE v.kind IN ('verdict', 'amendment', 'import') AND v.decision IN ('violation', 'dismiss', 'escalate'));
--> statement-breakpoint
CREATE TRIGGER `metric_items_insert` AFTER INSERT ON `metric_items`
BEGIN
  INSERT INTO metric_cube VALUES (NEW.day, NEW.route, NEW.category, NEW.policy, NEW.detector, NEW.model, NEW.version,
      NEW.state, 1, NEW.traced, NEW.first_ms IS NOT NULL, NEW.breached, NEW.overturned, NEW.overlap, NEW.agreed,
      NEW.halluc, NEW.pii, coalesce(NEW.first_ms - NEW.created_ms, 0))
    ON CONFLICT DO UPDATE SET n = n + 1, traced = traced + excluded.traced, decided = decided + excluded.decided,
      breached = breached + excluded.breached, overturned = overturned + excluded.overturned, overlap = overlap + excluded.overlap,
      agreed = agreed + excluded.agreed, halluc = halluc + excluded.halluc, pii = pii + excluded.pii, ttd_ms = ttd_ms + excluded.ttd_ms;
  INSERT INTO metric_ttd SELECT NEW.day, NEW.route, NEW.priority, NEW.model, NEW.version, NEW.ttd_bucket, 1, NEW.breached WHERE NEW.ttd_bucket >= 0
    ON CONFLICT DO UPDATE SET n = n + 1, breached = breached + excluded.breached;
  INSERT INTO metric_cube_reviewer SELECT NEW.reviewer, NEW.day, NEW.route, NEW.category, NEW.policy, NEW.detector, NEW.model, NEW.version,
      NEW.state, 1, NEW.traced, NEW.first_ms IS NOT NULL, NEW.breached, NEW.overturned, NEW.overlap, NEW.agreed,
      NEW.halluc, NEW.pii, coalesce(NEW.first_ms - NEW.created_ms, 0) WHERE NEW.reviewer <> ''
    ON CONFLICT DO UPDATE SET n = n + 1, traced = traced + excluded.traced, decided = decided + excluded.decided,
      breached = breached + excluded.breached, overturned = overturned + excluded.overturned, overlap = overlap + excluded.overlap,
      agreed = agreed + excluded.agreed, halluc = halluc + excluded.halluc, pii = pii + excluded.pii, ttd_ms = ttd_ms + excluded.ttd_ms;
END;
--> statement-breakpoint
CREATE TRIGGER `metric_items_update` AFTER UPDATE ON `metric_items`
  WHEN OLD.state IS NOT NEW.state OR OLD.reviewer IS NOT NEW.reviewer OR OLD.halluc IS NOT NEW.halluc OR OLD.pii IS NOT NEW.pii
    OR OLD.first_ms IS NOT NEW.first_ms OR OLD.breached IS NOT NEW.breached OR OLD.overturned IS NOT NEW.overturned
    OR OLD.overlap IS NOT NEW.overlap OR OLD.agreed IS NOT NEW.agreed
BEGIN
  UPDATE metric_cube SET n = n - 1, traced = traced - OLD.traced, decided = decided - (OLD.first_ms IS NOT NULL),
      breached = breached - OLD.breached, overturned = overturned - OLD.overturned, overlap = overlap - OLD.overlap,
      agreed = agreed - OLD.agreed, halluc = halluc - OLD.halluc, pii = pii - OLD.pii,
      ttd_ms = ttd_ms - coalesce(OLD.first_ms - OLD.created_ms, 0)
    WHERE day = OLD.day AND route = OLD.route AND category = OLD.category AND policy = OLD.policy
      AND detector = OLD.detector AND model = OLD.model AND version = OLD.version AND state = OLD.state;
  UPDATE metric_cube_reviewer SET n = n - 1, traced = traced - OLD.traced, decided = decided - (OLD.first_ms IS NOT NULL),
      breached = breached - OLD.breached, overturned = overturned - OLD.overturned, overlap = overlap - OLD.overlap,
      agreed = agreed - OLD.agreed, halluc = halluc - OLD.halluc, pii = pii - OLD.pii,
      ttd_ms = ttd_ms - coalesce(OLD.first_ms - OLD.created_ms, 0)
    WHERE reviewer = OLD.reviewer AND day = OLD.day AND route = OLD.route AND category = OLD.category AND policy = OLD.policy
      AND detector = OLD.detector AND model = OLD.model AND version = OLD.version AND state = OLD.state;
  UPDATE metric_ttd SET n = n - 1, breached = breached - OLD.breached WHERE day = OLD.day AND route = OLD.route AND priority = OLD.priority AND model = OLD.model
      AND version = OLD.version AND bucket = OLD.ttd_bucket;
  INSERT INTO metric_cube VALUES (NEW.day, NEW.route, NEW.category, NEW.policy, NEW.detector, NEW.model, NEW.version,
      NEW.state, 1, NEW.traced, NEW.first_ms IS NOT NULL, NEW.breached, NEW.overturned, NEW.overlap, NEW.agreed,
      NEW.halluc, NEW.pii, coalesce(NEW.first_ms - NEW.created_ms, 0))
    ON CONFLICT DO UPDATE SET n = n + 1, traced = traced + excluded.traced, decided = decided + excluded.decided,
      breached = breached + excluded.breached, overturned = overturned + excluded.overturned, overlap = overlap + excluded.overlap,
      agreed = agreed + excluded.agreed, halluc = halluc + excluded.halluc, pii = pii + excluded.pii, ttd_ms = ttd_ms + excluded.ttd_ms;
  INSERT INTO metric_ttd SELECT NEW.day, NEW.route, NEW.priority, NEW.model, NEW.version, NEW.ttd_bucket, 1, NEW.breached WHERE NEW.ttd_bucket >= 0
    ON CONFLICT DO UPDATE SET n = n + 1, breached = breached + excluded.breached;
  INSERT INTO metric_cube_reviewer SELECT NEW.reviewer, NEW.day, NEW.route, NEW.category, NEW.policy, NEW.detector, NEW.model, NEW.version,
      NEW.state, 1, NEW.traced, NEW.first_ms IS NOT NULL, NEW.breached, NEW.overturned, NEW.overlap, NEW.agreed,
      NEW.halluc, NEW.pii, coalesce(NEW.first_ms - NEW.created_ms, 0) WHERE NEW.reviewer <> ''
    ON CONFLICT DO UPDATE SET n = n + 1, traced = traced + excluded.traced, decided = decided + excluded.decided,
      breached = breached + excluded.breached, overturned = overturned + excluded.overturned, overlap = overlap + excluded.overlap,
      agreed = agreed + excluded.agreed, halluc = halluc + excluded.halluc, pii = pii + excluded.pii, ttd_ms = ttd_ms + excluded.ttd_ms;
END;
--> statement-breakpoint
-- Existing workspaces: every item folded with its outcome; reviewer days from existing verdicts.
INSERT INTO metric_items SELECT * FROM metric_item_facts;
--> statement-breakpoint
INSERT INTO `meta` (`key`, `value`) VALUES ('metrics_folded_seq', (SELECT coalesce(max(seq), 0) FROM items))
  ON CONFLICT (`key`) DO UPDATE SET `value` = excluded.`value`;
--> statement-breakpoint
INSERT INTO metric_reviewer_daily
  SELECT day, reviewer, count(*), sum(timed), sum(active_ms) FROM metric_verdict_work GROUP BY day, reviewer;
--> statement-breakpoint
INSERT INTO `meta` (`key`, `value`) VALUES ('metrics_folded_verdict_seq', (SELECT coalesce(max(seq), 0) FROM verdicts))
  ON CONFLICT (`key`) DO UPDATE SET `value` = excluded.`value`;
