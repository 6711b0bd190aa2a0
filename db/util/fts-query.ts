/**
 * Turns what a reviewer types into a safe FTS5 query: every word is quoted (so FTS syntax in
 * the text cannot break or widen the query) and the last word matches as a prefix.
 */
export function toFtsQuery(text: string): string | null {
  // The same split as the unicode61 tokenizer, so every quoted word is one token (detail=column
  // indexes support no multi-token phrases).
  const words = text.match(/[\p{L}\p{N}]+/gu);
  if (!words || words.length === 0) return null;
  return words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' ');
}
