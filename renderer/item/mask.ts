/**
 * Wellbeing masking on the desk: whether the open item's content is masked (the handlers decide,
 * from the expert settings: `item.actions` → masked), what this session has revealed, and the
 * reviewer's exposure count after the last reveal (for the break reminder). Content stays hidden
 * until the answer is known, so a slow call never flashes the text.
 */
import { create } from 'zustand';
import type { WellbeingView } from '../../electron/shared/contract.ts';
import { emitAppEvent } from '../lib/appEvents.ts';
import { fetchItemActions, revealItem } from '../expert/queries.ts';
import { useUi } from '../state/ui.ts';

interface MaskState {
  /** itemId → why it opens masked (null: not masked); absent while the answer is on its way. */
  reason: Record<string, string | null>;
  revealed: Record<string, true>;
  wellbeing: WellbeingView | null;
  revealError: string | null;
}

export const useMask = create<MaskState>(() => ({ reason: {}, revealed: {}, wellbeing: null, revealError: null }));

const inflight = new Set<string>();

/** Ask once per item and session; an item whose answer failed to load stays masked (fail closed). */
export function loadMask(itemId: string): void {
  if (itemId in useMask.getState().reason || inflight.has(itemId)) return;
  inflight.add(itemId);
  fetchItemActions(itemId)
    .then((r) => useMask.setState((s) => ({ reason: { ...s.reason, [itemId]: r.masked } })))
    .catch(() => useMask.setState((s) => ({ reason: { ...s.reason, [itemId]: 'the masking settings could not be read' } })))
    .finally(() => inflight.delete(itemId));
}

/** Reveal an item: shown at once (never blocked), the reveal recorded by the handler (audited). */
export async function revealMasked(itemId: string): Promise<void> {
  const s = useMask.getState();
  if (!s.reason[itemId] || s.revealed[itemId]) return;
  useMask.setState({ revealed: { ...s.revealed, [itemId]: true }, revealError: null });
  try {
    const wellbeing = await revealItem(itemId);
    useMask.setState({ wellbeing });
    emitAppEvent('verdict:item-revealed', { id: itemId, reveals: wellbeing.reveals, breakDue: wellbeing.breakDue });
  } catch (e) {
    useMask.setState({ revealError: e instanceof Error ? e.message : String(e) });
    emitAppEvent('verdict:item-revealed', { id: itemId, error: true });
  }
}

/** The `o` key on the desk. */
export function revealSelected(): boolean {
  const id = useUi.getState().selectedId;
  if (!id) return false;
  void revealMasked(id);
  return true;
}
