/** How each outcome of a team verdict is named and coloured (the state itself comes from the core). */
import type { TeamBatchView } from '../../electron/shared/contract.ts';

export function stateLabel(b: TeamBatchView): string {
  switch (b.state) {
    case 'claimed':
      return 'to review';
    case 'pending':
      return 'waiting to send';
    case 'accepted':
      return 'accepted';
    case 'refused':
      if (b.reasonCode === 'withdrawn') return 'refused: escalated or held';
      return b.reasonCode === 'reassigned' ? 'refused: reassigned' : 'refused';
    case 'expired':
      if (b.reasonCode === 'reassigned') return b.decision ? 'refused: reassigned' : 'reassigned';
      if (b.reasonCode === 'withdrawn') return 'escalated or held';
      return b.decision ? 'refused: lease expired' : 'lease expired';
    case 'released':
      return 'given back';
  }
}

export const STATE_COLOR: Record<TeamBatchView['state'], string> = {
  claimed: 'blue',
  pending: 'yellow',
  accepted: 'teal',
  refused: 'red',
  expired: 'orange',
  released: 'gray',
};
