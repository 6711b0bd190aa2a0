/**
 * `verdict report` (the oversight report as HTML or JSON) and `verdict volumes import` (screened
 * events per day). Merged into the COMMANDS map of commands.ts.
 */
import { writeFileSync } from 'node:fs';
import { importVolumeFile } from '../core/metrics/volumes.ts';
import { osUserName } from '../core/settings.ts';
import { UsageError } from '../core/util/errors.ts';
import { out, parse, withWorkspace, workspacePath } from './args.ts';
import { withHandlers } from './handlers.ts';

type Command = (argv: string[]) => Promise<number>;

export const OVERSIGHT_HELP = `  report --from DAY --to DAY [--out FILE]   the oversight report for UTC days DAY..DAY (YYYY-MM-DD) as self-contained
                                HTML (printable; item content never included); --json prints the same numbers as JSON
  volumes import FILE           screened events per day: JSONL {"type":"volume","date":"YYYY-MM-DD","model":M,"model_version":V,"screened":N}
`;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(v: unknown, name: string): string {
  if (typeof v !== 'string' || !DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
    throw new UsageError(`--${name} must be a UTC day as YYYY-MM-DD, got "${String(v ?? '')}"`);
  return v;
}

const reportCmd: Command = async (argv) => {
  const { values } = parse(argv, { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } });
  const from = day(values.from, 'from');
  const to = day(values.to, 'to');
  if (from > to) throw new UsageError('--from must not be after --to');
  if (!values.json && !values.out) throw new UsageError('give --out FILE for the HTML report, or --json');
  return withHandlers(workspacePath(values.workspace), async (call) => {
    const { html, report } = await call('metrics.report', { from, to });
    if (values.out) writeFileSync(values.out, html);
    out(values.json, report, () => `wrote the oversight report for ${from} to ${to} to ${values.out}\n`);
    return report.audit.allInLog ? 0 : 1;
  });
};

const volumesCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub !== 'import') throw new UsageError('use "volumes import FILE"');
  const { values, positionals } = parse(rest, {}, 1);
  const file = positionals[0];
  if (!file) throw new UsageError('give the volume file: volumes import FILE');
  return withWorkspace(workspacePath(values.workspace), (ws) => {
    const n = importVolumeFile(ws, file, osUserName('cli'));
    out(values.json, { recorded: n }, () => `recorded ${n} volume lines\n`);
    return 0;
  });
};

export const OVERSIGHT_COMMANDS: Record<string, Command> = { report: reportCmd, volumes: volumesCmd };
