/**
 * `verdict export` and `verdict export verify` through the real CLI dispatcher (main): output,
 * --json, exit codes 0 / 1 / 2 and one-line errors.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../../electron/cli/export-commands.ts';
import { COMMANDS } from '../../electron/cli/commands.ts';
import { main } from '../../electron/cli/main.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { ingestRecords, record, reviewAll } from './helpers.ts';

/** Runs the CLI in-process, capturing stdout and stderr. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

describe('verdict export (CLI)', () => {
  const t = tempWorkspace();
  beforeAll(async () => {
    // Until commands.ts wires it, register the command the way the COMMANDS map will.
    COMMANDS.export ??= exportCommand;
    await ingestRecords(t.ws, t.dir, Array.from({ length: 30 }, (_, i) => record(`c${i}`, { route: i % 2 ? 'legal' : 'trust_safety' })));
    reviewAll(t.ws, (item, i) => ({ itemId: item.id, decision: i % 3 ? 'violation' : 'dismiss', correction: `fix ${i}`, labels: i % 3 ? ['S1'] : [], reviewer: 'r' }));
  });
  afterAll(() => t.cleanup());

  it('exports with filters and prints a summary, or one JSON object with --json', async () => {
    const out = join(t.dir, 'cli-a');
    const r = await cli(['export', '--workspace', t.path, '--format', 'preference', '--out', out, '--jsonl', '--decision', 'violation', '--route', 'legal,trust_safety']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^exported 20 rows \(preference; jsonl\) to .*cli-a in [\d.]+ s\n {2}train \d+, validation \d+, test \d+\n/);
    expect(r.stdout).toContain(`verdict export verify ${out} --workspace ${t.path}`);
    expect(readdirSync(join(out, 'data')).every((f) => f.endsWith('.jsonl'))).toBe(true);

    const out2 = join(t.dir, 'cli-b');
    const j = await cli(['export', '-w', t.path, '--format', 'classifier', '--out', out2, '--json', '--split', '0.5,0.25,0.25', '--seed', '9', '--license', 'cc-by-4.0']);
    expect(j.code).toBe(0);
    const s = JSON.parse(j.stdout);
    expect(s).toMatchObject({ format: 'classifier', outputs: ['jsonl', 'parquet'], rows: 30, selected: 30, excluded_conflict: 0 });
    expect(s.files.some((f: { path: string }) => f.path.endsWith('.parquet'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out2, 'manifest.json'), 'utf8'));
    expect(manifest.content).toMatchObject({ seed: 9, license: 'cc-by-4.0', split_ratios: { train: 0.5, validation: 0.25, test: 0.25 } });
    expect(readFileSync(join(out2, 'README.md'), 'utf8')).toContain('license: cc-by-4.0');
  });

  it('verify prints ok, or the first problem with exit 1', async () => {
    const out = join(t.dir, 'cli-v');
    expect((await cli(['export', '-w', t.path, '--format', 'sft', '--out', out, '--parquet'])).code).toBe(0);
    const ok = await cli(['export', 'verify', out, '--workspace', t.path]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^export ok: [0-9a-f-]{36}, 30 rows in \d+ files; audit event \d+ proven/);
    const quick = await cli(['export', 'verify', out, '-w', t.path, '--json', '--quick']);
    expect(JSON.parse(quick.stdout)).toMatchObject({ ok: true, rows: 30 });

    writeFileSync(join(out, 'README.md'), 'edited\n');
    const bad = await cli(['export', 'verify', out, '--workspace', t.path]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('export FAILED: README.md was altered: 7 bytes, the manifest says ' + bad.stdout.match(/says (\d+)/)![1] + '\n');
    const badJson = await cli(['export', 'verify', out, '--workspace', t.path, '--json']);
    expect(badJson.code).toBe(1);
    expect(JSON.parse(badJson.stdout)).toMatchObject({ ok: false, problem: expect.stringContaining('README.md was altered') });
  });

  it('bad usage exits 2 and refusals exit 1, each with one line on stderr', async () => {
    const cases: [string[], number, RegExp][] = [
      [['export', '-w', t.path, '--out', join(t.dir, 'x')], 2, /give --format/],
      [['export', '-w', t.path, '--format', 'dpo', '--out', join(t.dir, 'x')], 2, /--format must be one of sft, preference, trl-dpo, classifier/],
      [['export', '-w', t.path, '--format', 'sft'], 2, /--out DIR/],
      [['export', '-w', t.path, '--format', 'sft', '--out', join(t.dir, 'x'), '--jsonl', '--parquet'], 2, /one of --jsonl, --parquet or --both/],
      [['export', '-w', t.path, '--format', 'sft', '--out', join(t.dir, 'x'), '--split', '0.8,0.2'], 2, /--split must be three ratios/],
      [['export', '-w', t.path, '--format', 'sft', '--out', join(t.dir, 'x'), '--decision', 'maybe'], 2, /--decision must be one of/],
      [['export', '-w', t.path, '--format', 'sft', '--out', join(t.dir, 'x'), '--bogus'], 2, /bogus/],
      [['export', 'verify'], 2, /give the export folder/],
      [['export', '-w', t.path, '--format', 'sft', '--out', join(t.dir, 'cli-a')], 1, /is not empty; export into a new or empty folder/],
      [['export', '-w', join(t.dir, 'missing.sqlite'), '--format', 'sft', '--out', join(t.dir, 'y')], 1, /no workspace at/],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
