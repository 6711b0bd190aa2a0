/**
 * Suggested labels from detector flags (Argilla-style suggestions): a flag whose category names a
 * taxonomy label suggests it. Llama Guard reports "S6" or "S6: Specialized Advice"; other
 * detectors use the label's id ("prompt_injection") or its name ("Hallucination"). One definition,
 * here; the desk shows the suggestions marked as such and never submits one the reviewer has not
 * seen on screen.
 */
import type { Taxonomy } from './taxonomy.ts';
import type { LabelSuggestion } from '../../shared/models/review.ts';
export type { LabelSuggestion };

const norm = (s: string) => s.trim().toLowerCase();

/** The label a flag category names, or null. */
export function labelForCategory(category: string, taxonomy: Taxonomy): string | null {
  const c = norm(category);
  if (!c) return null;
  for (const l of taxonomy.labels) {
    const id = norm(l.id);
    if (c === id || c === norm(l.name)) return l.id;
    // "S6: Specialized Advice", "S6 - …", "s6 specialized advice": the id as the first word.
    if (c.startsWith(id) && /^[\s:\-–—.,;/|]/.test(c.slice(id.length))) return l.id;
  }
  return null;
}

/** The labels an item's flags suggest, in taxonomy order. */
export function suggestLabels(flags: { category?: string | undefined }[], taxonomy: Taxonomy): LabelSuggestion[] {
  const byLabel = new Map<string, number[]>();
  flags.forEach((f, i) => {
    const label = f.category ? labelForCategory(f.category, taxonomy) : null;
    if (label) byLabel.set(label, [...(byLabel.get(label) ?? []), i]);
  });
  return taxonomy.labels.filter((l) => byLabel.has(l.id)).map((l) => ({ label: l.id, flags: byLabel.get(l.id)! }));
}
