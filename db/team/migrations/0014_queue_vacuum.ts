/**
 * Team schema v14 (tperf11, issue 12): autovacuum keeps up with the queue's dead index entries.
 *
 * Every verdict makes two non-HOT updates of `verdict.items` (the claim's open_slots, the submit's
 * status: both are in the claim index's predicate) and one of `verdict.leases` (its state, in the
 * predicates of the live-lease indexes). Each leaves a dead entry in `items_claimable` at the front
 * of its route (a claim takes the route's head), and every claim reads each of its routes' heads
 * from the front, walking over all of them. Only a vacuum of the table removes them, and with the
 * defaults autovacuum waits for 20 % of the table to be dead: at a million items, 200,000 dead
 * versions, about 100,000 verdicts, so the walk grows that long between vacuums. Measured on the
 * 200k dev database (8 save-and-next clients, four 45 s runs back to back, items vacuumed as a
 * 1M table would be): 542, 1,774, 1,408, 661 buffers per verdict and 1.17, 2.32, 1.60, 1.16 ms of
 * server CPU per verdict (the last after the vacuum came); with this migration and
 * autovacuum_naptime = 10s (README "Server settings") 266, 282, 313, 298 buffers and 1.54 (the
 * first run, at load 9), 1.11, 1.00, 1.06 ms; with this migration and the default naptime of 1 min
 * 516, 602, 507, 529 buffers and 1.28, 1.35, 1.27, 1.20 ms.
 * - items: vacuumed after 10,000 + 0.5 % dead row versions (about every 5,000-7,500 verdicts at a
 *   million items). A vacuum of items reads all of its indexes, so the share of the table grows
 *   the interval as the table grows (decided items stay) and keeps the cost per verdict flat.
 * - leases: after 10,000 + 1 % (the table keeps every lease ever claimed). A claim probes the
 *   live-lease expiry index from its start up to now: once a lease's expiry has passed, its
 *   entry's dead predecessor is walked by every claim until leases is vacuumed.
 * - vacuum_index_cleanup = on for both: with the default (auto) a vacuum may skip the indexes when
 *   the dead versions sit on few heap pages (under 2 %), as they do when items are ingested in
 *   the order they are claimed, and then the dead index entries stay where the claims walk.
 * - autovacuum_analyze_threshold = 50,000 for the tables that only grow (leases, verdicts, the
 *   audit log's leaves, positions and tree heads) and the sequencer's queue and tree row: with the
 *   shorter naptime a new team's growing tables were analyzed at every 10 % of growth, about every
 *   10 s in its first minutes, and the queue (~100 rows) and the tree (one row) every 10 s
 *   forever; each ANALYZE costs the worker a sample of the table and makes every session plan
 *   again each statement that reads it. Their statistics do not change what the queue's plans
 *   are. Measured (first 15 s of the pair flow on a fresh 200k copy, 8 clients, naptime 10s, load
 *   7.4-8.5, server CPU ms per verdict, back to back): 0.96 / 0.91 with these thresholds against
 *   1.38 / 1.13 without (and 1.02-1.07 with the default naptime of 1 min).
 */
export const name = 'queue_vacuum';

export const sql = String.raw`
ALTER TABLE verdict.items SET (autovacuum_vacuum_scale_factor = 0.005, autovacuum_vacuum_threshold = 10000, vacuum_index_cleanup = on);
ALTER TABLE verdict.leases SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 10000, vacuum_index_cleanup = on,
  autovacuum_analyze_threshold = 50000);
ALTER TABLE verdict.verdicts SET (autovacuum_analyze_threshold = 50000);
ALTER TABLE verdict.audit_leaves SET (autovacuum_analyze_threshold = 50000);
ALTER TABLE verdict.audit_sequenced SET (autovacuum_analyze_threshold = 50000);
ALTER TABLE verdict.tree_heads SET (autovacuum_analyze_threshold = 50000);
ALTER TABLE verdict.audit_pending SET (autovacuum_analyze_threshold = 50000);
ALTER TABLE verdict.audit_tree SET (autovacuum_analyze_threshold = 50000);
`;
