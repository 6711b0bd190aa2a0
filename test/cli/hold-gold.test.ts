/**
 * `verdict hold|release|reopen`, `holds list`, `gold mark|unmark|list` on a real workspace through
 * the built CLI: each write goes through the handlers (audited), reads show it back, usage errors
 * are one line with exit 2, and `audit verify` holds after.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/workspace.ts';

const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;
const t = tempDir('verdict-cli-hold-gold-');
const ws = join(t.dir, 'w.sqlite');

function verdict(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--workspace', ws], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const json = (args: string[]) => {
  const r = verdict([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown> & { [k: string]: unknown };
};

describe('verdict hold / release / reopen / holds / gold', () => {
  afterAll(() => t.cleanup());

  it('holds, releases, reopens and marks gold through the handlers; the audit verifies', () => {
    const file = join(t.dir, 'q.jsonl');
    const rec = (id: string) => JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `question ${id}`, output: `answer ${id}`, route: 'legal' });
    writeFileSync(file, ['held', 'decided', 'golden'].map(rec).join('\n'));
    expect(verdict(['ingest', file]).code).toBe(0);
    const list = json(['items', 'list']) as { items: { id: string; externalId: string }[] };
    const id = Object.fromEntries(list.items.map((i) => [i.externalId, i.id])) as Record<string, string>;

    // Hold with a past review-by date: listed, overdue; release: gone.
    const hold = json(['hold', id.held!, '--reason', 'waiting for counsel', '--review-by', '2020-01-02']) as { kind: string; dueAt: string };
    expect(hold).toMatchObject({ kind: 'hold', dueAt: '2020-01-02T00:00:00.000Z' });
    const holds = json(['holds', 'list']) as { holds: { itemId: string; reason: string; overdue: boolean }[] };
    expect(holds.holds).toEqual([expect.objectContaining({ itemId: id.held, reason: 'waiting for counsel', overdue: true })]);
    const text = verdict(['holds', 'list']);
    expect(text.stdout).toMatch(/^ITEM\s+ROUTE\s+REVIEW BY/);
    expect(text.stdout).toContain('OVERDUE');
    expect(json(['release', id.held!])).toMatchObject({ kind: 'release' });
    expect((json(['holds', 'list']) as { holds: unknown[] }).holds).toEqual([]);

    // Reopen a decided item (a verdict imported for it first).
    const verdicts = join(t.dir, 'v.jsonl');
    writeFileSync(verdicts, `${JSON.stringify({ item_id: 'decided', reviewer: 'ana', decision: 'violation', labels: ['S2'], decided_at: '2026-11-02T09:00:00Z' })}\n`);
    expect(verdict(['verdicts', 'import', verdicts]).code).toBe(0);
    expect(json(['reopen', id.decided!, '--reason', 'new guidance'])).toMatchObject({ kind: 'reopen', reason: 'new guidance' });

    // Gold: mark, list (with labels), unmark.
    expect(json(['gold', 'mark', id.golden!, '--decision', 'violation', '--labels', 'S2, S9'])).toMatchObject({ kind: 'gold' });
    const gold = json(['gold', 'list']) as { items: { itemId: string; decision: string; labels: string[] }[] };
    expect(gold.items).toEqual([expect.objectContaining({ itemId: id.golden, decision: 'violation', labels: ['S2', 'S9'] })]);
    expect(verdict(['gold', 'list']).stdout).toContain('violation S2,S9');
    json(['gold', 'unmark', id.golden!]);
    expect((json(['gold', 'list']) as { items: unknown[] }).items).toEqual([]);

    expect(json(['audit', 'verify'])).toMatchObject({ ok: true });
  });

  it('gold rate sets, lists and takes away per-route rates through expert settings, each change audited', () => {
    const size = () => (json(['audit', 'head']) as { size: number }).size;
    expect(verdict(['gold', 'rate']).stdout).toContain('no gold rates');
    const before = size();
    expect(json(['gold', 'rate', 'legal', '5%'])).toMatchObject({ route: 'legal', rate: 0.05, was: null });
    expect(json(['gold', 'rate', 'clinical', '0.02'])).toMatchObject({ route: 'clinical', rate: 0.02, goldRates: { legal: 0.05, clinical: 0.02 } });
    expect(size()).toBe(before + 2); // one settings.changed event per change
    // The rate the queue uses is the one the expert settings hold (what the app's settings show).
    expect(json(['gold', 'rate'])).toEqual({ goldRates: { legal: 0.05, clinical: 0.02 } });
    const text = verdict(['gold', 'rate']).stdout;
    expect(text).toMatch(/^ROUTE\s+GOLD RATE/);
    expect(text).toContain('5% (about 1 item in 20)');
    expect(text.indexOf('clinical')).toBeLessThan(text.indexOf('legal'));
    expect(verdict(['gold', 'rate', 'legal', '0.1']).stdout).toContain('gold rate on route legal: 10% (about 1 item in 10) (was 5% (about 1 item in 20))');
    expect(json(['gold', 'rate', 'clinical', 'off'])).toMatchObject({ rate: null, was: 0.02, goldRates: { legal: 0.1 } });
    expect(json(['gold', 'rate', 'legal', '0'])).toMatchObject({ rate: null, goldRates: {} });
    expect(size()).toBe(before + 5);
    // Bad rates write nothing.
    for (const args of [['gold', 'rate', 'legal'], ['gold', 'rate', 'legal', '2'], ['gold', 'rate', 'legal', '-1%'], ['gold', 'rate', 'legal', '150%'], ['gold', 'rate', 'legal', 'half'], ['gold', 'rate', 'a', '1', 'extra']]) {
      const r = verdict(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(verdict(['gold', 'rate', 'legal', 'half']).stderr).toMatch(/RATE must be a share from 0 to 1 \(0\.05\), a percentage from 0% to 100% \(5%\) or "off", got "half"/);
    expect(size()).toBe(before + 5);
    expect(json(['audit', 'verify'])).toMatchObject({ ok: true });
  });

  it('usage mistakes are one line with exit 2 and write nothing', () => {
    for (const args of [
      ['hold', 'x', '--reason', 'r'],
      ['hold', 'x', '--reason', 'r', '--review-by', 'next week'],
      ['reopen', 'x'],
      ['gold', 'mark', 'x', '--decision', 'maybe'],
      ['gold', 'frobnicate'],
      ['holds'],
    ]) {
      const r = verdict(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
