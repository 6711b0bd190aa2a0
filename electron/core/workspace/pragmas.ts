/**
 * How long a writer waits for another one's lock before giving up. Every writer takes its lock
 * up front (BEGIN IMMEDIATE) and long writers commit between batches (and early when someone
 * waits), so a wait is short; the margin covers a checkpoint on a slow disk.
 */
export const BUSY_TIMEOUT_MS = Number(process.env.VERDICT_BUSY_TIMEOUT_MS ?? 30_000);
