import { Kbd, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useUi } from '../state/ui.ts';

/** Full-text search over the queue, debounced ~150 ms; `/` focuses it. */
export function SearchBox() {
  const setFilter = useUi((s) => s.setFilter);
  const [value, setValue] = useState(() => useUi.getState().filter.search);
  const [debounced] = useDebouncedValue(value, 150);
  useEffect(() => {
    setFilter({ search: debounced });
  }, [debounced, setFilter]);
  return (
    <TextInput
      id="queue-search"
      data-testid="queue-search"
      aria-label="Search the queue"
      placeholder="Search text, ids, flags, evidence titles…"
      size="xs"
      value={value}
      onChange={(e) => setValue(e.currentTarget.value)}
      leftSection={
        <svg width="13" height="13" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          <circle cx="11" cy="11" r="6.5" />
          <path d="m20 20-4.2-4.2" strokeLinecap="round" />
        </svg>
      }
      rightSection={<Kbd>/</Kbd>}
      rightSectionPointerEvents="none"
    />
  );
}
