/**
 * Team schema v11 (tperf8, issue 12): the queue's per-verdict CPU.
 *
 * `verdict.ts_text(timestamptz)` (the one text form of a timestamp in audit leaves and answers)
 * was declared IMMUTABLE, but its body calls to_char, which is STABLE, so PostgreSQL never
 * inlined it: every statement that called it set the SQL function up again at its first call
 * (reading the stored body back from its node-tree text and planning it: pg_strtok, nodeRead and
 * the planner were the top of a `perf` profile of save and next), seven times per verdict.
 * Declared STABLE, which is what it is, the planner inlines it into the calling statement, and
 * plpgsql's cached plans keep the inlined expression. Same text out, byte for byte (the audit
 * leaves and their hashes do not change). Nothing indexes it (an index would need IMMUTABLE).
 */
export const name = 'inline_timestamps';

export const sql = String.raw`
ALTER FUNCTION verdict.ts_text(timestamptz) STABLE;
`;
