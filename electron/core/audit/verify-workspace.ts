/**
 * `audit verify`: the file's pages (SQLite quick_check), the log's hash chain (and, given a saved
 * head, that the log still extends it), then the state tables replayed against the log.
 */
import type { TreeHead } from './merkle.ts';
import { verifyState, type StateCounts, type StateMismatch } from './replay.ts';
import type { Workspace } from '../workspace/open.ts';
import { quickCheck } from '../../../db/queries/integrity.ts';

export type WorkspaceCheck =
  | { ok: true; head: TreeHead; counts: StateCounts; seconds: { integrity: number; chain: number; state: number } }
  | {
      ok: false;
      stage: 'integrity' | 'chain' | 'state';
      reason: string;
      badEvent: number | null;
      mismatch?: StateMismatch;
      head?: TreeHead;
    };

/**
 * With `incremental` (and a head saved after a full verify), the check covers what happened since
 * that head: the stored leaf hashes must still fold to it, later events are recomputed, and the
 * rows they describe replayed; the pages are not read (quick_check reads them all).
 */
export function verifyWorkspace(ws: Workspace, saved?: TreeHead, options: { incremental?: boolean } = {}): WorkspaceCheck {
  const incremental = options.incremental === true && saved !== undefined;
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const s = (now - t) / 1000;
    t = now;
    return s;
  };
  const damage = incremental ? null : quickCheck(ws.sqlite);
  if (damage) return { ok: false, stage: 'integrity', reason: `the workspace file is damaged: ${damage}`, badEvent: null };
  const integrity = lap();
  const chain = ws.audit.verify(saved, { incremental });
  if (!chain.ok) return { ok: false, stage: 'chain', reason: chain.reason, badEvent: chain.badSeq, head: chain.head };
  const chainSeconds = lap();
  const state = verifyState(ws.sqlite, incremental ? saved.size : 0);
  if (!state.ok) return { ok: false, stage: 'state', reason: state.mismatch.reason, badEvent: state.mismatch.event, mismatch: state.mismatch, head: chain.head };
  return { ok: true, head: chain.head, counts: state.counts, seconds: { integrity, chain: chainSeconds, state: lap() } };
}
