/**
 * UI state only: what is selected, filtered, open and being drafted. Rows and items are
 * fetched by their features and never copied here.
 */
import { create } from 'zustand';
import type { ItemStatus, MetricCell } from '../../electron/shared/contract.ts';
import { holdUntilPainted } from '../lib/paintGate.ts';

export interface QueueFilterState {
  status: ItemStatus[];
  priority: number[];
  route: string[];
  flagCategory: string | null;
  flagPolicy: string | null;
  model: string | null;
  /** provenance.deployment (the dashboard's deployments). */
  deployment: string | null;
  /** yyyy-mm-dd, inclusive, local time. */
  from: string | null;
  to: string | null;
  search: string;
  /** A drill-down from the oversight dashboard: exactly the items behind one number. */
  oversight: { cell: MetricCell; label: string } | null;
}

/** Skipped items are open too; the queue lists them after the rest (db/queries/items.ts). */
export const OPEN_STATUSES: ItemStatus[] = ['new', 'in_review', 'conflict', 'skipped'];

export const DEFAULT_FILTER: QueueFilterState = {
  status: OPEN_STATUSES,
  priority: [],
  route: [],
  flagCategory: null,
  flagPolicy: null,
  model: null,
  deployment: null,
  from: null,
  to: null,
  search: '',
  oversight: null,
};

export type ExpertTab = 'adjudication' | 'agreement' | 'holds' | 'gold' | 'overturns';

export type ItemTab = 'conversation' | 'flags' | 'evidence' | 'provenance' | 'history';
export const ITEM_TABS: ItemTab[] = ['conversation', 'flags', 'evidence', 'provenance', 'history'];

interface UiState {
  selectedId: string | null;
  /** Index of the selection in the queue when it was made (j/k keep their place if it drops out). */
  anchorIndex: number;
  filter: QueueFilterState;
  filtersOpen: boolean;
  itemTab: ItemTab;
  markdown: boolean;
  helpOpen: boolean;
  workspaceOpen: boolean;
  exportOpen: boolean;
  /** A link the reviewer asked to open: shown in a confirmation modal first. */
  pendingLink: string | null;
  /** The review desk, or the oversight dashboard. */
  view: 'desk' | 'dashboard' | 'team' | 'expert';
  setView(view: 'desk' | 'dashboard' | 'team' | 'expert'): void;
  /** The expert-review view's tab. */
  expertTab: ExpertTab;
  setExpertTab(tab: ExpertTab): void;
  /** Opens the desk on the items behind a dashboard number. */
  drillDown(cell: MetricCell, label: string): void;
  select(id: string | null, index?: number): void;
  setFilter(patch: Partial<QueueFilterState>): void;
  resetFilters(): void;
  setFiltersOpen(open: boolean): void;
  setItemTab(tab: ItemTab): void;
  setMarkdown(on: boolean): void;
  setHelpOpen(open: boolean): void;
  setWorkspaceOpen(open: boolean): void;
  setExportOpen(open: boolean): void;
  setPendingLink(url: string | null): void;
}

export const useUi = create<UiState>()((set, get) => ({
  selectedId: null,
  anchorIndex: 0,
  filter: DEFAULT_FILTER,
  filtersOpen: false,
  itemTab: 'conversation',
  markdown: false,
  helpOpen: false,
  workspaceOpen: false,
  exportOpen: false,
  pendingLink: null,
  view: 'desk',
  setView: (view) => set({ view }),
  expertTab: 'adjudication',
  setExpertTab: (expertTab) => set({ expertTab }),
  // A number scoped to a deployment lands on a queue filtered by it too: clearing the drill-down
  // keeps the deployment's items in view.
  drillDown: (cell, label) =>
    set({ view: 'desk', selectedId: null, filter: { ...DEFAULT_FILTER, status: [], deployment: cell.deployment ?? null, oversight: { cell, label } } }),
  select: (id, index) => {
    // Refreshes and prefetches wait until the newly selected item has painted.
    if (id !== null && id !== get().selectedId) holdUntilPainted();
    set((s) => ({ selectedId: id, anchorIndex: index ?? s.anchorIndex }));
  },
  setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
  resetFilters: () => set((s) => ({ filter: { ...DEFAULT_FILTER, search: s.filter.search } })),
  setFiltersOpen: (filtersOpen) => set({ filtersOpen }),
  setItemTab: (itemTab) => set({ itemTab }),
  setMarkdown: (markdown) => set({ markdown }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setWorkspaceOpen: (workspaceOpen) => set({ workspaceOpen }),
  setExportOpen: (exportOpen) => set({ exportOpen }),
  setPendingLink: (pendingLink) => set({ pendingLink }),
}));
