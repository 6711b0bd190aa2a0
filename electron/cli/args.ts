/** Argument parsing and output helpers shared by every CLI command. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/util/errors.ts';
import { openWorkspace, type Workspace } from '../core/workspace/open.ts';
import { defaultWorkspacePath } from '../core/workspace/paths.ts';

const common = {
  workspace: { type: 'string', short: 'w' },
  json: { type: 'boolean', default: false },
} as const;

/** Strict parsing with --workspace and --json on every command; extra positionals are bad usage. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, positionals = 0) {
  const res = parseArgs({ args: argv, options: { ...common, ...options }, allowPositionals: true, strict: true });
  if (res.positionals.length > positionals) throw new UsageError(`unexpected argument "${res.positionals[positionals]}"`);
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

export function positiveInt(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got "${String(v)}"`);
  return n;
}
