/** A copy with every object's keys sorted (only where they are not sorted already). */
function sortDeep(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const c = sortDeep(v[i]);
      if (c !== v[i]) (copy ??= [...v])[i] = c;
    }
    return copy ?? v;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  let changed = false;
  for (let i = 1; i < keys.length && !changed; i++) if (keys[i - 1]! > keys[i]!) changed = true;
  const out: Record<string, unknown> = {};
  for (const k of changed ? keys.sort() : keys) {
    const c = sortDeep(o[k]);
    if (c !== o[k]) changed = true;
    out[k] = c;
  }
  return changed ? out : v;
}

/**
 * Content identity, independent of key order and whitespace. Ingest stores and hashes records
 * as they come (schema objects in schema order, free-form maps in source order), which makes an
 * exact re-send a cheap hash match; only when the hash differs for a known id is this compared,
 * so a re-serialized but unchanged record is still a duplicate and not a revision.
 */
export function canonicalJson(recordJson: string): string {
  return JSON.stringify(sortDeep(JSON.parse(recordJson)));
}
