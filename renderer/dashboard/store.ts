/** The dashboard's scope (kept while the reviewer drills down to the desk and comes back). */
import { create } from 'zustand';
import type { MetricFilter } from '../../electron/shared/contract.ts';

export type DimKey = 'route' | 'policy' | 'detector' | 'model' | 'version' | 'deployment' | 'reviewer';

interface DashboardState {
  /** null until the data's extent is known (the range then defaults to it). */
  filter: MetricFilter | null;
  setFilter(patch: Partial<MetricFilter>): void;
  setDim(key: DimKey, value: string | null): void;
  init(filter: MetricFilter): void;
}

export const useDashboard = create<DashboardState>()((set) => ({
  filter: null,
  setFilter: (patch) => set((s) => (s.filter ? { filter: { ...s.filter, ...patch } } : s)),
  setDim: (key, value) =>
    set((s) => {
      if (!s.filter) return s;
      const next = { ...s.filter };
      if (value === null) delete next[key];
      else next[key] = value;
      return { filter: next };
    }),
  init: (filter) => set((s) => (s.filter ? s : { filter })),
}));
