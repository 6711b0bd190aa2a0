/**
 * Outbox crash safety: a child CLI imports verdicts and delivers them batch by batch
 * (`verdicts import --sync`), and is SIGKILLed at random moments, plus exactly between a
 * commit and its write (`--kill-after-batches`) and between a write and its mark
 * (`sync --kill-after-writes`). After a restart every verdict reaches the results file and,
 * deduplicated by verdict_id, exactly once.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';
import { tempDir } from '../helpers/workspace.ts';
import { CLI, readResults, rec } from './helpers.ts';

const ITEMS = 300;
const N = 1500;
const BATCH = '20';

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RunResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  /** From the child's first append to the results file to its exit (null if it never appended). */
  workMs: number | null;
}

/**
 * Runs the CLI. With `kill`, SIGKILLs it `kill.afterMs` after its first append to `kill.watch`
 * (a loaded machine makes startup times vary too much to aim from the spawn).
 */
function run(args: string[], kill: { watch: string; afterMs: number } | { watch: string } | null = null): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const size = () => {
      try {
        return statSync(kill!.watch).size;
      } catch {
        return 0;
      }
    };
    const initial = kill ? size() : 0;
    let firstWrite: number | null = null;
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.resume();
    child.on('error', reject);
    let timer: NodeJS.Timeout | null = null;
    const poll = kill
      ? setInterval(() => {
          if (firstWrite !== null || size() === initial) return;
          firstWrite = performance.now();
          if ('afterMs' in kill) timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
        }, 2)
      : null;
    child.on('exit', (code, signal) => {
      if (poll) clearInterval(poll);
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, workMs: firstWrite === null ? null : performance.now() - firstWrite });
    });
  });
}

describe('outbox crash safety', () => {
  const t = tempDir('verdict-sync-crash-');
  afterAll(() => t.cleanup());

  it('survives SIGKILL between commit, write and mark at 20+ random moments: every verdict delivered, once after dedupe', async () => {
    const source = join(t.dir, 'queue.jsonl');
    const results = `${source}.verdicts.jsonl`;
    const votes = join(t.dir, 'votes.jsonl');
    const template = join(t.dir, 'template.sqlite');
    const ws = join(t.dir, 'w.sqlite');
    writeFileSync(source, Array.from({ length: ITEMS }, (_, i) => rec(`f${i}`)).join('\n') + '\n');
    const decisions = ['dismiss', 'violation', 'skip', 'escalate'] as const;
    writeFileSync(
      votes,
      Array.from({ length: N }, (_, i) =>
        JSON.stringify({
          item_id: `f${i % ITEMS}`,
          decision: decisions[i % 4],
          ...(i % 4 === 3 ? { route_to: 'legal' } : {}),
          // A false positive carries no labels (the coherence rule): only other decisions get S7.
          labels: i % 5 === 0 && i % 4 !== 0 ? ['S7'] : [],
          reviewer: `r${i % 7}`,
          decided_at: new Date(Date.UTC(2026, 9, 1) + i * 1000).toISOString(),
        }),
      ).join('\n') + '\n',
    );
    {
      const w = openWorkspace(template);
      await ingest(w, { path: source });
      w.close();
    }
    const reset = () => {
      for (const suffix of ['-wal', '-shm']) rmSync(ws + suffix, { force: true });
      copyFileSync(template, ws);
      rmSync(results, { force: true });
    };
    const importArgs = ['verdicts', 'import', votes, '--sync', '--batch-size', BATCH, '--workspace', ws, '--json'];

    /** After any kill: a sound database and log, and nothing marked delivered that is not in the file. */
    const check = () => {
      const db = new Database(ws);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      const w = openWorkspace(ws);
      try {
        expect(w.audit.verify().ok).toBe(true);
        const inFile = new Set(readResults(results).lines.map((l) => l.verdict_id));
        const rows = w.sqlite.prepare('SELECT verdict_id AS id, state FROM outbox').all() as { id: string; state: string }[];
        expect(rows.filter((r) => r.state === 'delivered' && !inFile.has(r.id))).toEqual([]);
        const pending = rows.filter((r) => r.state === 'pending');
        return {
          pending: pending.length,
          writtenNotMarked: pending.filter((r) => inFile.has(r.id)).length,
          verdicts: rows.length,
        };
      } finally {
        w.close();
      }
    };
    const syncArgs = ['sync', '--batch-size', '5', '--workspace', ws, '--json'];
    const backlog = async () => {
      reset();
      expect((await run(['verdicts', 'import', votes, '--batch-size', '250', '--workspace', ws])).code).toBe(0);
    };

    /** Restart after the kills: import to completion, `verdict sync` to completion, then every verdict is in the file once after dedupe. */
    const restartAndVerify = async () => {
      expect((await run(importArgs)).code).toBe(0);
      expect((await run(['sync', '--workspace', ws, '--json'])).code).toBe(0);
      expect(check()).toMatchObject({ pending: 0, verdicts: N });
      const { lines, torn } = readResults(results);
      const w = openWorkspace(ws);
      try {
        const ids = w.sqlite.prepare('SELECT id FROM verdicts ORDER BY seq').pluck().all() as string[];
        expect(ids).toHaveLength(N);
        const byId = new Map<string, string>();
        for (const l of lines) {
          const text = JSON.stringify(l);
          // Every copy of a verdict's line is the same line.
          if (byId.has(l.verdict_id)) expect(byId.get(l.verdict_id)).toBe(text);
          else byId.set(l.verdict_id, text);
        }
        expect(byId.size).toBe(ids.length);
        expect(new Set(ids)).toEqual(new Set(byId.keys()));
        expect(lines.length).toBeGreaterThanOrEqual(N);
        expect(w.sqlite.prepare("SELECT count(*) FROM outbox WHERE state <> 'delivered'").pluck().get()).toBe(0);
        expect(w.sqlite.prepare("SELECT count(*) FROM verdicts WHERE kind <> 'import'").pluck().get()).toBe(0);
        expect(w.audit.verify().ok).toBe(true);
      } finally {
        w.close();
      }
      return { lines: lines.length, torn };
    };

    // Uninterrupted, for timing: kills below land anywhere in a run.
    reset();
    const fullImport = await run(importArgs, { watch: results });
    expect(fullImport.code).toBe(0);
    expect(JSON.parse(fullImport.stdout)).toMatchObject({ read: N, imported: N });
    expect(readResults(results).lines).toHaveLength(N);
    await backlog();
    const fullSync = await run(syncArgs, { watch: results });
    expect(JSON.parse(fullSync.stdout)).toMatchObject({ delivered: N, failed: 0 });

    // Random moments, alternating a child that imports and delivers batch by batch with one that
    // drains a backlog of committed verdicts. A kill "in the window" left committed verdicts
    // undelivered (not yet written, or written but not marked).
    const rand = mulberry32(20261123);
    let kills = 0;
    let inWindow = 0;
    let betweenWriteAndMark = 0;
    let rounds = 0;
    reset();
    for (let round = 0; round < 120 && (kills < 22 || inWindow < 20); round++) {
      const syncRound = round % 2 === 1;
      let before = check();
      if (syncRound && before.pending < 100) {
        await backlog();
        before = check();
      } else if (!syncRound && before.verdicts === N && before.pending === 0) {
        reset();
        before = check();
      }
      // Aim inside what is left to do: the share of the import not yet done, or of the backlog not yet sent.
      const left = syncRound ? before.pending / N : 1 - before.verdicts / N;
      const work = ((syncRound ? fullSync.workMs : fullImport.workMs) ?? 1000) * Math.max(0.05, left);
      rounds++;
      const res = await run(syncRound ? syncArgs : importArgs, { watch: results, afterMs: Math.floor(rand() * work) });
      const after = check();
      if (res.signal === 'SIGKILL') {
        kills++;
        // The kill came after this child's first append, so undelivered rows now mean it died
        // with committed verdicts not yet written, or written and not yet marked.
        if (after.pending > 0) inWindow++;
        if (after.writtenNotMarked > 0) betweenWriteAndMark++;
      } else {
        expect(res.code).toBe(0);
      }
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(inWindow).toBeGreaterThanOrEqual(20);
    const randomLines = await restartAndVerify();

    // Exactly in the windows: die after a commit before its write, then after the write before its mark.
    reset();
    let windows = 0;
    for (let k = 1; k <= 4; k++) {
      const dead = await run([...importArgs, '--kill-after-batches', String(k + 1)]);
      expect(dead.signal).toBe('SIGKILL');
      const afterCommit = check();
      expect(afterCommit.pending).toBe(Number(BATCH));
      expect(afterCommit.writtenNotMarked).toBe(0);
      const dead2 = await run(['sync', '--workspace', ws, '--kill-after-writes', '1']);
      expect(dead2.signal).toBe('SIGKILL');
      const afterWrite = check();
      expect(afterWrite.pending).toBe(Number(BATCH));
      expect(afterWrite.writtenNotMarked).toBe(Number(BATCH));
      windows++;
    }
    expect(windows).toBe(4);

    // Restart: finish the import, then sync to completion.
    const finalLines = await restartAndVerify();
    // The four batches written but not marked were sent again: duplicates the consumer drops.
    expect(finalLines.lines).toBe(N + 4 * Number(BATCH));
    console.log(
      `sync crash: ${rounds} rounds, ${kills} random kills (${inWindow} while committed verdicts awaited delivery, ` +
        `${betweenWriteAndMark} between write and mark; afterwards ${randomLines.lines} lines, ${randomLines.torn} torn, for ${N} verdicts), ` +
        `${windows * 2} exact-window kills (afterwards ${finalLines.lines} lines for ${N} verdicts)`,
    );
  }, 420_000);
});
