/** The export form's draft: UI state, kept while the screen is closed so nothing is retyped. */
import { create } from 'zustand';
import { DEFAULT_DRAFT, type ExportDraft } from './model.ts';

interface ExportFormState {
  draft: ExportDraft;
  edit(patch: Partial<ExportDraft>): void;
  /** Back to the defaults, keeping the output folder. */
  reset(): void;
}

export const useExportForm = create<ExportFormState>()((set) => ({
  draft: DEFAULT_DRAFT,
  edit: (patch) => set((s) => ({ draft: { ...s.draft, ...patch } })),
  reset: () => set((s) => ({ draft: { ...DEFAULT_DRAFT, out: s.draft.out } })),
}));
