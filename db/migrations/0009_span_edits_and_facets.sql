-- Span review (issue 15): a verdict may add spans, adjust a flagged span's bounds or reject one.
-- JSON array, canonical keys, sorted (electron/core/review/span-edits.ts):
--   {"end","field","label","op":"add","start"} | {"end","flag","op":"adjust","span","start"} | {"flag","op":"reject","span"}
-- Offsets are Unicode code points into the judged revision's message, as flag spans are.
-- The audit event carries the same array, and audit verify compares the two.
ALTER TABLE `verdicts` ADD `span_edits` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint
-- Structured fields the item's route asks for (taxonomy routes.<route>.fields): a JSON object, keys sorted.
ALTER TABLE `verdicts` ADD `route_fields` text DEFAULT '{}' NOT NULL;
--> statement-breakpoint
-- Filter-panel facets (models, flag categories, flag policies) with their item counts, so opening
-- the filters reads a few hundred rows instead of three DISTINCT scans over every item. The ingest
-- adds each batch's counts before it commits (db/queries/ingest.ts, as queue_counts since 0004);
-- the trigger follows the rare changes (a new revision with another model or top flag).
CREATE TABLE `item_facets` (`kind` text NOT NULL, `value` text NOT NULL, `n` integer NOT NULL, PRIMARY KEY (`kind`, `value`)) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `item_facets` (`kind`, `value`, `n`)
  SELECT 'model', `model`, count(*) FROM `items` WHERE `model` IS NOT NULL GROUP BY `model`
  UNION ALL SELECT 'flag_category', `top_flag_category`, count(*) FROM `items` WHERE `top_flag_category` IS NOT NULL GROUP BY `top_flag_category`
  UNION ALL SELECT 'flag_policy', `top_flag_policy`, count(*) FROM `items` WHERE `top_flag_policy` IS NOT NULL GROUP BY `top_flag_policy`;
--> statement-breakpoint
CREATE TRIGGER `items_facets_update` AFTER UPDATE OF `model`, `top_flag_category`, `top_flag_policy` ON `items`
  WHEN OLD.`model` IS NOT NEW.`model` OR OLD.`top_flag_category` IS NOT NEW.`top_flag_category` OR OLD.`top_flag_policy` IS NOT NEW.`top_flag_policy`
BEGIN
  UPDATE `item_facets` SET `n` = `n` - 1 WHERE OLD.`model` IS NOT NEW.`model` AND `kind` = 'model' AND `value` = OLD.`model`;
  INSERT INTO `item_facets` (`kind`, `value`, `n`) SELECT 'model', NEW.`model`, 1 WHERE NEW.`model` IS NOT NULL AND OLD.`model` IS NOT NEW.`model`
    ON CONFLICT (`kind`, `value`) DO UPDATE SET `n` = `n` + 1;
  UPDATE `item_facets` SET `n` = `n` - 1 WHERE OLD.`top_flag_category` IS NOT NEW.`top_flag_category` AND `kind` = 'flag_category' AND `value` = OLD.`top_flag_category`;
  INSERT INTO `item_facets` (`kind`, `value`, `n`) SELECT 'flag_category', NEW.`top_flag_category`, 1 WHERE NEW.`top_flag_category` IS NOT NULL AND OLD.`top_flag_category` IS NOT NEW.`top_flag_category`
    ON CONFLICT (`kind`, `value`) DO UPDATE SET `n` = `n` + 1;
  UPDATE `item_facets` SET `n` = `n` - 1 WHERE OLD.`top_flag_policy` IS NOT NEW.`top_flag_policy` AND `kind` = 'flag_policy' AND `value` = OLD.`top_flag_policy`;
  INSERT INTO `item_facets` (`kind`, `value`, `n`) SELECT 'flag_policy', NEW.`top_flag_policy`, 1 WHERE NEW.`top_flag_policy` IS NOT NULL AND OLD.`top_flag_policy` IS NOT NEW.`top_flag_policy`
    ON CONFLICT (`kind`, `value`) DO UPDATE SET `n` = `n` + 1;
END;
