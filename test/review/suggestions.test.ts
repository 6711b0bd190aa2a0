/** Suggested labels from detector categories: which categories name which taxonomy label. */
import { describe, expect, it } from 'vitest';
import { labelForCategory, suggestLabels } from '../../electron/core/review/suggestions.ts';
import { DEFAULT_TAXONOMY } from '../../electron/core/review/taxonomy.ts';

describe('label suggestions from flags', () => {
  it('maps Llama Guard codes, ids and names, and nothing else', () => {
    expect(labelForCategory('S6', DEFAULT_TAXONOMY)).toBe('S6');
    expect(labelForCategory('s6', DEFAULT_TAXONOMY)).toBe('S6');
    expect(labelForCategory('S6: Specialized Advice', DEFAULT_TAXONOMY)).toBe('S6');
    expect(labelForCategory('S1 - Violent Crimes', DEFAULT_TAXONOMY)).toBe('S1');
    expect(labelForCategory('prompt_injection', DEFAULT_TAXONOMY)).toBe('prompt_injection');
    expect(labelForCategory('Hallucination', DEFAULT_TAXONOMY)).toBe('hallucination');
    // S1 is a prefix of S10–S14: only a separator after the id counts.
    expect(labelForCategory('S10', DEFAULT_TAXONOMY)).toBe('S10');
    expect(labelForCategory('S10: Hate', DEFAULT_TAXONOMY)).toBe('S10');
    expect(labelForCategory('S1x', DEFAULT_TAXONOMY)).toBeNull();
    expect(labelForCategory('medical_advice', DEFAULT_TAXONOMY)).toBeNull();
    expect(labelForCategory('  ', DEFAULT_TAXONOMY)).toBeNull();
  });

  it('collects the flags behind each suggested label, in taxonomy order', () => {
    const flags = [{ category: 'pii' }, { category: 'S6: Specialized Advice' }, {}, { category: 'S1' }, { category: 'S6' }];
    expect(suggestLabels(flags, DEFAULT_TAXONOMY)).toEqual([
      { label: 'S1', flags: [3] },
      { label: 'S6', flags: [1, 4] },
    ]);
    expect(suggestLabels([], DEFAULT_TAXONOMY)).toEqual([]);
  });
});
