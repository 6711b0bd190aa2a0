/**
 * Delivers outbox rows back to their sources, at least once, with the verdict id as the
 * idempotency key.
 *
 * Per source and batch: append the results lines to the target file and fsync it, THEN mark
 * the rows delivered in one transaction with a `sync.delivered` audit event (counts and the
 * sha256 of the appended bytes). A crash after the verdict commit leaves the rows pending; a
 * crash after the write but before the mark sends the same lines again next time. Consumers
 * therefore keep the first line per `verdict_id`, and skip a line that is not valid JSON (the
 * torn tail of a write cut short, which the next append terminates before adding its own).
 *
 * A failed write marks the batch `failed` (error, attempt count) and backs the source off
 * exponentially; the next due attempt retries failed and pending rows alike, and `retry`
 * resets a source's failed rows and its backoff at once.
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OutboxStatements, type SyncStateRow } from '../../../db/queries/outbox.ts';
import { listSources, type SourceRow } from '../../../db/queries/sources.ts';
import { UserError } from '../util/errors.ts';
import type { Workspace } from '../workspace/open.ts';
import { encodeResultLine } from './format.ts';
import { syncTarget } from './target.ts';
import type { SourceSyncStatus, SourceSyncResult } from '../../shared/models/sync.ts';
export type { SourceSyncStatus, SourceSyncResult };

export interface AppendInfo {
  sourceId: string;
  target: string;
  lines: number;
  bytes: number;
  sha256: string;
}

export interface SyncerOptions {
  /** Rows per append + mark (default 500). */
  batchSize?: number;
  /** Audit actor (default "system"). */
  actor?: string;
  /** Clock, for tests. */
  now?: () => Date;
  /** Delay before the next attempt after `failures` failures in a row. */
  backoffMs?: (failures: number) => number;
  /**
   * TEST HOOK (crash tests only): runs after an append is fsynced and before its rows are
   * marked delivered, e.g. to SIGKILL the process in that window.
   */
  afterWrite?: (info: AppendInfo) => void;
}

export interface RunOptions {
  /** Only this source. */
  sourceId?: string;
  /** Ignore backoff (a user asked to sync now). */
  force?: boolean;
}

/** 2 s, 4 s, 8 s … capped at one hour. */
export function defaultBackoffMs(failures: number): number {
  return Math.min(1000 * 2 ** Math.min(Math.max(failures, 1), 12), 3_600_000);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function writeAll(fh: FileHandle, data: Buffer): Promise<void> {
  let off = 0;
  while (off < data.length) {
    const { bytesWritten } = await fh.write(data, off, data.length - off, null);
    off += bytesWritten;
  }
}

/** Makes a new file's directory entry durable; not possible (nor needed) everywhere. */
async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot open a directory; NTFS journals the entry itself.
  } finally {
    await fh?.close().catch(() => {});
  }
}

function describeWriteError(target: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return `cannot write ${target}: the folder ${dirname(target)} does not exist`;
    case 'EACCES':
    case 'EPERM':
      return `cannot write ${target}: permission denied`;
    case 'EROFS':
      return `cannot write ${target}: the file system is read-only`;
    case 'EISDIR':
      return `cannot write ${target}: it is a folder`;
    case 'ENOSPC':
      return `cannot write ${target}: the disk is full`;
    default:
      return `cannot write ${target}: ${e?.message ?? String(err)}`;
  }
}

/**
 * Appends `data` and fsyncs. If an earlier write was cut short (the file does not end in a
 * newline), a newline goes first so the torn line stays on its own and ours stay whole.
 */
export async function appendDurably(path: string, data: Buffer): Promise<{ offset: number; written: Buffer }> {
  const fh = await open(path, 'a+');
  try {
    const { size } = await fh.stat();
    let written = data;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await fh.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) written = Buffer.concat([Buffer.from('\n'), data]);
    }
    await writeAll(fh, written);
    await fh.sync();
    if (size === 0) await syncDir(dirname(path));
    return { offset: size, written };
  } finally {
    await fh.close();
  }
}

export class Syncer {
  private readonly st: OutboxStatements;
  private readonly batchSize: number;
  private readonly now: () => Date;
  private readonly backoffMs: (failures: number) => number;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ws: Workspace,
    private readonly opts: SyncerOptions = {},
  ) {
    this.st = new OutboxStatements(ws.sqlite);
    this.batchSize = Math.max(1, opts.batchSize ?? 500);
    this.now = opts.now ?? (() => new Date());
    this.backoffMs = opts.backoffMs ?? defaultBackoffMs;
  }

  /** Delivers what is due for every source (or one). Runs of one Syncer never overlap. */
  run(options: RunOptions = {}): Promise<SourceSyncResult[]> {
    const p = this.tail.then(() => this.runExclusive(options));
    this.tail = p.catch(() => undefined);
    return p;
  }

  private async runExclusive(options: RunOptions): Promise<SourceSyncResult[]> {
    const sources = listSources(this.ws.sqlite).filter((s) => !options.sourceId || s.id === options.sourceId);
    if (options.sourceId && sources.length === 0) throw new UserError(`no source ${options.sourceId}`, 'not_found');
    const results: SourceSyncResult[] = [];
    for (const source of sources) {
      if (!this.st.hasDue(source.id)) continue;
      results.push(await this.deliverSource(source, options.force ?? false));
    }
    return results;
  }

  private async deliverSource(source: SourceRow, force: boolean): Promise<SourceSyncResult> {
    const result: SourceSyncResult = { sourceId: source.id, delivered: 0, appended: 0, failed: 0, error: null, deferred: false };
    const state = this.st.state(source.id);
    if (!force && state.nextAttemptAt && state.nextAttemptAt > this.now().toISOString()) {
      result.deferred = true;
      return result;
    }
    const target = syncTarget(this.ws.sqlite, source);
    // Rows of a source without a return path are born `no_return_path`; none can be due.
    if (target.kind === 'none') return result;
    let after = 0;
    for (;;) {
      const entries = this.st.dueEntries(source.id, after, this.batchSize);
      if (entries.length === 0) break;
      after = entries[entries.length - 1]!.outboxSeq;
      const seqs = entries.map((e) => e.outboxSeq);
      const data = Buffer.from(entries.map(encodeResultLine).join(''), 'utf8');
      let appended: { offset: number; written: Buffer };
      try {
        appended = await appendDurably(target.path, data);
      } catch (err) {
        const error = describeWriteError(target.path, err);
        result.failed += this.recordFailure(source.id, target.path, seqs, error);
        result.error = error;
        break;
      }
      const digest = sha256(appended.written);
      result.appended += entries.length;
      this.opts.afterWrite?.({ sourceId: source.id, target: target.path, lines: entries.length, bytes: appended.written.length, sha256: digest });
      result.delivered += this.recordDelivery(source.id, target.path, seqs, entries.length, appended.offset, appended.written.length, digest);
    }
    return result;
  }

  private recordDelivery(sourceId: string, target: string, seqs: number[], lines: number, offset: number, bytes: number, digest: string): number {
    const at = this.now().toISOString();
    return this.ws.sqlite.transaction(() => {
      const marked = this.st.markDelivered(seqs, at);
      const prev = this.st.state(sourceId);
      this.save({ ...prev, target, failures: 0, nextAttemptAt: null, lastAttemptAt: at, lastError: null, lastDeliveredAt: at });
      this.ws.audit.append(
        'sync.delivered',
        {
          source_id: sourceId,
          target,
          lines,
          marked,
          offset,
          bytes,
          sha256: digest,
          first_outbox_seq: seqs[0] ?? null,
          last_outbox_seq: seqs[seqs.length - 1] ?? null,
        },
        { actor: this.opts.actor ?? 'system', subject: sourceId, at },
      );
      return marked;
    }).immediate();
  }

  private recordFailure(sourceId: string, target: string, seqs: number[], error: string): number {
    const now = this.now();
    const at = now.toISOString();
    return this.ws.sqlite.transaction(() => {
      const marked = this.st.markFailed(seqs, error);
      const prev = this.st.state(sourceId);
      const failures = prev.failures + 1;
      const nextAttemptAt = new Date(now.getTime() + this.backoffMs(failures)).toISOString();
      this.save({ ...prev, target, failures, nextAttemptAt, lastAttemptAt: at, lastError: error });
      this.ws.audit.append(
        'sync.failed',
        { source_id: sourceId, target, rows: marked, error, failures, next_attempt_at: nextAttemptAt },
        { actor: this.opts.actor ?? 'system', subject: sourceId, at },
      );
      return marked;
    }).immediate();
  }

  private save(s: SyncStateRow): void {
    this.st.saveState(s);
  }

  /** Puts a source's failed rows back to pending and clears its backoff; returns how many. */
  retry(sourceId: string, actor = this.opts.actor ?? 'system'): number {
    const source = listSources(this.ws.sqlite).find((s) => s.id === sourceId);
    if (!source) throw new UserError(`no source ${sourceId}`, 'not_found');
    const at = this.now().toISOString();
    return this.ws.sqlite.transaction(() => {
      const reset = this.st.resetFailedRows(sourceId);
      const prev = this.st.state(sourceId);
      this.save({ ...prev, failures: 0, nextAttemptAt: null });
      this.ws.audit.append('sync.retry', { source_id: sourceId, reset }, { actor, subject: sourceId, at });
      return reset;
    }).immediate();
  }

  /** Delivery state of every source. */
  status(): SourceSyncStatus[] {
    const counts = this.st.countsBySource();
    return listSources(this.ws.sqlite).map((s) => {
      const c = counts.get(s.id) ?? { pending: 0, delivered: 0, failed: 0, no_return_path: 0 };
      const state = this.st.state(s.id);
      const target = syncTarget(this.ws.sqlite, s);
      return {
        sourceId: s.id,
        name: s.name,
        kind: s.kind,
        target: target.kind === 'file' ? target.path : null,
        pending: c.pending,
        delivered: c.delivered,
        failed: c.failed,
        noReturnPath: c.no_return_path,
        lastError: state.lastError,
        lastDeliveredAt: state.lastDeliveredAt,
        nextAttemptAt: state.nextAttemptAt,
        failures: state.failures,
      };
    });
  }
}
