/**
 * Built-in PII detection for exported text.
 *
 * `detectPii` finds e-mail addresses, phone numbers, payment card numbers (Luhn + IIN checked),
 * IBANs (mod-97 checked), US social security numbers, IPv4/IPv6 addresses and UK national
 * insurance numbers. Offsets in the returned matches are Unicode code points, the same unit the
 * escalation record uses for spans.
 *
 * Design notes:
 * - Every detector is a cheap global regex (or an `indexOf` scan for `@` / `:`) that proposes
 *   candidates, followed by a validator in plain code (checksums, ranges, separator consistency,
 *   context such as "version" before a dotted quad or an "SSN" label before undashed digits).
 * - Boundaries are strict on purpose: a candidate glued to letters, digits or `-`/`.`/`/` on the
 *   left is not PII (order numbers, ids inside longer digit runs, dotted versions, hashes).
 * - Overlaps are resolved by keeping the longest candidate; equal lengths go to the more
 *   specific type (checksummed types first).
 * - No catastrophic backtracking: bounded repetitions, no nested ambiguous quantifiers (a test feeds
 *   100 KB pathological inputs).
 * - Internally everything runs on UTF-16 offsets; they are converted to code points once, in a
 *   single forward walk, and only when the text contains surrogate pairs.
 */

export type PiiType = 'EMAIL' | 'PHONE' | 'CARD' | 'IBAN' | 'SSN' | 'IP_ADDRESS' | 'UK_NINO';

export const PII_TYPES: readonly PiiType[] = ['EMAIL', 'PHONE', 'CARD', 'IBAN', 'SSN', 'IP_ADDRESS', 'UK_NINO'];

export interface PiiMatch {
  type: PiiType;
  /** Start offset in Unicode code points. */
  start: number;
  /** End offset (exclusive) in Unicode code points. */
  end: number;
  /** The matched text. */
  value: string;
}

/** A match with UTF-16 offsets (what `String.prototype.slice` uses). */
export interface RawPiiMatch {
  type: PiiType;
  start: number;
  end: number;
}

/** Tie-break between candidates of equal length: higher is more specific. */
const SPECIFICITY: Record<PiiType, number> = {
  IBAN: 7,
  CARD: 6,
  EMAIL: 5,
  SSN: 4,
  UK_NINO: 3,
  IP_ADDRESS: 2,
  PHONE: 1,
};

// ---------------------------------------------------------------------------------------------
// Candidate regexes. All global; `lastIndex` is reset before each use.
// ---------------------------------------------------------------------------------------------

/** Left boundary for numeric tokens: not glued to a word, a sign, a dotted/dashed/slashed run. */
const NUM_LB = String.raw`(?<![\w+\-.\/]|\d[ .\-\/])`;
/** Right boundary for numeric tokens: not followed by a word char or by a separator + digit. */
const NUM_LA = String.raw`(?!\w|[ .\-\/]\d)`;

/** International phone: `+CC` or `(+CC)`, then digit groups split by one separator or a `(0)`/`(area)` block. */
const PHONE_INTL_RE =
  /(?<![\w+\-./])(?:\+[1-9]\d*|\(\+[1-9]\d{0,3}\))(?:(?:[ .-]|[ .-]?\(\d{1,4}\)[ .-]?)\d+)*/g;

/**
 * Fixed-shape numeric tokens, in one pass (the alternatives never match the same text, so a single
 * alternation loses nothing and halves the scanning cost). Capture groups:
 * 1 North American phone: (555) 123-4567, 555-123-4567, 555.123.4567, 555 123 4567, 1-555-123-4567
 *   (2 = its separator, which must repeat);
 * 3 national phone with a trunk 0 (UK / DE / most of Europe): 020 7946 0958, 0151 12345678, (030) 1234 5678;
 * 4 French national phone: 01 23 45 67 89, 06.12.34.56.78 (5 = its separator, which must repeat);
 * 6 US SSN NNN-NN-NNNN (7, 8, 9 = area, group, serial; 9xx areas are excluded here, 000/666/00/0000 in code).
 */
const NUMERIC_RE = new RegExp(
  NUM_LB +
    '(?:' +
    String.raw`((?:1[ .\-]?)?(?:\([2-9]\d{2}\)[ .\-]?\d{3}[ .\-]\d{4}|[2-9]\d{2}([ .\-])\d{3}\2\d{4}))` +
    String.raw`|((?:\(0[1-9]\d{0,3}\)[ ]?|0[1-9]\d{1,3}[ \/\-])\d{3,8}(?:[ \-]\d{2,6})?)` +
    String.raw`|(0[1-9]([ .\-])\d{2}(?:\5\d{2}){3})` +
    String.raw`|(([0-8]\d{2})-(\d{2})-(\d{4}))` +
    ')' +
    NUM_LA,
  'g',
);

/** 13+ digits with optional single spaces/dashes between them; windows are validated in code. */
const CARD_RE = /(?<![\w+\-./,]|\d[ -])\d(?:[ -]?\d){12,}/g;

/** IBAN, compact or in space-separated groups (any case); length and checksum are validated in code. */
const IBAN_RE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,32}/g;

/** SSN written with spaces or no separator, accepted only right after an SSN label. */
const SSN_CONTEXT_RE =
  /\b(?:SSN|social security(?: number| no\.?)?)(?: ?#)?\s{0,3}(?:is\s{1,3}|[:=]\s{0,3})?([0-8]\d{2})( ?)(\d{2})\2(\d{4})(?![\w\-./]\d|\w)/gi;

/** UK National Insurance number: AB 12 34 56 C / AB123456C (consistent spacing). */
const NINO_RE =
  /(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])( ?)\d{2}\2\d{2}\2\d{2}\2[A-D](?![A-Za-z0-9])/g;
const NINO_BAD_PREFIXES = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);

const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
const IPV4_RE = new RegExp(String.raw`(?<![\w.])(?:${OCTET}\.){3}${OCTET}(?!\w|\.\d)`, 'g');
/** Text right before a dotted quad that makes it a version ("v", "version ", "Chrome/") rather than an address. */
const VERSION_BEFORE_RE = /(?:(?:\bv|\bver\.?|\bversion|\brelease|\bbuild)\s*[:=#]?\s*|[A-Za-z]\/)$/i;

const EMAIL_DOMAIN_RE = /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![A-Za-z0-9-]|\.[A-Za-z0-9])/y;

// ---------------------------------------------------------------------------------------------
// Validators
// ---------------------------------------------------------------------------------------------

/** Luhn checksum over an all-digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let n = digits.charCodeAt(i) - 48;
    if (n < 0 || n > 9) return false;
    if (double) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
    double = !double;
  }
  return sum % 10 === 0;
}

/** True when the issuer identification number (leading digits) and length fit a known card scheme. */
export function cardIinValid(digits: string): boolean {
  const len = digits.length;
  const p1 = digits.charCodeAt(0) - 48;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  // Visa
  if (p1 === 4) return len === 13 || len === 16 || len === 19;
  // Mastercard
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16;
  // American Express
  if (p2 === 34 || p2 === 37) return len === 15;
  // Mir
  if (p4 >= 2200 && p4 <= 2204) return len >= 16 && len <= 19;
  // Diners Club
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return len >= 14 && len <= 19;
  // JCB
  if (p4 >= 3528 && p4 <= 3589) return len >= 16 && len <= 19;
  // Discover
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) {
    return len >= 16 && len <= 19;
  }
  // UnionPay
  if (p2 === 62) return len >= 16 && len <= 19;
  // Maestro
  if (
    p4 === 5018 ||
    p4 === 5020 ||
    p4 === 5038 ||
    p4 === 5893 ||
    p4 === 6304 ||
    p4 === 6759 ||
    (p4 >= 6761 && p4 <= 6763)
  ) {
    return len >= 13 && len <= 19;
  }
  return false;
}

/** IBAN lengths per country (ISO 13616 registry). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27,
  GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
  IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27,
  MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25,
  QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** ISO 7064 mod-97 check over a compact, upper-case IBAN. */
export function ibanChecksumValid(iban: string): boolean {
  const n = iban.length;
  if (n < 5) return false;
  let rem = 0;
  for (let k = 0; k < n; k++) {
    const c = iban.charCodeAt((k + 4) % n);
    if (c >= 48 && c <= 57) {
      rem = (rem * 10 + (c - 48)) % 97;
    } else if (c >= 65 && c <= 90) {
      rem = (rem * 100 + (c - 55)) % 97;
    } else {
      return false;
    }
  }
  return rem === 1;
}

/** Structural + checksum validation of a compact IBAN. */
export function ibanValid(compact: string): boolean {
  const len = IBAN_LENGTHS[compact.slice(0, 2)];
  return len !== undefined && compact.length === len && ibanChecksumValid(compact);
}

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function ipv4Valid(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || (p.length > 1 && p.charCodeAt(0) === 48)) return false;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    if (Number(p) > 255) return false;
  }
  return true;
}

/**
 * IPv6 validation, full or compressed (`::`), optionally with an IPv4 tail. To stay clear of code
 * (`a::b`, Python slices `[1::2]`, `std::`), compressed forms need at least two groups, one of
 * them 3+ hex digits long, and at least one decimal digit somewhere.
 */
export function ipv6Valid(s: string): boolean {
  if (s.length < 3 || s.length > 45) return false;
  let groupsNeeded = 8;
  let body = s;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) !== -1) {
    if (!ipv4Valid(s.slice(lastColon + 1))) return false;
    groupsNeeded = 6;
    body = s.slice(0, lastColon + 1);
    // Keep "::" at the end intact; a single trailing ":" separates the IPv4 tail.
    if (!body.endsWith('::')) body = body.slice(0, -1);
  }
  const dbl = body.indexOf('::');
  if (dbl !== -1 && body.indexOf('::', dbl + 1) !== -1) return false;
  if (body.includes(':::')) return false;
  let groups = 0;
  let longGroup = false;
  let hasDigit = groupsNeeded === 6;
  const check = (part: string): boolean => {
    if (part.length === 0) return true;
    const gs = part.split(':');
    for (const g of gs) {
      if (g.length === 0 || g.length > 4) return false;
      for (let i = 0; i < g.length; i++) {
        const c = g.charCodeAt(i);
        if (!isHexCode(c)) return false;
        if (c <= 57) hasDigit = true;
      }
      if (g.length >= 3) longGroup = true;
      groups++;
    }
    return true;
  };
  if (dbl === -1) {
    if (!check(body)) return false;
    return groups === groupsNeeded;
  }
  if (!check(body.slice(0, dbl)) || !check(body.slice(dbl + 2))) return false;
  if (groups >= groupsNeeded) return false;
  const total = groups + (groupsNeeded === 6 ? 2 : 0);
  return total >= 2 && longGroup && hasDigit;
}

// ---------------------------------------------------------------------------------------------
// Detectors (UTF-16 offsets)
// ---------------------------------------------------------------------------------------------

type Sink = (type: PiiType, start: number, end: number) => void;

function isEmailLocalCode(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 46 /* . */ ||
    c === 95 /* _ */ ||
    c === 37 /* % */ ||
    c === 43 /* + */ ||
    c === 45 /* - */ ||
    c === 39 /* ' */
  );
}

function detectEmails(text: string, add: Sink): void {
  let at = text.indexOf('@');
  while (at !== -1) {
    let s = at;
    while (s > 0 && at - s <= 64 && isEmailLocalCode(text.charCodeAt(s - 1))) s--;
    // No leading dot; a leading apostrophe is a quote ('jane@example.com'), not part of the address.
    while (s < at && (text.charCodeAt(s) === 46 || text.charCodeAt(s) === 39)) s++;
    let next = at + 1;
    if (s < at && at - s <= 64 && text.charCodeAt(at - 1) !== 46) {
      EMAIL_DOMAIN_RE.lastIndex = at + 1;
      const m = EMAIL_DOMAIN_RE.exec(text);
      if (m !== null) {
        const end = at + 1 + m[0].length;
        add('EMAIL', s, end);
        next = end;
      }
    }
    at = text.indexOf('@', next);
  }
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** International phone numbers (`+CC ...`). */
function detectIntlPhones(text: string, add: Sink): void {
  let m: RegExpExecArray | null;
  if (text.includes('+')) {
    PHONE_INTL_RE.lastIndex = 0;
    while ((m = PHONE_INTL_RE.exec(text)) !== null) {
      let value = m[0];
      // Phone numbers are short; bound the work on pathological runs ("+1 2 3 4 5 6 ...").
      if (value.length > 40) {
        const cut = value.slice(0, 41).search(/[ .\-(][^ .\-(]*$/);
        if (cut <= 0) continue;
        value = value.slice(0, cut);
      }
      const trunk = value.includes('(0)') ? 1 : 0;
      let digits = countDigits(value) - trunk;
      // Drop trailing groups that would push the number past E.164's 15 digits.
      while (digits > 15) {
        const cut = Math.max(value.lastIndexOf(' '), value.lastIndexOf('-'), value.lastIndexOf('.'));
        if (cut <= 0) break;
        value = value.slice(0, cut);
        digits = countDigits(value) - trunk;
      }
      const separated = value.length !== digits + trunk + 1 || value.charCodeAt(0) === 40; /* ( */
      if (digits <= 15 && digits >= (separated ? 8 : 10)) add('PHONE', m.index, m.index + value.length);
    }
  }
}

/** National phone formats and dashed SSNs (see NUMERIC_RE). */
function detectNumeric(text: string, add: Sink): void {
  NUMERIC_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NUMERIC_RE.exec(text)) !== null) {
    const end = m.index + m[0].length;
    if (m[1] !== undefined || m[4] !== undefined) {
      add('PHONE', m.index, end);
    } else if (m[3] !== undefined) {
      const d = countDigits(m[3]);
      if (d >= 9 && d <= 12) add('PHONE', m.index, end);
    } else if (ssnPartsValid(m[7]!, m[8]!, m[9]!)) {
      add('SSN', m.index, end);
    }
  }
}

/**
 * Separated card numbers are printed in a fixed layout: a first block of 4, then blocks of 4 with
 * a last block of 1-5 (Visa/MC/Discover/JCB/UnionPay: 4-4-4-4, 4-4-5, 4-4-4-4-3), or 4-6-5 / 4-6-4
 * (Amex, Diners). Thousands-grouped amounts, ISBNs and order numbers do not fit.
 */
function cardLayoutValid(groups: readonly string[], from: number, to: number): boolean {
  const n = to - from + 1;
  if (n < 2 || groups[from]!.length !== 4) return false;
  const last = groups[to]!.length;
  if (n === 3 && groups[from + 1]!.length === 6) return last === 4 || last === 5;
  for (let k = from + 1; k < to; k++) if (groups[k]!.length !== 4) return false;
  return last >= 1 && last <= 5;
}

function cardDigitsValid(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && cardIinValid(digits) && luhnValid(digits);
}

function detectCards(text: string, add: Sink): void {
  CARD_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CARD_RE.exec(text)) !== null) {
    const raw = m[0];
    const base = m.index;
    const hasSpace = raw.includes(' ');
    const hasDash = raw.includes('-');
    if (hasSpace && hasDash) continue; // mixed separators: not how cards are written
    if (!hasSpace && !hasDash) {
      if (cardDigitsValid(raw)) add('CARD', base, base + raw.length);
      continue;
    }
    const groups = raw.split(hasSpace ? ' ' : '-');
    const n = groups.length;
    if (cardLayoutValid(groups, 0, n - 1) && cardDigitsValid(groups.join(''))) {
      add('CARD', base, base + raw.length);
      continue;
    }
    // A card directly followed by a short number, e.g. the month of "4111 1111 1111 1111 12/26":
    // drop one trailing block of at most 2 digits. Cards are never cut out of longer runs otherwise.
    const tail = groups[n - 1]!;
    if (n >= 3 && tail.length <= 2 && cardLayoutValid(groups, 0, n - 2)) {
      const head = groups.slice(0, n - 1);
      if (cardDigitsValid(head.join(''))) add('CARD', base, base + raw.length - tail.length - 1);
    }
  }
}

function isWordCode(c: number): boolean {
  return isAlnumCode(c) || c === 95;
}

function isAlnumCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function detectIbans(text: string, add: Sink): void {
  IBAN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = IBAN_RE.exec(text)) !== null) {
    const endIdx = ibanEnd(text, m.index, m[0]);
    if (endIdx < 0) {
      // The greedy run may have swallowed the start of a real IBAN ("AB12 plus DE89..."): rescan.
      IBAN_RE.lastIndex = m.index + 1;
      continue;
    }
    add('IBAN', m.index, endIdx);
    IBAN_RE.lastIndex = endIdx;
  }
}

/** End offset of a valid IBAN starting at `start` (candidate text `raw`), or -1. */
function ibanEnd(text: string, start: number, raw: string): number {
  const len = IBAN_LENGTHS[raw.slice(0, 2).toUpperCase()];
  if (len === undefined) return -1;
  // Walk to the len-th alphanumeric character; the cut must fall on a group boundary.
  let count = 0;
  let i = 0;
  while (i < raw.length && count < len) {
    if (raw.charCodeAt(i) !== 32) count++;
    i++;
  }
  if (count < len) return -1;
  const endIdx = start + i;
  if (endIdx < text.length && isAlnumCode(text.charCodeAt(endIdx))) return -1;
  const value = raw.slice(0, i);
  const spaced = value.includes(' ');
  if (spaced) {
    // Spaced IBANs are printed in blocks of four; only the last block may be shorter.
    const groups = value.split(' ');
    for (let g = 0; g < groups.length - 1; g++) if (groups[g]!.length !== 4) return -1;
  }
  const compact = (spaced ? value.replace(/ /g, '') : value).toUpperCase();
  return ibanChecksumValid(compact) ? endIdx : -1;
}

/** SSNs without dashes, right after an SSN label. */
function detectLabelledSsns(text: string, add: Sink): void {
  let m: RegExpExecArray | null;
  SSN_CONTEXT_RE.lastIndex = 0;
  while ((m = SSN_CONTEXT_RE.exec(text)) !== null) {
    if (!ssnPartsValid(m[1]!, m[3]!, m[4]!)) continue;
    const numLen = m[1]!.length + m[3]!.length + m[4]!.length + 2 * m[2]!.length;
    const end = m.index + m[0].length;
    add('SSN', end - numLen, end);
  }
}

function ssnPartsValid(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area.charCodeAt(0) !== 57 && group !== '00' && serial !== '0000';
}

function detectNinos(text: string, add: Sink): void {
  NINO_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NINO_RE.exec(text)) !== null) {
    if (!NINO_BAD_PREFIXES.has(m[1]!)) add('UK_NINO', m.index, m.index + m[0].length);
  }
}

function detectIpv4(text: string, add: Sink): void {
  let m: RegExpExecArray | null;
  IPV4_RE.lastIndex = 0;
  while ((m = IPV4_RE.exec(text)) !== null) {
    const before = text.slice(Math.max(0, m.index - 24), m.index);
    if (VERSION_BEFORE_RE.test(before)) continue;
    add('IP_ADDRESS', m.index, m.index + m[0].length);
  }
}

function isHexColonCode(c: number): boolean {
  return c === 58 || isHexCode(c);
}

/**
 * IPv6: expand around each ':' over hex digits and colons (plus dots for an IPv4 tail), then
 * validate. Scanning from colons is much cheaper than a regex over every position.
 */
function detectIpv6(text: string, add: Sink): void {
  const n = text.length;
  let p = text.indexOf(':');
  while (p !== -1) {
    let s = p;
    while (s > 0 && isHexColonCode(text.charCodeAt(s - 1))) s--;
    let e = p + 1;
    while (e < n) {
      const c = text.charCodeAt(e);
      if (isHexColonCode(c) || c === 46 /* . */) e++;
      else break;
    }
    const next = e;
    // Sentence punctuation after the address: "... fe80::1.", "... 2001:db8::1: down".
    while (e > p + 1 && text.charCodeAt(e - 1) === 46) e--;
    if (text.charCodeAt(e - 1) === 58 && text.charCodeAt(e - 2) !== 58) e--;
    const before = s > 0 ? text.charCodeAt(s - 1) : 32;
    const after = next < n ? text.charCodeAt(next) : 32;
    if (
      e - s >= 3 &&
      !isWordCode(before) &&
      before !== 46 &&
      !isWordCode(after) &&
      ipv6Valid(text.slice(s, e))
    ) {
      add('IP_ADDRESS', s, e);
    }
    p = text.indexOf(':', next);
  }
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * Cheap necessary condition for any match: every detector needs a digit, except e-mail, which
 * needs an '@'. Callers skip detection (and any caching of its result) when this is false.
 */
export function mayContainPii(text: string): boolean {
  return DIGIT_OR_AT_RE.test(text);
}

/** A regex scan is a few times faster than a charCodeAt loop here. */
const DIGIT_OR_AT_RE = /[0-9@]/;

/**
 * Fewest digits each candidate regex needs in order to match at all (so a text with fewer digits
 * cannot produce a candidate, and skipping the regex changes nothing):
 * NUMERIC_RE 5 (trunk-0 national: `(0N)` + 3), CARD_RE 13, IBAN_RE 2, SSN_CONTEXT_RE 9,
 * NINO_RE 6, IPV4_RE 4; international phones need a '+' and IPv6 a ':' (checked by the detectors).
 */
const MIN_DIGITS = { numeric: 5, card: 13, iban: 2, ssn: 9, nino: 6, ipv4: 4 } as const;

function countDigitsUpTo(text: string, cap: number): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++n >= cap) break;
  }
  return n;
}

/**
 * Detect PII with UTF-16 offsets, overlap-resolved and sorted by start. Exposed for callers that
 * slice the string directly (e.g. redaction); most callers want `detectPii`.
 */
export function detectPiiUtf16(text: string): RawPiiMatch[] {
  const cands: RawPiiMatch[] = [];
  const add: Sink = (type, start, end) => {
    if (end > start) cands.push({ type, start, end });
  };
  if (text.includes('@')) detectEmails(text, add);
  const digits = countDigitsUpTo(text, MIN_DIGITS.card);
  if (digits > 0) {
    detectIntlPhones(text, add);
    if (digits >= MIN_DIGITS.numeric) detectNumeric(text, add);
    if (digits >= MIN_DIGITS.card) detectCards(text, add);
    if (digits >= MIN_DIGITS.iban) detectIbans(text, add);
    if (digits >= MIN_DIGITS.ssn) detectLabelledSsns(text, add);
    if (digits >= MIN_DIGITS.nino) detectNinos(text, add);
    if (digits >= MIN_DIGITS.ipv4) detectIpv4(text, add);
    detectIpv6(text, add);
  }
  return resolveOverlaps(cands);
}

/** Longest first; ties go to the more specific type, then to the earlier one. */
function byPriority(a: RawPiiMatch, b: RawPiiMatch): number {
  const la = a.end - a.start;
  const lb = b.end - b.start;
  if (la !== lb) return lb - la;
  const sa = SPECIFICITY[a.type];
  const sb = SPECIFICITY[b.type];
  if (sa !== sb) return sb - sa;
  return a.start - b.start;
}

/**
 * Keep the highest-priority candidates and drop anything overlapping them. Candidates are split
 * into clusters of chained overlaps first, so the greedy pass only compares candidates that can
 * actually conflict (linearithmic overall, even with thousands of matches).
 */
function resolveOverlaps(cands: RawPiiMatch[]): RawPiiMatch[] {
  if (cands.length <= 1) return cands;
  cands.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: RawPiiMatch[] = [];
  let i = 0;
  while (i < cands.length) {
    let j = i + 1;
    let clusterEnd = cands[i]!.end;
    while (j < cands.length && cands[j]!.start < clusterEnd) {
      if (cands[j]!.end > clusterEnd) clusterEnd = cands[j]!.end;
      j++;
    }
    if (j === i + 1) {
      out.push(cands[i]!);
    } else {
      const cluster = cands.slice(i, j).sort(byPriority);
      const kept: RawPiiMatch[] = [];
      for (const c of cluster) {
        let overlaps = false;
        for (const k of kept) {
          if (c.start < k.end && k.start < c.end) {
            overlaps = true;
            break;
          }
        }
        if (!overlaps) kept.push(c);
      }
      kept.sort((a, b) => a.start - b.start);
      for (const k of kept) out.push(k);
    }
    i = j;
  }
  return out;
}

const SURROGATE_RE = /[\uD800-\uDFFF]/;

/** True when UTF-16 offsets and code-point offsets differ somewhere in `text`. */
export function hasAstral(text: string): boolean {
  return SURROGATE_RE.test(text);
}

/**
 * Convert ascending UTF-16 offsets to code-point offsets in one forward walk.
 * `offsets` must be sorted ascending; the result is aligned with it.
 */
export function utf16ToCodePoints(text: string, offsets: readonly number[]): number[] {
  const out = new Array<number>(offsets.length);
  let u = 0;
  let cp = 0;
  const n = text.length;
  for (let k = 0; k < offsets.length; k++) {
    const target = Math.min(offsets[k]!, n);
    while (u < target) {
      const c = text.charCodeAt(u);
      if (c >= 0xd800 && c <= 0xdbff && u + 1 < n) {
        const d = text.charCodeAt(u + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          u += 2;
          cp++;
          continue;
        }
      }
      u++;
      cp++;
    }
    out[k] = cp;
  }
  return out;
}

/**
 * Convert ascending code-point offsets to UTF-16 offsets in one forward walk (offsets past the end
 * clamp to `text.length`). `offsets` must be sorted ascending; the result is aligned with it.
 */
export function codePointsToUtf16(text: string, offsets: readonly number[]): number[] {
  const out = new Array<number>(offsets.length);
  let u = 0;
  let cp = 0;
  const n = text.length;
  for (let k = 0; k < offsets.length; k++) {
    const target = offsets[k]!;
    while (cp < target && u < n) {
      const c = text.charCodeAt(u);
      if (c >= 0xd800 && c <= 0xdbff && u + 1 < n) {
        const d = text.charCodeAt(u + 1);
        if (d >= 0xdc00 && d <= 0xdfff) u++;
      }
      u++;
      cp++;
    }
    out[k] = u;
  }
  return out;
}

/** Detect PII in `text`. Offsets are Unicode code points; matches are sorted and never overlap. */
export function detectPii(text: string): PiiMatch[] {
  const raw = detectPiiUtf16(text);
  if (raw.length === 0) return [];
  const out: PiiMatch[] = new Array<PiiMatch>(raw.length);
  if (!hasAstral(text)) {
    for (let i = 0; i < raw.length; i++) {
      const r = raw[i]!;
      out[i] = { type: r.type, start: r.start, end: r.end, value: text.slice(r.start, r.end) };
    }
    return out;
  }
  // Matches are sorted and disjoint, so start0 <= end0 <= start1 <= end1 ... is ascending.
  const flat: number[] = [];
  for (const r of raw) flat.push(r.start, r.end);
  const cps = utf16ToCodePoints(text, flat);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    out[i] = { type: r.type, start: cps[2 * i]!, end: cps[2 * i + 1]!, value: text.slice(r.start, r.end) };
  }
  return out;
}
