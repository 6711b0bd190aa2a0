import { Kbd } from '@mantine/core';
import { Fragment } from 'react';

/** Kbd chips for a shortcut: together ("Ctrl" + "Enter") or in sequence ("g" then "w"). */
export function KeyHint({
  keys,
  sequence = false,
  joiner,
  size = 'xs',
}: {
  keys: string[];
  sequence?: boolean;
  /** What stands between keys; by default "+" (together) or "then" (sequence). */
  joiner?: string;
  size?: 'xs' | 'sm';
}) {
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 3, whiteSpace: 'nowrap' }}>
      {keys.map((k, i) => (
        <Fragment key={`${k}-${i}`}>
          {i > 0 && <span style={{ fontSize: 10, opacity: 0.6 }}>{joiner ?? (sequence ? 'then' : '+')}</span>}
          <Kbd size={size}>{k}</Kbd>
        </Fragment>
      ))}
    </span>
  );
}
