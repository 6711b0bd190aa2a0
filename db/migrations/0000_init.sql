CREATE TABLE `audit_events` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`at` text NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	`leaf_hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_events_id_unique` ON `audit_events` (`id`);--> statement-breakpoint
CREATE INDEX `audit_events_subject` ON `audit_events` (`subject`,`seq`);--> statement-breakpoint
CREATE TABLE `fts_queue` (
	`item_seq` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `item_revisions` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`item_seq` integer NOT NULL,
	`revision` integer NOT NULL,
	`content_sha256` text NOT NULL,
	`record` text NOT NULL,
	`source_file` text,
	`line` integer,
	`ingested_at` text NOT NULL,
	FOREIGN KEY (`item_seq`) REFERENCES `items`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `item_revisions_id_unique` ON `item_revisions` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `item_revisions_item_rev` ON `item_revisions` (`item_seq`,`revision`);--> statement-breakpoint
CREATE TABLE `items` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`source_id` text NOT NULL,
	`external_id` text NOT NULL,
	`created_at` text NOT NULL,
	`ingested_at` text NOT NULL,
	`priority` integer NOT NULL,
	`risk_tier` text,
	`route` text NOT NULL,
	`status` text NOT NULL,
	`revision` integer NOT NULL,
	`content_sha256` text NOT NULL,
	`flag_count` integer NOT NULL,
	`top_flag_source` text,
	`top_flag_category` text,
	`top_flag_policy` text,
	`top_flag_score` real,
	`model` text,
	`snippet` text NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_id_unique` ON `items` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `items_source_external` ON `items` (`source_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `items_queue` ON `items` (`status`,`priority`,`created_at`,`seq`);--> statement-breakpoint
CREATE INDEX `items_order` ON `items` (`priority`,`created_at`,`seq`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `quarantine` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`source_id` text,
	`file` text NOT NULL,
	`line` integer NOT NULL,
	`byte_offset` integer NOT NULL,
	`error` text NOT NULL,
	`json_path` text NOT NULL,
	`raw` text NOT NULL,
	`raw_bytes` integer NOT NULL,
	`raw_sha256` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quarantine_id_unique` ON `quarantine` (`id`);--> statement-breakpoint
CREATE INDEX `quarantine_source` ON `quarantine` (`source_id`,`seq`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `source_files` (
	`id` text PRIMARY KEY NOT NULL,
	`source_id` text NOT NULL,
	`path` text NOT NULL,
	`size` integer NOT NULL,
	`offset` integer NOT NULL,
	`lines` integer NOT NULL,
	`prefix_sha256` text NOT NULL,
	`tail_sha256` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `source_files_source_path` ON `source_files` (`source_id`,`path`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`uri` text NOT NULL,
	`preset` text,
	`mapping` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sources_uri_unique` ON `sources` (`uri`);--> statement-breakpoint
CREATE TABLE `verdicts` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`item_seq` integer NOT NULL,
	`revision_id` text NOT NULL,
	`kind` text NOT NULL,
	`supersedes` text,
	`reviewer` text NOT NULL,
	`decision` text NOT NULL,
	`route_to` text,
	`labels` text DEFAULT '[]' NOT NULL,
	`severity` text,
	`correction` text,
	`rationale` text,
	`decided_at` text NOT NULL,
	`audit_seq` integer NOT NULL,
	FOREIGN KEY (`item_seq`) REFERENCES `items`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `verdicts_id_unique` ON `verdicts` (`id`);--> statement-breakpoint
CREATE INDEX `verdicts_item` ON `verdicts` (`item_seq`,`seq`);--> statement-breakpoint
CREATE INDEX `verdicts_supersedes` ON `verdicts` (`supersedes`);--> statement-breakpoint
CREATE INDEX `verdicts_reviewer` ON `verdicts` (`reviewer`,`seq`);