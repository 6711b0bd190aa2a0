/**
 * CLI manners: `--help` for every command and subcommand (exit 0, usage and an example line),
 * one rule for numbers, tables with headers and readable views by default (JSON only with
 * --json), one-line errors without stack traces, and no test hooks on the production command line.
 */
import { buildConfig, config, installConfig } from '../../electron/core/config.ts';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../electron/cli/commands.ts';
import { HELP_ENTRIES } from '../../electron/cli/help.ts';
import { errorLine } from '../../electron/cli/main.ts';
import { tempDir } from '../helpers/workspace.ts';

const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;
const t = tempDir('verdict-cli-help-');
const ws = join(t.dir, 'w.sqlite');

function verdict(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs several CLI processes at once (each is mostly start-up time). */
function verdictAll(list: string[][]): Promise<{ args: string[]; code: number | null; stdout: string; stderr: string }[]> {
  return Promise.all(
    list.map(
      (args) =>
        new Promise<{ args: string[]; code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [BIN, ...args]);
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d) => (stdout += d));
          child.stderr.on('data', (d) => (stderr += d));
          child.on('exit', (code) => resolve({ args, code, stdout, stderr }));
        }),
    ),
  );
}

beforeAll(() => {
  expect(verdict(['demo', '--count', '12', '--workspace', ws]).code).toBe(0);
});
afterAll(() => t.cleanup());

describe('verdict --help', () => {
  it('every command has a help entry, and every group lists subcommands that have one', () => {
    for (const name of Object.keys(COMMANDS)) expect(HELP_ENTRIES[name], name).toBeDefined();
    for (const [key, e] of Object.entries(HELP_ENTRIES)) for (const sub of e.subcommands ?? []) expect(HELP_ENTRIES[`${key} ${sub}`], `${key} ${sub}`).toBeDefined();
  });

  it('"verdict <command> [subcommand] --help" exits 0 with usage and an example, for each of them', { timeout: 120_000 }, async () => {
    const keys = Object.keys(HELP_ENTRIES);
    expect(keys.length).toBeGreaterThanOrEqual(Object.keys(COMMANDS).length + 10);
    const runs: string[][] = [];
    for (const key of keys) runs.push([...key.split(' '), '--help']);
    // -h, the "help" form, and --help after other options, for a sample.
    runs.push(['items', 'list', '--status', 'new', '-h'], ['help', 'audit', 'proof'], ['export', 'verify', 'somewhere', '--help']);
    const results: Awaited<ReturnType<typeof verdictAll>> = [];
    for (let i = 0; i < runs.length; i += 6) results.push(...(await verdictAll(runs.slice(i, i + 6))));
    for (const r of results) {
      const what = r.args.join(' ');
      expect(r.code, what).toBe(0);
      expect(r.stderr, what).toBe('');
      const key = r.args.filter((a) => !a.startsWith('-') && a !== 'help' && a !== 'new' && a !== 'somewhere').join(' ');
      expect(r.stdout, what).toMatch(new RegExp(`^Usage: verdict ${key}`));
      expect(r.stdout, what).toMatch(/\nExamples?:\n {2}(verdict|npm run|zcat) .+/);
    }
  });

  it('the top-level help names every command and points to per-command help', () => {
    const r = verdict(['--help']);
    expect(r.code).toBe(0);
    for (const name of Object.keys(COMMANDS).filter((n) => n !== 'build-desktop')) expect(r.stdout, name).toContain(`  ${name}`);
    expect(r.stdout).toContain('verdict <command> --help');
  });
});

describe('CLI manners', () => {
  it('numbers follow one rule: digits within a range, else exit 2 with one line saying what is allowed', () => {
    const bad: [string[], RegExp][] = [
      [['items', 'list', '--limit', '-1'], /--limit must be a whole number from 1 to 1000, got "-1"/],
      [['items', 'list', '--limit', '0'], /--limit must be a whole number from 1 to 1000, got "0"/],
      [['items', 'list', '--limit', '1e3'], /got "1e3"/],
      [['items', 'list', '--limit', '2.5'], /got "2.5"/],
      [['quarantine', 'list', '--limit', 'ten'], /--limit must be a whole number/],
      [['demo', '--count', '-5', '--out', join(t.dir, 'x.jsonl')], /--count must be a whole number from 1/],
      [['audit', 'proof', '--leaf', '-2'], /--leaf must be a whole number 0 or more, got "-2"/],
      [['serve', '--port', '70000'], /--port must be a whole number from 0 to 65535/],
      [['verdicts', 'import', 'f.jsonl', '--batch-size', '0'], /--batch-size must be a whole number from 1/],
      [['export', '--format', 'sft', '--out', join(t.dir, 'e'), '--seed', '-1'], /--seed must be a whole number/],
    ];
    for (const [args, message] of bad) {
      const r = verdict([...args, '--workspace', ws]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('human output by default: tables with headers, a readable item, the audit head in words; JSON only with --json', () => {
    const list = verdict(['items', 'list', '--workspace', ws, '--limit', '3']);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+PRIORITY\s+STATUS\s+ROUTE\s+FLAG\s+CREATED\s+TEXT$/);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(/^more: verdict items list --after \S+/);
    expect(verdict(['sources', 'list', '--workspace', ws]).stdout).toMatch(/^ID\s+KIND\s+NAME\s+ADDED\s+READ FROM\n/);
    const id = lines[1]!.split(/\s+/)[0]!;
    const shown = verdict(['items', 'show', id, '--workspace', ws]);
    expect(shown.code).toBe(0);
    expect(() => JSON.parse(shown.stdout)).toThrow();
    expect(shown.stdout).toMatch(/^\S+ {2}\(source id .+\)\nstatus new · priority \w+/);
    expect(shown.stdout).toContain('\nInput:\n');
    expect(shown.stdout).toContain('Verdicts: none yet');
    expect(JSON.parse(verdict(['items', 'show', id, '--workspace', ws, '--json']).stdout)).toMatchObject({ id });
    expect(verdict(['audit', 'head', '--workspace', ws]).stdout).toMatch(/^audit head: size \d+, root [0-9a-f]{64}\n/);
    expect(JSON.parse(verdict(['stats', '--workspace', ws, '--json']).stdout)).toMatchObject({ demo: true, items: 12 });
    expect(verdict(['stats', '--workspace', ws]).stdout).toContain('(DEMO: synthetic escalations)');
  });

  it('hints: an export of 0 rows says why', () => {
    const r = verdict(['export', '--format', 'classifier', '--out', join(t.dir, 'empty-export'), '--jsonl', '--allow-unredacted', '--workspace', ws]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/exported 0 rows/);
    expect(r.stderr).toMatch(/^hint: no reviewed item matches: nothing has a verdict in force yet/);
  });

  it('errors are one line without a stack; the stack only with VERDICT_DEBUG=1', () => {
    const damaged = join(t.dir, 'damaged.sqlite');
    writeFileSync(damaged, 'not a database at all, padded to look like a file '.repeat(100));
    for (const args of [['stats', '--workspace', damaged], ['serve', '--workspace', damaged]]) {
      const r = verdict(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // An unexpected (non-user) error: one line and a pointer to VERDICT_DEBUG; with it, the stack.
    const err = new Error('disk I/O error\nsecond line');
    // VERDICT_DEBUG is read once by the entry point into the configuration errorLine consults.
    const saved = config();
    try {
      installConfig({ ...saved, debug: false });
      expect(errorLine('verdict stats', err)).toBe('verdict stats: unexpected error: disk I/O error (set VERDICT_DEBUG=1 for details)\n');
      installConfig(buildConfig({ VERDICT_DEBUG: '1' }, saved.root));
      expect(errorLine('verdict stats', err)).toMatch(/^verdict stats: unexpected error: disk I\/O error\nError: disk I\/O error\nsecond line\n\s+at /);
    } finally {
      installConfig(saved);
    }
  });

  it('the production command line has no test hooks', () => {
    for (const args of [
      ['ingest', join(t.dir, 'none.jsonl'), '--kill-after-batches', '1'],
      ['verdicts', 'import', join(t.dir, 'none.jsonl'), '--kill-after-batches', '1'],
      ['sync', '--kill-after-writes', '1'],
    ]) {
      const r = verdict([...args, '--workspace', ws]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/Unknown option '--kill-after/);
    }
  });
});
