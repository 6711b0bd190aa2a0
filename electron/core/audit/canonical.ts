import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) canonical JSON. Audit entries are hashed over this text, so
 * two semantically equal payloads must always produce identical bytes.
 *
 * `canonicalize` mirrors JSON.stringify and silently drops `undefined`
 * members (or turns them into `null` inside arrays). For a tamper-evident log
 * that is a trap: `{a: undefined}` and `{}` would hash the same, and a field
 * the caller believed was recorded would vanish. We therefore reject every
 * value outside the JSON data model up front instead of guessing.
 */
export function canonicalJson(value: unknown): string {
  assertJsonValue(value, '$', new Set());
  const text = canonicalize(value);
  if (text === undefined) {
    throw new Error('canonicalJson: value has no JSON representation');
  }
  return text;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function assertJsonValue(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new Error(`canonicalJson: non-finite number ${String(value)} at ${path}`);
      }
      return;
    case 'object':
      break;
    default:
      // undefined, bigint, symbol, function: no RFC 8785 representation.
      throw new Error(`canonicalJson: ${typeof value} is not allowed at ${path}`);
  }
  if (value === null) return;

  // Follow toJSON exactly like the serializer will (Date -> string), so the
  // check applies to what actually ends up in the canonical text.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    assertJsonValue(toJSON.call(value), path, ancestors);
    return;
  }
  if (ancestors.has(value)) {
    throw new Error(`canonicalJson: circular reference at ${path}`);
  }
  ancestors.add(value);
  if (Array.isArray(value)) {
    // Indexed loop (not forEach) so sparse-array holes are seen as undefined.
    for (let i = 0; i < value.length; i++) {
      assertJsonValue(value[i], `${path}[${i}]`, ancestors);
    }
  } else {
    // Map, Set, class instances etc. would serialize as their own enumerable
    // fields only (a Map becomes `{}`), i.e. silent data loss.
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new Error(`canonicalJson: non-plain object at ${path}`);
    }
    for (const [key, item] of Object.entries(value)) {
      assertJsonValue(item, `${path}.${key}`, ancestors);
    }
  }
  ancestors.delete(value);
}
