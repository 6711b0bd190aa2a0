-- Smaller keys for the indexes an ingest grows at random positions: created_ms instead of the
-- 24-byte created_at text in the queue index, a 52-bit ext_key instead of the unique
-- (source_id, external_id) text index, and no separate all-status order index.
DROP INDEX `items_source_external`;--> statement-breakpoint
DROP INDEX `items_order`;--> statement-breakpoint
DROP INDEX `items_queue`;--> statement-breakpoint
ALTER TABLE `items` ADD `created_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `items` ADD `ext_key` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfill before the indexes are built. verdict_ext_key is registered by the workspace opener
-- (electron/core/util/ext-key.ts); julianday keeps millisecond precision once rounded.
UPDATE `items` SET `created_ms` = CAST(round((julianday(`created_at`) - 2440587.5) * 86400000.0) AS INTEGER), `ext_key` = verdict_ext_key(`external_id`);--> statement-breakpoint
CREATE INDEX `items_ext` ON `items` (`ext_key`);--> statement-breakpoint
CREATE INDEX `items_queue` ON `items` (`status`,`priority`,`created_ms`,`seq`);