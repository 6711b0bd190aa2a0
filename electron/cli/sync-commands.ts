/**
 * `verdict verdicts import` and `verdict sync`: bring decisions in, send verdicts back to their
 * sources. Merged into the COMMANDS map of commands.ts.
 */
import { importVerdicts, type ImportSummary } from '../core/sync/import.ts';
import { Syncer, type SourceSyncResult, type SourceSyncStatus } from '../core/sync/syncer.ts';
import { UsageError } from '../core/util/errors.ts';
import { intOption, out, parse, withWorkspace, workspacePath } from './args.ts';
import { withHandlers } from './handlers.ts';
import { testHooks } from './test-hooks.ts';

type Command = (argv: string[]) => Promise<number>;

export const SYNC_HELP = `  verdicts import FILE          record decisions from a JSONL file as verdicts of kind "import"
      --reviewer NAME  (for lines without "reviewer")  --batch-size N  --sync (deliver as batches commit)
  sync [--source ID]            deliver pending verdicts back to their sources now, then print status
  sync status                   per source: pending, delivered, failed, no return path, last error
  sync retry SOURCE_ID          put a source's failed verdicts back in line and deliver them now
`;

function statusText(rows: SourceSyncStatus[]): string {
  if (rows.length === 0) return 'no sources\n';
  return rows
    .map((s) => {
      const head = `${s.name} (${s.sourceId}, ${s.kind})`;
      if (!s.target) return `${head}: no return path; ${s.noReturnPath} verdicts kept in the workspace only\n`;
      const parts = [`pending ${s.pending}`, `delivered ${s.delivered}`, `failed ${s.failed}`];
      if (s.noReturnPath) parts.push(`no return path ${s.noReturnPath}`);
      const lines = [`${head} -> ${s.target}`, `  ${parts.join(', ')}${s.lastDeliveredAt ? `; last delivered ${s.lastDeliveredAt}` : ''}`];
      if (s.lastError) lines.push(`  last error: ${s.lastError}${s.nextAttemptAt ? ` (next attempt ${s.nextAttemptAt})` : ''}`);
      return `${lines.join('\n')}\n`;
    })
    .join('');
}

function resultsText(results: SourceSyncResult[]): string {
  const delivered = results.reduce((n, r) => n + r.delivered, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  return results.length === 0 ? 'nothing to deliver\n' : `delivered ${delivered}${failed ? `, failed ${failed}` : ''}\n`;
}

const publicImport = (s: ImportSummary) => ({
  read: s.read,
  imported: s.imported,
  duplicates: s.duplicates,
  quarantined: s.quarantined,
  seconds: Number(s.seconds.toFixed(3)),
});

const verdictsCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub !== 'import') throw new UsageError('use "verdicts import FILE"');
  const { values, positionals } = parse(
    rest,
    {
      reviewer: { type: 'string' },
      'batch-size': { type: 'string' },
      sync: { type: 'boolean', default: false },
    },
    1,
  );
  const file = positionals[0];
  if (!file) throw new UsageError('give a JSONL file of verdicts');
  if (values.reviewer !== undefined && values.reviewer.trim() === '') throw new UsageError('--reviewer needs a name');
  const batchSize = intOption(values['batch-size'], 'batch-size', { min: 1, max: 1_000_000, fallback: 500 });
  return withWorkspace(workspacePath(values.workspace), async (ws) => {
    const syncer = values.sync ? new Syncer(ws, { actor: values.reviewer }) : null;
    const summary = await importVerdicts(ws, {
      path: file,
      reviewer: values.reviewer?.trim(),
      batchSize,
      onBatch: async () => {
        testHooks.afterBatch?.();
        if (syncer) await syncer.run({ force: true });
      },
    });
    const results = syncer ? await syncer.run({ force: true }) : [];
    const failed = results.some((r) => r.error);
    out(values.json, { ...publicImport(summary), ...(syncer ? { sources: syncer.status() } : {}) }, () =>
      `read ${summary.read}, imported ${summary.imported}, duplicates ${summary.duplicates}, quarantined ${summary.quarantined} (${summary.seconds.toFixed(1)} s)\n` +
      (syncer ? statusText(syncer.status()) : ''),
    );
    if (failed && !values.json) process.stderr.write('verdict verdicts: some verdicts could not be delivered; see "verdict sync status"\n');
    return failed ? 1 : 0;
  });
};

const syncCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub === 'status') {
    const { values } = parse(rest, {});
    return withHandlers(workspacePath(values.workspace), async (call) => {
      const status = await call('sync.status', {});
      out(values.json, status, () => statusText(status));
      return 0;
    });
  }
  if (sub === 'retry') {
    const { values, positionals } = parse(rest, {}, 1);
    const sourceId = positionals[0];
    if (!sourceId) throw new UsageError('give the id of a source (see "verdict sync status")');
    return withWorkspace(workspacePath(values.workspace), async (ws) => {
      const syncer = new Syncer(ws);
      const reset = syncer.retry(sourceId);
      const results = await syncer.run({ sourceId, force: true });
      const status = syncer.status().filter((s) => s.sourceId === sourceId);
      out(values.json, { reset, results, sources: status }, () => `${reset} failed verdicts back in line; ${resultsText(results)}${statusText(status)}`);
      return results.some((r) => r.error) ? 1 : 0;
    });
  }
  if (sub !== undefined && !sub.startsWith('-')) throw new UsageError('use "sync", "sync status" or "sync retry SOURCE_ID"');
  const { values } = parse(argv, {
    source: { type: 'string' },
    'batch-size': { type: 'string' },
  });
  const batchSize = intOption(values['batch-size'], 'batch-size', { min: 1, max: 1_000_000, fallback: 500 });
  return withWorkspace(workspacePath(values.workspace), async (ws) => {
    const syncer = new Syncer(ws, { batchSize, afterWrite: testHooks.afterWrite });
    const results = await syncer.run({ sourceId: values.source, force: true });
    const status = syncer.status();
    out(
      values.json,
      {
        delivered: results.reduce((n, r) => n + r.delivered, 0),
        failed: results.reduce((n, r) => n + r.failed, 0),
        results,
        sources: status,
      },
      () => resultsText(results) + statusText(status),
    );
    const failed = results.filter((r) => r.error);
    if (!values.json) for (const r of failed) process.stderr.write(`verdict sync: ${r.error}\n`);
    return failed.length > 0 ? 1 : 0;
  });
};

export const SYNC_COMMANDS: Record<string, Command> = {
  verdicts: verdictsCmd,
  sync: syncCmd,
};
