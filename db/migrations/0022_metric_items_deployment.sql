-- The review desk's deployment filter (issue 14): the queue filtered to one deployment reads its
-- items from metric_items (provenance.deployment is kept there, not on items) through this index,
-- so a rare deployment (a canary) costs a range of entries, not a scan of every counted item.
-- Written when the upkeep adds an item; a verdict counted leaves an item's deployment as it was,
-- so it adds no index write to the catch-up of verdicts.
CREATE INDEX IF NOT EXISTS `metric_items_deployment` ON `metric_items` (`deployment`);
