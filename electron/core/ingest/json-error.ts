/**
 * A JSON.parse failure in words a person fixing the file can act on, with the column, instead of
 * V8's message (which also echoes the start of the line: attacker-controlled text in a reason).
 * Starts with "invalid JSON" (ingest.ts recognises a cut-off last line by it).
 */
const RULES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Unexpected end of JSON input/, () => 'the line ends before the JSON does: a closing }, ] or " is missing'],
  [/^Expected ',' or '}' after property value/, () => 'expected a comma or } after a value: a comma or the closing } is missing'],
  [/^Expected ',' or '\]' after array element/, () => 'expected a comma or ] after a list item: a comma or the closing ] is missing'],
  [/^Expected ':' after property name/, () => 'expected a colon after a property name'],
  [/^Expected (?:property name or '\}'|double-quoted property name)/, () => 'expected a property name in double quotes (no trailing comma before })'],
  [/^Bad control character in string literal/, () => 'a raw control character (a tab or line break) inside a string: write it as \\t or \\n'],
  [/^Bad escaped character/, () => 'an invalid backslash escape inside a string'],
  [/^Bad Unicode escape/, () => 'an invalid \\u escape inside a string'],
  [/^Unterminated string/, () => 'a string is not closed: a closing " is missing'],
  [/^Unexpected non-whitespace character after JSON/, () => 'more text after the record: one JSON object per line'],
  [/^Unexpected token '(.)'/, (m) => `unexpected character ${JSON.stringify(m[1])}: the line is not JSON here`],
  [/^(?:Exponent part is missing|Unterminated fractional|No number after minus)/, () => 'a malformed number'],
];

/** `text` is the line that failed, `message` JSON.parse's error message. */
export function jsonErrorInWords(text: string, message: string): string {
  const pos = /at position (\d+)/.exec(message);
  const unexpectedToken = /^Unexpected token '(.)'/.exec(message);
  // Columns count characters (code points), from 1, as editors show them.
  const offset = pos ? Number(pos[1]) : unexpectedToken ? text.indexOf(unexpectedToken[1]!) : -1;
  const column = offset >= 0 ? ` at column ${Array.from(text.slice(0, offset)).length + 1}` : '';
  for (const [re, words] of RULES) {
    const m = re.exec(message);
    if (m) return `invalid JSON${column}: ${words(m)}`;
  }
  // An unknown message: V8's words, without the echoed line.
  return `invalid JSON${column}: ${message.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '')}`;
}
