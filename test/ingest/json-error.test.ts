/** Quarantine reasons for lines that are not JSON: words and a column, not V8's message. */
import { describe, expect, it } from 'vitest';
import { jsonErrorInWords } from '../../electron/core/ingest/json-error.ts';

const reason = (text: string) => {
  try {
    JSON.parse(text);
  } catch (err) {
    return jsonErrorInWords(text, (err as Error).message);
  }
  throw new Error('parsed');
};

describe('JSON errors in words', () => {
  it('says what is wrong and where, for the usual mistakes', () => {
    expect(reason('{"a":1')).toBe('invalid JSON at column 7: expected a comma or } after a value: a comma or the closing } is missing');
    expect(reason('{"a" 1}')).toBe('invalid JSON at column 6: expected a colon after a property name');
    expect(reason('{a:1}')).toBe('invalid JSON at column 2: expected a property name in double quotes (no trailing comma before })');
    expect(reason('{"a":1,}')).toMatch(/^invalid JSON at column 8: expected a property name in double quotes/);
    expect(reason('{"a":"b\tc"}')).toBe('invalid JSON at column 8: a raw control character (a tab or line break) inside a string: write it as \\t or \\n');
    expect(reason('{"a":1} x')).toBe('invalid JSON at column 9: more text after the record: one JSON object per line');
    expect(reason('{"a":"abc')).toBe('invalid JSON at column 10: a string is not closed: a closing " is missing');
    expect(reason('')).toBe('invalid JSON: the line ends before the JSON does: a closing }, ] or " is missing');
    expect(reason('[1 2]')).toMatch(/^invalid JSON at column 4: expected a comma or \] after a list item/);
  });

  it('never echoes the line back, and counts columns in characters', () => {
    const r = reason('xyz <script>alert(1)</script>');
    expect(r).toBe('invalid JSON at column 1: unexpected character "x": the line is not JSON here');
    expect(reason('{"é😀":1 2}')).toMatch(/^invalid JSON at column 9:/);
    // No JavaScript error vocabulary in any reason.
    for (const t of ['{"a":1', 'xyz', '{"a":"\\q"}', '{"a":1} x']) expect(reason(t)).not.toMatch(/JSON input|position|token|SyntaxError|literal/);
  });
});
