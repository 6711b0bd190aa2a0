/** Which verdict rows are still in force, mirroring the core's rule (db/queries/verdicts.ts). */
import type { VerdictRow } from '../../electron/shared/contract.ts';

export function inForceIds(verdicts: VerdictRow[]): Set<string> {
  const byId = new Map(verdicts.map((v) => [v.id, v]));
  const supersededBy = new Map<string, VerdictRow[]>();
  for (const v of verdicts) {
    if (!v.supersedes) continue;
    const list = supersededBy.get(v.supersedes) ?? [];
    list.push(v);
    supersededBy.set(v.supersedes, list);
  }
  const undone = (v: VerdictRow) => (supersededBy.get(v.id) ?? []).some((u) => u.kind === 'undo');
  const out = new Set<string>();
  for (const v of verdicts) {
    if (v.kind === 'undo') continue;
    const live = (supersededBy.get(v.id) ?? []).filter((u) => !undone(u) || u.kind === 'undo');
    if (live.length === 0 && byId.has(v.id)) out.add(v.id);
  }
  return out;
}

/** The core refuses to amend a row that anything supersedes, even an undone amendment. */
export function canAmend(v: VerdictRow, verdicts: VerdictRow[], inForce: Set<string>): boolean {
  return v.kind !== 'undo' && inForce.has(v.id) && !verdicts.some((u) => u.supersedes === v.id);
}
