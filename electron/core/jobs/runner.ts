/**
 * Long work (ingest, export) runs one job at a time, reports through `job.updated` and can be
 * cancelled. The handlers start jobs here; the job's own progress fields are set by `run`.
 */
import type { Job } from '../../shared/contract.ts';
import { UserError } from '../util/errors.ts';
import { newId, nowIso } from '../util/ids.ts';
import type { Emit } from '../handlers/types.ts';

type LiveJob = Job & { abort: AbortController };

export interface JobRunner {
  start(kind: Job['kind'], label: string, run: (job: Job, signal: AbortSignal) => Promise<void>): Job;
  list(): Job[];
  cancel(jobId: string): Job;
  /** A snapshot without the abort handle, as the contract carries it. */
  publish(job: Job): void;
  abortAll(): void;
}

export function publicJob(j: Job): Job {
  const { abort: _abort, ...rest } = j as Partial<LiveJob> & Job;
  return rest;
}

export function createJobRunner(emit: Emit): JobRunner {
  const jobs = new Map<string, LiveJob>();

  const busyGuard = () => {
    for (const j of jobs.values())
      if (j.state === 'running') throw new UserError(`an ${j.kind} is already running; wait for it or cancel it`, 'busy');
  };

  return {
    start(kind, label, run) {
      busyGuard();
      const abort = new AbortController();
      const job: LiveJob = {
        id: newId(),
        kind,
        label,
        state: 'running',
        progress: null,
        summary: null,
        exportProgress: null,
        exportSummary: null,
        error: null,
        startedAt: nowIso(),
        abort,
      };
      jobs.set(job.id, job);
      run(job, abort.signal).then(
        () => {
          job.state = abort.signal.aborted ? 'cancelled' : 'done';
          emit('job.updated', publicJob(job));
        },
        (err: unknown) => {
          job.state = abort.signal.aborted ? 'cancelled' : 'failed';
          job.error = err instanceof UserError ? err.message : `${kind} failed: ${(err as Error).message}`;
          emit('job.updated', publicJob(job));
          if (kind === 'ingest') emit('workspace.changed', { reason: 'ingest' });
        },
      );
      return publicJob(job);
    },
    list: () => [...jobs.values()].map(publicJob),
    cancel(jobId) {
      const j = jobs.get(jobId);
      if (!j) throw new UserError(`no job ${jobId}`, 'not_found');
      j.abort.abort();
      return publicJob(j);
    },
    publish: (job) => emit('job.updated', publicJob(job)),
    abortAll() {
      for (const j of jobs.values()) j.abort.abort();
    },
  };
}
