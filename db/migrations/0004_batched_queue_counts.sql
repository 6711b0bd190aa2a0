-- The ingest adds its batch's queue counts in one statement per (status, route, priority)
-- before it commits (db/queries/ingest.ts), instead of a trigger upserting once per row: the
-- trigger was 18 % of the writing thread's time in a bulk ingest. Counts of rows already in the
-- table are unchanged; the trigger that follows status, route and priority changes stays.
DROP TRIGGER `items_count_insert`;
