/**
 * Runs the syncer in the background of a long-lived process (the app's database worker):
 * every `intervalMs`, or at once after `kick()`. Runs never overlap; sources that failed wait
 * out their backoff.
 */
import type { Workspace } from '../workspace/open.ts';
import { Syncer, type SourceSyncResult, type SourceSyncStatus, type SyncerOptions } from './syncer.ts';

export interface SyncLoopOptions extends SyncerOptions {
  /** Pause between runs (default 5 s). */
  intervalMs?: number;
  /** After the first run, and after every run that delivered or failed something. */
  onStatus?: (status: SourceSyncStatus[], results: SourceSyncResult[]) => void;
  /** An unexpected error (a database error, say); the loop keeps going. */
  onError?: (err: unknown) => void;
  /** Share the service's syncer, so a "sync now" from the UI and the loop never overlap. */
  syncer?: Syncer;
}

/** Stops the loop; the promise settles once a run in progress has finished. */
export interface SyncLoopStop {
  (): Promise<void>;
  /** Runs now (e.g. right after a verdict) instead of at the next tick. */
  kick(): void;
  readonly syncer: Syncer;
}

export function startSyncLoop(ws: Workspace, options: SyncLoopOptions = {}): SyncLoopStop {
  const { intervalMs = 5000, onStatus, onError, syncer: shared, ...syncerOptions } = options;
  const syncer = shared ?? new Syncer(ws, syncerOptions);
  let stopped = false;
  let first = true;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let inflight: Promise<void> | null = null;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref();
  };

  function tick(): void {
    timer = null;
    if (stopped) return;
    if (inflight) {
      again = true;
      return;
    }
    inflight = (async () => {
      try {
        const results = await syncer.run();
        if (!stopped && (first || results.some((r) => r.delivered > 0 || r.failed > 0))) onStatus?.(syncer.status(), results);
        first = false;
      } catch (err) {
        if (!stopped) onError?.(err);
      }
    })().finally(() => {
      inflight = null;
      const soon = again;
      again = false;
      schedule(soon ? 0 : intervalMs);
    });
  }

  schedule(0);
  const stop = (() => {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = null;
    return inflight ?? Promise.resolve();
  }) as SyncLoopStop;
  Object.defineProperty(stop, 'kick', { value: () => (inflight ? void (again = true) : schedule(0)) });
  Object.defineProperty(stop, 'syncer', { value: syncer });
  return stop;
}
