/**
 * Crash-test hooks. Empty in the production CLI: no command-line option reaches them. Only the
 * test entry (test/sync/cli.mjs) fills them, to SIGKILL the process at an exact point.
 */
export const testHooks: {
  /** After each committed batch of `ingest` or `verdicts import`. */
  afterBatch?: () => void;
  /** After each fsynced append of `sync`, before its rows are marked delivered. */
  afterWrite?: () => void;
} = {};
