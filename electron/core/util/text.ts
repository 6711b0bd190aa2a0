/**
 * The one rule for text JavaScript can hold but UTF-8 and JSON cannot: a lone UTF-16 surrogate
 * (`"\ud800"` in JSON) or bytes that are not UTF-8 make the line bad, and it is quarantined with
 * the reason and the JSON path, never stored. Replacing them with U+FFFD would change what the
 * source said; keeping them made the JSONL export keep the escape while Parquet held U+FFFD.
 */
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** In JSON.stringify output a lone surrogate is the only thing written as a \ud8xx-\udfff escape. */
const LONE_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/;

export function hasLoneSurrogate(s: string): boolean {
  return LONE.test(s);
}

/** Cheap test of JSON.stringify output; true means a string in it holds a lone surrogate. */
export function jsonHasLoneSurrogate(json: string): boolean {
  return LONE_ESCAPE.test(json);
}

const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

/** The JSON path of the first string (or key) holding a lone surrogate, or null. */
export function loneSurrogatePath(value: unknown, path = '$'): string | null {
  if (typeof value === 'string') return LONE.test(value) ? path : null;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = loneSurrogatePath(value[i], `${path}[${i}]`);
      if (p) return p;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (LONE.test(k)) return `${path}${key(k)}`;
    const p = loneSurrogatePath(v, `${path}${key(k)}`);
    if (p) return p;
  }
  return null;
}

export const loneSurrogateError = (path: string) =>
  `text at ${path} holds a lone UTF-16 surrogate (not valid Unicode, cannot be written as UTF-8); fix the line and import it again`;
export const NOT_UTF8_ERROR = 'the line is not valid UTF-8; re-encode the file as UTF-8 and import it again';
