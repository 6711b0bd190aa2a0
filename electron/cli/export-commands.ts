/**
 * `verdict export …` and `verdict export verify DIR`: the retraining dataset export from the
 * command line. Same conventions as commands.ts: --workspace and --json everywhere, UsageError
 * (exit 2) for bad usage, UserError (exit 1) for refusals, one-line errors, progress on stderr
 * when it is a terminal.
 */
import { userInfo } from 'node:os';
import {
  EXPORT_DECISIONS,
  EXPORT_FORMATS,
  exportDataset,
  verifyExport,
  type ExportDecision,
  type ExportFormat,
  type ExportOptions,
  type ExportProgress,
  type ExportSummary,
  type OutputKind,
} from '../core/export/index.ts';
import { exportTeamDataset } from '../core/team/export.ts';
import { verifyTeamExport } from '../core/team/export-verify.ts';
import { UsageError } from '../core/util/errors.ts';
import { config } from '../core/config.ts';
import { openWorkspace } from '../core/workspace/open.ts';
import { intOption, parse, workspacePath } from './args.ts';

export const EXPORT_HELP = `  export --format sft|preference|trl-dpo|classifier --out DIR [--jsonl|--parquet|--both]
      [--decision D] [--label L] [--route R] [--model M] [--reviewer NAME]   (repeat or comma-separate)
      [--from ISO] [--to ISO] [--seed N] [--split 0.8,0.1,0.1] [--license ID]
      [--include-dismissed] [--keep-inconsistent-pairs] [--no-redact] [--allow-unredacted]
                                write a retraining dataset (JSONL shards and/or a Hugging Face Parquet folder)
  export verify DIR [--quick]   check an export's files and its record in the workspace audit log
  export ... --team URL         the same from a team database (lead or data role); the event goes into the team audit log
  export verify DIR --team URL [--quick]
                                check a team export against the team audit log (and, unless --quick, verify the whole log)
`;

/** --team URL (or VERDICT_TEAM_URL when given empty). */
function teamUrlOption(v: string): string {
  const url = v !== '' ? v : (config().teamUrl ?? undefined);
  if (!url || !/^postgres(ql)?:\/\//.test(url)) throw new UsageError(`--team must be a postgres:// URL, got "${(url ?? '').slice(0, 40)}"`);
  return url;
}

/** The URL without its password, for printing. */
function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'URL';
  }
}

/** Repeated and comma-separated values, trimmed, empty ones dropped. */
function list(v: string[] | undefined): string[] {
  return (v ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}

/** --decision values, checked here so the error names the flag. */
function parseDecisions(v: string[] | undefined): ExportDecision[] {
  const decisions = list(v);
  for (const d of decisions)
    if (!(EXPORT_DECISIONS as readonly string[]).includes(d))
      throw new UsageError(`--decision must be one of ${EXPORT_DECISIONS.join(', ')}, got "${d}"`);
  return decisions as ExportDecision[];
}

function parseSplit(v: string | undefined): { train: number; validation: number; test: number } | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(',').map((x) => Number(x.trim()));
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x) || x < 0))
    throw new UsageError(`--split must be three ratios train,validation,test such as 0.8,0.1,0.1, got "${v}"`);
  return { train: parts[0]!, validation: parts[1]!, test: parts[2]! };
}

function actorName(v: string | undefined): string {
  if (v) return v;
  try {
    return userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}

const n = (x: number) => x.toLocaleString('en-US');

function progressPrinter(enabled: boolean): ((p: ExportProgress) => void) | undefined {
  if (!enabled) return undefined;
  return (p) => {
    if (p.phase === 'done') return void process.stderr.write('\r\x1b[2K');
    const line =
      p.phase === 'checking'
        ? 'checking the selection…'
        : p.phase === 'sealing'
          ? `sealing: ${n(p.rows)} rows written; hashing files and recording the export in the audit log…`
          : `${n(p.done)}/${n(p.total)} items  ${n(p.rows)} rows  ${n(Math.round(p.rowsPerSecond))} rows/s${p.etaSeconds !== null ? `  ETA ${Math.ceil(p.etaSeconds)}s` : ''}`;
    process.stderr.write(`\r\x1b[2K${line}`);
  };
}

function summaryText(s: ExportSummary, where: string): string {
  const skipped = Object.entries(s.skipped).filter(([, k]) => k > 0);
  const left = [
    s.excludedConflict ? `${n(s.excludedConflict)} in revision conflict` : '',
    ...skipped.map(([k, c]) => `${n(c)} ${k === 'no_correction' ? 'without a correction' : k === 'no_output' ? 'without an original output' : 'with inconsistent prompts'}`),
  ].filter(Boolean);
  return (
    `exported ${n(s.rows)} rows (${s.format}; ${s.outputs.join(' + ')}) to ${s.dir} in ${s.seconds.toFixed(1)} s\n` +
    `  train ${n(s.perSplit.train)}, validation ${n(s.perSplit.validation)}, test ${n(s.perSplit.test)}\n` +
    (left.length ? `  left out: ${left.join(', ')}\n` : '') +
    (s.unresolvedPiiItems || s.unredactedPiiItems
      ? `  allowed despite ${n(s.unresolvedPiiItems)} unresolved and ${n(s.unredactedPiiItems)} unredacted PII-flagged item(s) (recorded in the audit log)\n`
      : '') +
    `  export ${s.exportId}, audit event ${s.auditEventSeq}; check it with: verdict export verify ${s.dir} ${where}\n`
  );
}

/** The --json summary: snake_case like the manifest, one line. */
function summaryJson(s: ExportSummary): string {
  return `${JSON.stringify({
    export_id: s.exportId,
    dir: s.dir,
    format: s.format,
    outputs: s.outputs,
    selected: s.selected,
    rows: s.rows,
    per_split: s.perSplit,
    excluded_conflict: s.excludedConflict,
    skipped: s.skipped,
    unresolved_pii_items: s.unresolvedPiiItems,
    unredacted_pii_items: s.unredactedPiiItems,
    files: s.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes })),
    audit_event: s.auditEventSeq,
    seconds: Number(s.seconds.toFixed(3)),
  })}\n`;
}

/** Why an export came out empty, and what to do about it. */
function emptyExportHint(s: ExportSummary, includeDismissed: boolean): string {
  if (s.selected === 0)
    return (
      'hint: no reviewed item matches: nothing has a verdict in force yet, or the filters exclude every one. ' +
      `Review items first (verdict start), check the filters${includeDismissed ? '' : ', or add --include-dismissed if the verdicts are dismissals'}.\n`
    );
  return `hint: ${s.selected} reviewed item(s) matched but none gave a ${s.format} row (see "left out" above); another --format may suit them.\n`;
}

async function runExport(argv: string[]): Promise<number> {
  // Positionals are checked below, with a hint of the right form.
  const { values, positionals } = parse(
    argv,
    {
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      jsonl: { type: 'boolean', default: false },
      parquet: { type: 'boolean', default: false },
      both: { type: 'boolean', default: false },
      decision: { type: 'string', multiple: true },
      label: { type: 'string', multiple: true },
      route: { type: 'string', multiple: true },
      model: { type: 'string', multiple: true },
      reviewer: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      seed: { type: 'string' },
      split: { type: 'string' },
      license: { type: 'string' },
      'include-dismissed': { type: 'boolean', default: false },
      'keep-inconsistent-pairs': { type: 'boolean', default: false },
      'no-redact': { type: 'boolean', default: false },
      'allow-unredacted': { type: 'boolean', default: false },
      'shard-rows': { type: 'string' },
      threads: { type: 'string' },
      actor: { type: 'string' },
      team: { type: 'string' },
    },
    Infinity,
  );
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"; use "export --format F --out DIR" or "export verify DIR"`);
  if (!values.format) throw new UsageError(`give --format ${EXPORT_FORMATS.join('|')}`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(values.format))
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${values.format}"`);
  if (!values.out) throw new UsageError('give an output folder with --out DIR');
  const kinds = [values.jsonl, values.parquet, values.both].filter(Boolean).length;
  if (kinds > 1) throw new UsageError('use one of --jsonl, --parquet or --both');
  const outputs: OutputKind[] = values.jsonl ? ['jsonl'] : values.parquet ? ['parquet'] : ['jsonl', 'parquet'];
  const decisions = parseDecisions(values.decision);
  const teamUrl = values.team !== undefined ? teamUrlOption(values.team) : null;
  const wsPath = teamUrl ?? workspacePath(values.workspace);
  const ws = teamUrl ? null : openWorkspace(wsPath, { create: false });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const exportOptions: ExportOptions = {
      format: values.format as ExportFormat,
      out: values.out,
      outputs,
      filters: {
        decisions,
        labels: list(values.label),
        routes: list(values.route),
        models: list(values.model),
        reviewers: list(values.reviewer),
        from: values.from,
        to: values.to,
      },
      seed: intOption(values.seed, 'seed', { min: 0, max: 2 ** 32 - 1 }),
      split: parseSplit(values.split),
      license: values.license,
      includeDismissed: values['include-dismissed'],
      keepInconsistent: values['keep-inconsistent-pairs'],
      redact: !values['no-redact'],
      allowUnredacted: values['allow-unredacted'],
      shardRows: intOption(values['shard-rows'], 'shard-rows', { min: 1 }),
      threads: intOption(values.threads, 'threads', { min: 0, max: 64 }),
      actor: actorName(values.actor),
      signal: abort.signal,
      onProgress: progressPrinter(process.stderr.isTTY === true && !values.json),
    };
    const summary = ws ? await exportDataset(ws, exportOptions) : await exportTeamDataset(teamUrl!, exportOptions);
    if (values.json) {
      process.stdout.write(summaryJson(summary));
    } else {
      process.stdout.write(summaryText(summary, teamUrl ? `--team ${redactedUrl(teamUrl)}` : `--workspace ${wsPath}`));
      if (summary.rows === 0) process.stderr.write(emptyExportHint(summary, values['include-dismissed']));
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    ws?.close();
  }
}

async function runVerify(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { quick: { type: 'boolean', default: false }, team: { type: 'string' } }, Infinity);
  const dir = positionals[0];
  if (!dir) throw new UsageError('give the export folder: export verify DIR --workspace W');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const res =
    values.team !== undefined
      ? await verifyTeamExport(dir, teamUrlOption(values.team), { full: !values.quick })
      : await verifyExport(dir, workspacePath(values.workspace), { full: !values.quick });
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify(
        res.ok
          ? { ok: true, export_id: res.exportId, files: res.files, rows: res.rows, audit_event: res.eventSeq, head: res.head }
          : { ok: false, problem: res.problem },
      )}\n`,
    );
  } else if (res.ok) {
    process.stdout.write(
      `export ok: ${res.exportId}, ${n(res.rows)} rows in ${res.files} files; audit event ${res.eventSeq} proven in the head of size ${res.head.size}, which the log still extends\n`,
    );
  } else {
    process.stdout.write(`export FAILED: ${res.problem}\n`);
  }
  return res.ok ? 0 : 1;
}

/** `verdict export …` (wire into COMMANDS as `export`). */
export async function exportCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'verify') return runVerify(argv.slice(1));
  return runExport(argv);
}
