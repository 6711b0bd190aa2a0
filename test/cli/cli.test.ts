import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/workspace.ts';

const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;
const t = tempDir();
const ws = join(t.dir, 'w.sqlite');

function verdict(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('verdict CLI', () => {
  afterAll(() => t.cleanup());

  it('ingest --json prints the summary object; stats and items list read it back', () => {
    const file = join(t.dir, 'q.jsonl');
    writeFileSync(file, ['{"id":"a","created_at":"2026-11-01T00:00:00Z","input":"hi","priority":"high"}', 'nope', '{"id":"b","created_at":"2026-11-02T00:00:00Z","input":"yo"}'].join('\n'));
    const r = verdict(['ingest', file, '--workspace', ws, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ read: 3, ingested: 2, duplicates: 0, revisions: 0, quarantined: 1 });
    const stats = JSON.parse(verdict(['stats', '--workspace', ws, '--json']).stdout);
    expect(stats).toMatchObject({ items: 2, quarantined: 1, status: { new: 2 } });
    const list = JSON.parse(verdict(['items', 'list', '--workspace', ws, '--json', '--limit', '1']).stdout);
    expect(list.items[0].externalId).toBe('a');
    expect(typeof list.next).toBe('string');
    const page2 = JSON.parse(verdict(['items', 'list', '--workspace', ws, '--json', '--after', list.next]).stdout);
    expect(page2.items.map((i: { externalId: string }) => i.externalId)).toEqual(['b']);
    const q = JSON.parse(verdict(['quarantine', 'list', '--workspace', ws, '--json']).stdout);
    expect(q[0]).toMatchObject({ line: 2, error: expect.stringMatching(/invalid JSON/) });
    const shown = JSON.parse(verdict(['items', 'show', 'a', '--workspace', ws, '--json']).stdout);
    expect(shown.record.input.messages[0].content).toBe('hi');
  });

  it('reads stdin with "-"', () => {
    const r = verdict(['ingest', '-', '--workspace', ws, '--json', '--name', 'pipe'], '{"id":"s1","created_at":"2026-11-01T00:00:00Z","input":"x"}\n');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ingested: 1 });
  });

  it('audit head, verify, proof; a tampered log fails verification with exit 1', () => {
    const head = verdict(['audit', 'head', '--workspace', ws, '--json']);
    expect(head.code).toBe(0);
    expect(head.stdout.trim()).toMatch(/^\{"size":\d+,"root":"[0-9a-f]{64}"\}$/);
    const headFile = join(t.dir, 'head.json');
    writeFileSync(headFile, head.stdout);
    expect(verdict(['audit', 'verify', '--workspace', ws, '--head', headFile]).code).toBe(0);
    const proof = JSON.parse(verdict(['audit', 'proof', '--leaf', '1', '--workspace', ws, '--json']).stdout);
    expect(proof).toMatchObject({ leaf_index: 1, verified: true });
    expect(JSON.parse(verdict(['audit', 'proof', '--from-size', '1', '--workspace', ws, '--json']).stdout).proof.length).toBeGreaterThan(0);

    const db = new Database(ws);
    db.exec("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET body = replace(body, '\"ingested\":2', '\"ingested\":3') WHERE seq = 1");
    db.close();
    const bad = verdict(['audit', 'verify', '--workspace', ws, '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, first_bad_event: 1 });
    const text = verdict(['audit', 'verify', '--workspace', ws]);
    expect(text.code).toBe(1);
    expect(text.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('bad usage exits 2 with one line on stderr; failures exit 1', () => {
    for (const args of [['frobnicate'], ['ingest'], ['items', 'list', '--status', 'nope', '--workspace', ws], ['ingest', 'x', '--bogus'], ['audit', 'proof', '--workspace', ws]]) {
      const r = verdict(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const missing = verdict(['ingest', join(t.dir, 'missing.jsonl'), '--workspace', ws]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
    const nows = verdict(['stats', '--workspace', join(t.dir, 'none.sqlite')]);
    expect(nows.code).toBe(1);
  });

  it('demo --out is deterministic for a seed', () => {
    const a = join(t.dir, 'a.jsonl');
    const b = join(t.dir, 'b.jsonl');
    expect(verdict(['demo', '--count', '50', '--seed', '3', '--out', a]).code).toBe(0);
    expect(verdict(['demo', '--count', '50', '--seed', '3', '--out', b]).code).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a, 'utf8').trim().split('\n')).toHaveLength(50);
    const demoWs = join(t.dir, 'demo.sqlite');
    expect(JSON.parse(verdict(['demo', '--count', '40', '--workspace', demoWs, '--json']).stdout)).toMatchObject({ ingested: 40, quarantined: 0 });
    expect(JSON.parse(verdict(['stats', '--workspace', demoWs, '--json']).stdout)).toMatchObject({ demo: true, items: 40 });
  });

  it('ingest --watch pulls new files as they arrive, and stops cleanly on SIGTERM', async () => {
    const folder = join(t.dir, 'watched');
    mkdirSync(folder);
    writeFileSync(join(folder, '1.jsonl'), '{"id":"w1","created_at":"2026-11-01T00:00:00Z","input":"x"}\n');
    const child = spawn(process.execPath, [BIN, 'ingest', folder, '--watch', '--interval', '1', '--json', '--workspace', join(t.dir, 'watch.sqlite')]);
    const summaries: { ingested: number }[] = [];
    let buf = '';
    const waitFor = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (summaries.length >= n) resolve();
        };
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            summaries.push(JSON.parse(buf.slice(0, i)));
            buf = buf.slice(i + 1);
          }
          check();
        });
        check();
      });
    await waitFor(1);
    expect(summaries[0]).toMatchObject({ ingested: 1 });
    writeFileSync(join(folder, '2.jsonl'), '{"id":"w2","created_at":"2026-11-01T00:00:00Z","input":"y"}\n{"id":"w3","created_at":"2026-11-01T00:00:00Z","input":"z"}\n');
    await waitFor(2);
    expect(summaries[1]).toMatchObject({ ingested: 2 });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
