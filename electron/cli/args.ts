/** Argument parsing and output helpers shared by every CLI command. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/util/errors.ts';
import { openWorkspace, type Workspace } from '../core/workspace/open.ts';
import { defaultWorkspacePath } from '../core/workspace/paths.ts';

const common = {
  workspace: { type: 'string', short: 'w' },
  json: { type: 'boolean', default: false },
} as const;

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * "--limit -1" would make parseArgs complain that the value looks like an option; joined as
 * "--limit=-1" it reaches the number check, which says what a valid value is.
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith('--') ? a.slice(2) : null;
    const next = argv[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Strict parsing with --workspace and --json on every command; extra positionals are bad usage. */
export function parse<T extends Options>(argv: string[], options: T, positionals = 0) {
  const all = { ...common, ...options };
  let res;
  try {
    res = parseArgs({ args: joinNegativeValues(argv, all), options: all, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's messages run to several lines of advice; the first says what is wrong.
    const first = String((err as Error).message).split('\n')[0]!.replace(/\.$/, '');
    throw new UsageError(`${first}; see --help`);
  }
  if (res.positionals.length > positionals) throw new UsageError(`unexpected argument "${res.positionals[positionals]}"; see --help`);
  return res;
}

export function workspacePath(v: unknown): string {
  return typeof v === 'string' && v !== '' ? v : defaultWorkspacePath();
}

/** Opens an existing workspace for the length of `fn` (sync or async). */
export async function withWorkspace<T>(path: string, fn: (ws: Workspace) => T | Promise<T>, create = false): Promise<T> {
  const ws = openWorkspace(path, { create });
  try {
    return await fn(ws);
  } finally {
    ws.close();
  }
}

/** JSON on stdout with --json, else the human text. */
export function out(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : text());
}

/**
 * The one rule for numeric options: digits only (no sign, exponent, fraction or spaces), within
 * [min, max]; absent means the default. Every command validates numbers through here.
 */
export function intOption(v: unknown, name: string, range: { min: number; max?: number; fallback: number }): number;
export function intOption(v: unknown, name: string, range: { min: number; max?: number }): number | undefined;
export function intOption(v: unknown, name: string, range: { min: number; max?: number; fallback?: number }): number | undefined {
  if (v === undefined) return range.fallback;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  const s = String(v);
  const n = /^\d{1,16}$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > max) {
    const bounds = range.max === undefined ? `${range.min} or more` : `from ${range.min} to ${range.max}`;
    throw new UsageError(`--${name} must be a whole number ${bounds}, got "${s}"`);
  }
  return n;
}
