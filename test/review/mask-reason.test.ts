import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPERT_SETTINGS, maskReason } from '../../electron/shared/expert-settings.ts';

describe('maskReason', () => {
  const s = { ...DEFAULT_EXPERT_SETTINGS, maskedRoutes: ['clinical'], maskedLabels: ['S1', 'S11'] };
  it('masks by route, by label, and by a detector category whose code is a masked label', () => {
    expect(maskReason(s, 'clinical', [])).toBe('route clinical');
    expect(maskReason(s, 'trust_safety', ['S2', 'S11'])).toBe('S11');
    expect(maskReason(s, 'trust_safety', ['S11: Suicide & Self-Harm'])).toBe('S11');
  });
  it('does not mask other codes, prefixes of a code, or an empty setting', () => {
    expect(maskReason(s, 'trust_safety', ['S10: Hate', 'S2'])).toBeNull();
    expect(maskReason(s, 'trust_safety', ['S111'])).toBeNull();
    expect(maskReason({ ...s, maskedRoutes: [], maskedLabels: [] }, 'clinical', ['S1'])).toBeNull();
  });
});
