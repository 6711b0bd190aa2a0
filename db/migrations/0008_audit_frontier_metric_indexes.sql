-- The audit tree's right edge (RFC 6962: the roots of its perfect subtrees, largest first, 32
-- bytes each) after `size` events. Written by every append in the transaction of its event, so
-- a writer opening a large workspace continues the tree in O(log n) instead of folding every
-- leaf hash again (seconds at a million events). Not a source of truth: `audit verify`
-- recomputes the tree from the events and checks this row against it; a wrong edge would also
-- make the next event's `prev` fail the chain. A workspace from before 0008 gets its row on its
-- first append.
CREATE TABLE `audit_frontier` (
  `id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1),
  `size` integer NOT NULL,
  `nodes` blob NOT NULL
);
--> statement-breakpoint
-- Metric items by day (the report's counted verdicts, a drill-down over a wide range): covers
-- the report's query, which then reads no table row.
CREATE INDEX `metric_items_day` ON `metric_items` (`day`, `state`, `verdict_seq`);
--> statement-breakpoint
-- The report's notable items: the flagged rows of a range, sorted by priority and age, read
-- from the index alone.
DROP INDEX `metric_items_flagged`;
--> statement-breakpoint
CREATE INDEX `metric_items_flagged` ON `metric_items` (`day`, `priority`, `created_ms`, `breached`, `overturned`, `pii`, `halluc`)
  WHERE `breached` = 1 OR `overturned` = 1 OR `pii` = 1 OR `halluc` = 1;
