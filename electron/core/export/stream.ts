/**
 * Streams the selected rows through the row processor into the output files. Batches go to the
 * processor (this thread or workers) with a bounded number in flight and come back in order, so
 * the files are the same whatever the thread count.
 */
import type { ExportRowRaw } from '../../../db/queries/export.ts';
import type { NormalizedOptions } from './options.ts';
import type { BatchRunner } from './pool.ts';
import type { BatchResult, Candidate } from './process.ts';
import type { ProgressReporter } from './progress.ts';
import { flagsJsonHasPii } from './redaction.ts';
import type { ExportTally } from './tally.ts';
import type { ExportWriters } from './writers.ts';

/** Selected items between event-loop yields (abort checks, progress). */
const YIELD_EVERY = 1024;
/** Rows per batch handed to the row processor (this thread or a worker). */
const BATCH_ROWS = 128;

export interface StreamJob {
  /** The selection in item order (with the flags column when redaction is off): a workspace's or a team database's. */
  rows: Iterable<ExportRowRaw> | AsyncIterable<ExportRowRaw>;
  o: NormalizedOptions;
  runner: BatchRunner;
  writers: ExportWriters;
  tally: ExportTally;
  progress: ProgressReporter;
  /** The progress total (an upper bound). */
  total: number;
  /** Throws when the export was cancelled. */
  checkCancel: () => void;
  /** The refusal for `n` selected items with PII flags and redaction off. */
  refuseUnredacted: (n: number) => Error;
}

/**
 * Reads the selection, writes every processed batch, and returns once all are written. With
 * redaction off and unredacted PII not allowed, it reads on to count every such item, then throws.
 */
export async function streamRows(job: StreamJob): Promise<void> {
  const { o, runner, writers, tally, progress, total } = job;
  const inflight: Promise<BatchResult>[] = [];
  const maxInflight = Math.max(1, runner.threads * 4);
  const submit = (batch: Candidate[]) => {
    const p = runner.run(batch);
    p.catch(() => {}); // awaited below, in order; this only keeps an abandoned one from going unhandled
    inflight.push(p);
  };
  let refusing = false;
  let batch: Candidate[] = [];
  /** Takes one row; true when it filled a batch (handed to the processor). */
  const accept = ([conflict, row, flags]: ExportRowRaw): boolean => {
    if (conflict) {
      tally.excludedConflict++;
      return false;
    }
    if (!o.redact && flagsJsonHasPii(flags ?? null)) {
      tally.unredactedPiiItems++;
      if (!o.allowUnredacted) refusing = true;
    }
    if (refusing) return false;
    batch.push(row);
    if (batch.length < BATCH_ROWS) return false;
    submit(batch);
    batch = [];
    return true;
  };
  const pause = async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    job.checkCancel();
    progress.report('writing', total);
  };
  // A synchronous source (SQLite) stays a plain loop that awaits only when it must.
  if (Symbol.asyncIterator in job.rows) {
    for await (const r of job.rows) {
      if (++tally.done % YIELD_EVERY === 0) await pause();
      if (accept(r) && inflight.length >= maxInflight) writers.write(await inflight.shift()!, tally);
    }
  } else {
    for (const r of job.rows) {
      if (++tally.done % YIELD_EVERY === 0) await pause();
      if (accept(r) && inflight.length >= maxInflight) writers.write(await inflight.shift()!, tally);
    }
  }
  if (refusing) throw job.refuseUnredacted(tally.unredactedPiiItems);
  if (batch.length) submit(batch);
  while (inflight.length) writers.write(await inflight.shift()!, tally);
}
