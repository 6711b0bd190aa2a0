/** After the core says the workspace changed: reload the queue pages and the item on screen. */
import { useEffect } from 'react';
import { invalidateItems } from '../item/queries.ts';
import { queueStore } from '../queue/store.ts';
import { useUi } from '../state/ui.ts';
import { onChanged } from './changes.ts';

export function useChangeRefresh(): void {
  useEffect(
    () =>
      onChanged(() => {
        queueStore.refresh();
        invalidateItems(useUi.getState().selectedId);
      }),
    [],
  );
}
