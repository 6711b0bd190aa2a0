import type { ItemView } from '../../electron/shared/contract.ts';

/** The id of the revision the item is at now (what a verdict must name). */
export function currentRevisionId(view: ItemView): string | null {
  const r = view.item.revisions.find((x) => x.revision === view.item.revision) ?? view.item.revisions[view.item.revisions.length - 1];
  return r ? r.id : null;
}
