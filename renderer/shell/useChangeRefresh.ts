/** After the core says the workspace changed: reload the queue pages and the item on screen. */
import { useEffect } from 'react';
import { invalidateItems, markItemsStale } from '../item/queries.ts';
import { queueStore } from '../queue/store.ts';
import { useUi } from '../state/ui.ts';
import { onChanged } from './changes.ts';

export function useChangeRefresh(): void {
  useEffect(
    () =>
      onChanged((reasons) => {
        queueStore.refresh();
        const selected = useUi.getState().selectedId;
        if (reasons.every((r) => r === 'verdict' || r === 'local')) markItemsStale(selected);
        else invalidateItems(selected);
      }),
    [],
  );
}
