/** Progress reports for a running export, throttled so a fast stream does not flood the UI. */
import type { ExportProgress } from './options.ts';

/** Reports are at most this often, except the ones that start or end a phase. */
const REPORT_EVERY_MS = 200;

/** What the reporter reads at each report: the stream moves these forward as it goes. */
export interface StreamCounts {
  /** Selected items read from the stream so far. */
  done: number;
  /** Dataset rows written so far. */
  rows: number;
}

export class ProgressReporter {
  private last = 0;

  constructor(
    private readonly onProgress: ((p: ExportProgress) => void) | undefined,
    private readonly started: number,
    private readonly counts: StreamCounts,
  ) {}

  report(phase: ExportProgress['phase'], total: number, force = false): void {
    if (!this.onProgress) return;
    const now = performance.now();
    if (!force && now - this.last < REPORT_EVERY_MS) return;
    this.last = now;
    const { done, rows } = this.counts;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? rows / secs : 0;
    const itemRate = secs > 0 ? done / secs : 0;
    this.onProgress({
      phase,
      done,
      total,
      rows,
      rowsPerSecond: rate,
      etaSeconds: phase === 'writing' && itemRate > 0 ? Math.max(0, (total - done) / itemRate) : null,
    });
  }
}
