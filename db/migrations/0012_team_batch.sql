-- Team mode, offline (issue 12): the items this desktop claimed from a team database, kept in
-- the local workspace so the reviewer keeps working when the network drops. A verdict given
-- here waits as 'pending' until it is pushed; the team database's fencing rules decide, and the
-- outcome stays on the row: 'accepted', 'refused' (with the database's reason), or 'expired'
-- (the lease ran out, or the item was reassigned, before any verdict was given). Nothing is deleted: refused verdicts stay
-- visible and exportable. `record` is the claimed item's JSON (untrusted content).
CREATE TABLE `team_batch` (
	`seq` integer PRIMARY KEY NOT NULL,
	`team` text NOT NULL,
	`item_id` text NOT NULL,
	`token` text NOT NULL,
	`route` text NOT NULL,
	`record` text NOT NULL,
	`claimed_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`verdict` text,
	`decided_at` text,
	`state` text DEFAULT 'claimed' NOT NULL,
	`reason_code` text,
	`reason` text,
	`resolved_at` text,
	CHECK (`state` IN ('claimed', 'pending', 'accepted', 'refused', 'expired', 'released'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `team_batch_lease` ON `team_batch` (`team`, `item_id`, `token`);--> statement-breakpoint
CREATE INDEX `team_batch_state` ON `team_batch` (`team`, `state`);
