/** ingest.start, export.*, jobs.*: long work as cancellable jobs (see ../jobs/runner.ts). */
import { exportDataset, verifyExport } from '../export/index.ts';
import { ingest } from '../ingest/ingest.ts';
import { announce } from './changes.ts';
import type { HandlerContext, HandlerGroup } from './types.ts';

type Methods = 'ingest.start' | 'export.start' | 'export.verify' | 'jobs.list' | 'jobs.cancel';

export function jobHandlers(ctx: HandlerContext): HandlerGroup<Methods> {
  const { ws, jobs } = ctx;
  return {
    'ingest.start': ({ path, preset, mappingFile }) =>
      jobs.start('ingest', path, async (job, signal) => {
        job.summary = await ingest(ws, {
          path,
          // Small batches keep each commit short, so the reviewer's reads wait little behind it.
          batchSize: 500,
          preset,
          mappingFile,
          actor: ctx.reviewer(),
          signal,
          onProgress: (p) => {
            job.progress = p;
            jobs.publish(job);
          },
        });
        // A job has written when it finishes, long after the call answered: it announces then.
        ctx.reads.invalidateFacets();
        announce(ctx.changes, 'ingest');
      }),
    'export.start': (input) =>
      jobs.start('export', `${input.format} → ${input.out}`, async (job, signal) => {
        job.exportSummary = await exportDataset(ws, {
          ...input,
          actor: ctx.reviewer(),
          signal,
          onProgress: (p) => {
            job.exportProgress = p;
            jobs.publish(job);
          },
        });
        announce(ctx.changes, 'export');
      }),
    'export.verify': ({ dir }) => verifyExport(dir, ws),
    'jobs.list': () => jobs.list(),
    'jobs.cancel': ({ jobId }) => jobs.cancel(jobId),
  };
}
