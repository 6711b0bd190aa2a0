CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY NOT NULL,
	`verdict_id` text NOT NULL,
	`source_id` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` text NOT NULL,
	`delivered_at` text,
	FOREIGN KEY (`verdict_id`) REFERENCES `verdicts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_verdict_id_unique` ON `outbox` (`verdict_id`);--> statement-breakpoint
CREATE INDEX `outbox_source_state` ON `outbox` (`source_id`,`state`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`source_id`,`seq`) WHERE state IN ('pending', 'failed');--> statement-breakpoint
CREATE TABLE `sync_state` (
	`source_id` text PRIMARY KEY NOT NULL,
	`target` text,
	`failures` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_attempt_at` text,
	`last_error` text,
	`last_delivered_at` text,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `verdict_imports` (
	`key` text PRIMARY KEY NOT NULL,
	`verdict_id` text,
	`quarantine_id` text,
	`file` text NOT NULL,
	`line` integer NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`verdict_id`) REFERENCES `verdicts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`quarantine_id`) REFERENCES `quarantine`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Verdicts recorded before the outbox existed go back to their sources too (hand-written).
INSERT INTO `outbox` (`verdict_id`, `source_id`, `state`, `attempts`, `created_at`)
SELECT v.`id`, i.`source_id`, CASE s.`kind` WHEN 'jsonl' THEN 'pending' ELSE 'no_return_path' END, 0,
  strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM `verdicts` v JOIN `items` i ON i.`seq` = v.`item_seq` JOIN `sources` s ON s.`id` = i.`source_id`
ORDER BY v.`seq`;
