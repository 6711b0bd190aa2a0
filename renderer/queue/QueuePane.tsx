import { Alert, Loader, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useNow } from '../lib/time.ts';
import { useUi } from '../state/ui.ts';
import { QueueFilters } from './QueueFilters.tsx';
import { QueueRowView, ROW_HEIGHT } from './QueueRowView.tsx';
import { toApiFilter } from './queries.ts';
import { prefetchAfter } from './navigation.ts';
import { queueStore, useQueue } from './store.ts';
import classes from './Queue.module.css';

export function QueuePane() {
  const filter = useUi((s) => s.filter);
  const selectedId = useUi((s) => s.selectedId);
  const select = useUi((s) => s.select);
  const apiFilter = useMemo(() => toApiFilter(filter), [filter]);
  const q = useQueue();
  const now = useNow();
  const scrollRef = useRef<HTMLDivElement>(null);
  const selectRow = useCallback((id: string) => select(id, queueStore.indexOf(id)), [select]);

  useEffect(() => {
    queueStore.setFilter(apiFilter);
  }, [apiFilter]);

  // A new filter's first page is in: if the selection is not part of it, start on its first row.
  const autoSelectedFor = useRef<string | null>(null);
  useEffect(() => {
    if (!q.ready || autoSelectedFor.current === q.filterKey) return;
    autoSelectedFor.current = q.filterKey;
    const current = useUi.getState().selectedId;
    if (q.rows[0] && (!current || !q.rows.some((r) => r.id === current))) select(q.rows[0].id, 0);
  }, [q.ready, q.filterKey, q.rows, select]);

  // An empty queue shows nothing to decide: no stale item with a live Submit button.
  useEffect(() => {
    if (q.ready && !q.error && q.rows.length === 0 && !q.next && useUi.getState().selectedId) select(null);
  }, [q.ready, q.error, q.rows.length, q.next, select]);

  const count = q.rows.length + (q.next ? 1 : 0);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read fresh each render on purpose
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => q.rows[i]?.id ?? `loader-${i}`,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1]!.index : -1;

  // Keyset paging: load the next page as the end comes into view.
  useEffect(() => {
    if (q.next && lastIndex >= q.rows.length - 20) queueStore.loadMore();
  }, [lastIndex, q.next, q.rows.length]);

  // Keep the selection in view (j/k, after a verdict).
  const selectedIndex = useMemo(() => (selectedId ? q.rows.findIndex((r) => r.id === selectedId) : -1), [q.rows, selectedId]);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  useEffect(() => {
    if (selectedId) prefetchAfter(selectedId);
  }, [selectedId, q.rows]);

  return (
    <aside className="pane pane-queue" aria-label="Queue" data-testid="queue-pane">
      <QueueFilters />
      {q.error && (
        <Alert color="red" variant="light" m="xs" title="The queue could not load">
          {q.error}
        </Alert>
      )}
      <div
        ref={scrollRef}
        className={`scroll-y ${classes.list}`}
        // A listbox needs options: an empty queue is a plain region. Focusable, so it scrolls by keyboard too.
        role={q.rows.length > 0 ? "listbox" : undefined}
        tabIndex={0}
        aria-label="Queue items"
        data-testid="queue-list"
        data-ready={q.ready ? 'true' : 'false'}
        data-count={q.rows.length}
      >
        {q.ready && q.rows.length === 0 && !q.error && (
          <div className={classes.empty} data-testid="queue-empty">
            <Text size="sm" fw={600}>
              Nothing matches
            </Text>
            <Text size="xs" c="dimmed">
              No items with these filters. Widen the status or clear the search.
            </Text>
          </div>
        )}
        {!q.ready && q.rows.length === 0 && (
          <div className={classes.empty}>
            <Loader size="sm" type="dots" />
          </div>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', opacity: q.ready ? 1 : 0.55 }}>
          {items.map((vi) => {
            const row = q.rows[vi.index];
            return (
              <div
                key={vi.key}
                className={classes.slot}
                style={{ transform: `translateY(${vi.start}px)`, height: vi.size }}
                data-index={vi.index}
              >
                {row ? (
                  <QueueRowView row={row} selected={row.id === selectedId} now={now} onSelect={selectRow} />
                ) : (
                  <div className={classes.loaderRow}>
                    <Loader size="xs" type="dots" />
                    <Text size="xs" c="dimmed">
                      Loading more…
                    </Text>
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </aside>
  );
}
