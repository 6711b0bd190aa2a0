/**
 * Bench phases for issue 9 (trust):
 * - `trust-replay`: `audit verify` on the bench workspace, by stage: quick_check of every page,
 *   the hash chain recomputed, the state tables replayed against the log.
 * - `trust-submit`: a reviewer's submits (the app's handler) in a loop while a CLI `ingest` of
 *   50,000 records writes to the same workspace: latency p50/p95/max, failures, the ingest's exit.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TreeHead } from '../electron/core/audit/merkle.ts';
import { verifyState } from '../electron/core/audit/replay.ts';
import { verifyWorkspace } from '../electron/core/audit/verify-workspace.ts';
import { ReviewService } from '../electron/core/review/verdicts.ts';
import { config } from '../electron/core/config.ts';
import { quickCheck } from '../db/queries/integrity.ts';
import { openWorkspace } from '../electron/core/workspace/open.ts';
import { threadTime } from '../electron/core/workspace/thread-time.ts';
import { lastWriteTiming } from '../electron/core/workspace/write-lock.ts';
import type { PhaseResult } from './bench.ts';
import { percentile } from './phases.ts';

const BIN = (): string => join(config().root, 'electron', 'cli', 'bin.mjs');

/** Where `trust-replay` saves the head it verified, for `trust-incremental` after more writes. */
const headFile = (dir: string) => join(dir, 'trust-head.json');

function replay(workspace: string, dir: string): PhaseResult {
  const ws = openWorkspace(workspace, { create: false, readonly: true });
  try {
    let t = performance.now();
    const lap = () => {
      const s = (performance.now() - t) / 1000;
      t = performance.now();
      return s;
    };
    const damage = quickCheck(ws.sqlite);
    const quickCheckSeconds = lap();
    const chain = ws.audit.verify();
    const chainSeconds = lap();
    const state = verifyState(ws.sqlite);
    const stateSeconds = lap();
    if (chain.ok && state.ok) writeFileSync(headFile(dir), JSON.stringify(chain.head));
    return {
      fileMb: Math.round(statSync(workspace).size / 1e6),
      events: chain.head.size,
      ok: damage === null && chain.ok && state.ok,
      problem: damage ?? (chain.ok ? (state.ok ? null : state.mismatch.reason) : chain.reason),
      items: state.counts.items,
      revisions: state.counts.revisions,
      verdicts: state.counts.verdicts,
      quickCheckSeconds,
      chainSeconds,
      stateSeconds,
    };
  } finally {
    ws.close();
  }
}

export async function submitUnderIngest(workspace: string, input: string): Promise<PhaseResult> {
  const ws = openWorkspace(workspace, { create: false });
  try {
    const items = ws.sqlite.prepare('SELECT id FROM items ORDER BY seq LIMIT 5000').pluck().all() as string[];
    const review = new ReviewService(ws);
    lastWriteTiming.detailed = true;
    const commitDisk: number[] = [];
    const t0 = performance.now();
    let ingestSeconds = 0;
    let exit: number | null = null;
    let stderr = '';
    const child = spawn(process.execPath, [BIN(), 'ingest', input, '--workspace', workspace, '--name', `bench-concurrent-${Date.now()}`, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<void>((resolve) =>
      child.on('close', (code) => {
        exit = code;
        ingestSeconds = (performance.now() - t0) / 1000;
        resolve();
      }),
    );
    let finished = false;
    void done.then(() => (finished = true));
    const waits: number[] = [];
    const lockWaits: number[] = [];
    const bodies: number[] = [];
    const commits: number[] = [];
    // The reviewer thread's own kernel clock per submit: on a CPU, and runnable but waiting for one.
    const cpus: number[] = [];
    const runQueues: number[] = [];
    const unloaded: number[] = [];
    let failures = 0;
    let n = 0;
    while (!finished) {
      const started = performance.now();
      const t0 = threadTime();
      try {
        review.submit({ itemId: items[n % items.length]!, decision: n % 2 ? 'dismiss' : 'violation', reviewer: 'bench-concurrent' });
        lockWaits.push(lastWriteTiming.waitMs);
        bodies.push(lastWriteTiming.bodyMs);
        commits.push(lastWriteTiming.commitMs);
        commitDisk.push(lastWriteTiming.commitMs - lastWriteTiming.commitCpuMs - lastWriteTiming.commitRunQueueMs);
      } catch {
        failures++;
      }
      const wall = performance.now() - started;
      const t1 = threadTime();
      waits.push(wall);
      if (t0 && t1) {
        cpus.push(t1.cpuMs - t0.cpuMs);
        runQueues.push(t1.runQueueMs - t0.runQueueMs);
        unloaded.push(wall - (t1.runQueueMs - t0.runQueueMs));
      }
      n++;
      // A reviewer does not submit back to back: ~20 submits a second.
      await new Promise((r) => setTimeout(r, 50));
    }
    await done;
    const gaveWay = (() => {
      try {
        return (JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { gave_way?: Record<string, number> }).gave_way ?? {};
      } catch {
        return {};
      }
    })();
    return {
      submits: waits.length,
      failures,
      submitP50: percentile(waits, 50),
      submitP95: percentile(waits, 95),
      submitMax: Math.max(...waits),
      firstSubmit: waits[0] ?? null,
      lockWaitP95: percentile(lockWaits, 95),
      bodyP95: percentile(bodies, 95),
      commitP95: percentile(commits, 95),
      bodyMax: Math.max(...bodies),
      commitMax: Math.max(...commits),
      commitBlockedP95: percentile(commitDisk, 95),
      cpuP95: percentile(cpus, 95),
      runQueueP95: percentile(runQueues, 95),
      submitLessRunQueueP95: percentile(unloaded, 95),
      ...Object.fromEntries(Object.entries(gaveWay).map(([k, v]) => [`ingest_${k}`, v])),
      ingestExit: exit,
      ingestStderr: stderr.trim().split('\n')[0] ?? '',
      ingestSeconds,
    };
  } finally {
    ws.close();
  }
}

/** `audit verify --head --incremental` from the head `trust-replay` saved. */
function incremental(workspace: string, dir: string): PhaseResult {
  const saved = JSON.parse(readFileSync(headFile(dir), 'utf8')) as TreeHead;
  const ws = openWorkspace(workspace, { create: false, readonly: true });
  try {
    const t0 = performance.now();
    const res = verifyWorkspace(ws, saved, { incremental: true });
    return {
      ok: res.ok,
      problem: res.ok ? null : res.reason,
      fromEvent: saved.size,
      toEvent: res.ok ? res.head.size : null,
      items: res.ok ? res.counts.items : null,
      revisions: res.ok ? res.counts.revisions : null,
      verdicts: res.ok ? res.counts.verdicts : null,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    ws.close();
  }
}

export async function trustPhase(phase: string, o: { workspace: string; input: string; dir: string }): Promise<PhaseResult> {
  if (phase === 'trust-replay') return replay(o.workspace, o.dir);
  if (phase === 'trust-incremental') return incremental(o.workspace, o.dir);
  if (phase === 'trust-submit') return submitUnderIngest(o.workspace, o.input);
  throw new Error(`unknown bench phase "${phase}"`);
}
