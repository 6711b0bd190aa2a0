/**
 * Loads a value for a key; a new key (or a new `version`) loads again while the last value
 * stays visible (`stale`), so panels never blink empty on refresh.
 */
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from './format.ts';

export interface AsyncState<T> {
  data: T | undefined;
  error: string | undefined;
  /** True until the value for the current key has arrived. */
  loading: boolean;
}

export function useAsync<T>(key: string | null, load: () => Promise<T>): AsyncState<T> {
  const [state, setState] = useState<{ key: string | null; data?: T; error?: string }>({ key: null });
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    if (key === null) return;
    let alive = true;
    loadRef.current().then(
      (data) => alive && setState({ key, data }),
      (err: unknown) => alive && setState((s) => ({ key, data: s.data, error: errorMessage(err) })),
    );
    return () => {
      alive = false;
    };
  }, [key]);
  return { data: state.data, error: state.key === key ? state.error : undefined, loading: key !== null && state.key !== key };
}
