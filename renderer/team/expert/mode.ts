/** Which team screen is shown: the review desk or, by role, adjudication, the expert pool, the lead's view. */
import { create } from 'zustand';

export type TeamMode = 'review' | 'adjudication' | 'expert' | 'lead';

export const MODES_BY_ROLE: Record<string, TeamMode[]> = {
  reviewer: ['review'],
  adjudicator: ['review', 'adjudication'],
  expert: ['review', 'expert'],
  lead: ['review', 'adjudication', 'expert', 'lead'],
};

export const MODE_LABEL: Record<TeamMode, string> = { review: 'Review', adjudication: 'Adjudication', expert: 'Expert pool', lead: 'Lead' };

export const useTeamMode = create<{ mode: TeamMode; setMode(m: TeamMode): void }>((set) => ({
  mode: 'review',
  setMode: (mode) => set({ mode }),
}));
