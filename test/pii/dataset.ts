/**
 * Labelled synthetic evaluation set for the PII detector, generated deterministically (seeded PRNG).
 *
 * - Positive cases embed one PII value in a realistic sentence, in many formats per entity.
 * - Mixed cases carry several entities (and emoji / non-ASCII text before them) in one message.
 * - Negative cases are look-alikes that must come out of redaction unchanged: UUIDs, hashes, order
 *   and tracking numbers, code, versions, dates, times, prices, Luhn-failing card numbers, invalid
 *   IBANs/SSNs, ids inside longer digit runs, MAC addresses, OIDs...
 *
 * Expected offsets are Unicode code points, like `detectPii`'s.
 */
import type { PiiType } from '../../electron/core/export/pii/detect.ts';

export interface LabelledSpan {
  type: PiiType;
  start: number;
  end: number;
  value: string;
}

export interface PiiCase {
  id: string;
  kind: 'positive' | 'mixed' | 'negative';
  /** Entity type (positives) or look-alike family (negatives). */
  category: string;
  /** Format / sub-family, for debugging. */
  format: string;
  text: string;
  expected: LabelledSpan[];
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(int(rng, 0, 9));
  return s;
}

function nzDigits(rng: Rng, n: number): string {
  return String(int(rng, 1, 9)) + digits(rng, n - 1);
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789abcdef';

function chars(rng: Rng, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rng() * alphabet.length)]!;
  return s;
}

function group(s: string, sizes: readonly number[], sep: string): string {
  const out: string[] = [];
  let i = 0;
  for (const n of sizes) {
    if (i >= s.length) break;
    out.push(s.slice(i, i + n));
    i += n;
  }
  if (i < s.length) out.push(s.slice(i));
  return out.join(sep);
}

function every(s: string, n: number, sep: string): string {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += n) out.push(s.slice(i, i + n));
  return out.join(sep);
}

// ---------------------------------------------------------------------------------------------
// Checksums used to generate valid (and deliberately invalid) values
// ---------------------------------------------------------------------------------------------

export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  let double = true; // the check digit will be appended on the right
  for (let i = payload.length - 1; i >= 0; i--) {
    let n = payload.charCodeAt(i) - 48;
    if (double) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
    double = !double;
  }
  return (10 - (sum % 10)) % 10;
}

function mod97(s: string): number {
  let rem = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    rem = c >= 65 ? (rem * 100 + (c - 55)) % 97 : (rem * 10 + (c - 48)) % 97;
  }
  return rem;
}

export function ibanCheckDigits(country: string, bban: string): string {
  const cd = 98 - mod97(bban + country + '00');
  return String(cd).padStart(2, '0');
}

// ---------------------------------------------------------------------------------------------
// Case composition
// ---------------------------------------------------------------------------------------------

type Part = string | { type: PiiType; value: string };

function cpLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function compose(parts: readonly Part[]): { text: string; expected: LabelledSpan[] } {
  let text = '';
  let cp = 0;
  const expected: LabelledSpan[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      text += p;
      cp += cpLen(p);
    } else {
      const n = cpLen(p.value);
      expected.push({ type: p.type, start: cp, end: cp + n, value: p.value });
      text += p.value;
      cp += n;
    }
  }
  return { text, expected };
}

// ---------------------------------------------------------------------------------------------
// Value generators (positives)
// ---------------------------------------------------------------------------------------------

interface Gen {
  value: string;
  format: string;
}

const FIRST = ['john', 'maria', 'wei', 'aisha', 'olga', 'pierre', 'lena', 'tom', 'priya', 'kenji', 'sofia', 'ahmed'];
const LAST = ['doe', 'garcia', 'zhang', 'khan', 'ivanova', 'martin', 'schmidt', 'smith', 'patel', 'tanaka', 'rossi', 'hassan'];
const DOMAINS = [
  'example.com',
  'mail.example.org',
  'acme-corp.io',
  'uni.ac.uk',
  'gmx.de',
  'orange.fr',
  'company.co.jp',
  'support.big-bank.com',
  'protonmail.ch',
  'outlook.com',
];

function genEmail(rng: Rng): Gen {
  const f = pick(rng, FIRST);
  const l = pick(rng, LAST);
  const d = pick(rng, DOMAINS);
  switch (int(rng, 0, 6)) {
    case 0:
      return { value: `${f}.${l}@${d}`, format: 'first.last' };
    case 1:
      return { value: `${f}_${l}${int(rng, 1, 99)}@${d}`, format: 'underscore+digits' };
    case 2:
      return { value: `${f[0]}.${l}+${pick(rng, ['news', 'billing', 'test'])}@${d}`, format: 'plus-tag' };
    case 3:
      return {
        value: `${f[0]!.toUpperCase()}${f.slice(1)}.${l[0]!.toUpperCase()}${l.slice(1)}@${d.toUpperCase()}`,
        format: 'mixed-case',
      };
    case 4:
      return { value: `${f}-${l}@${d}`, format: 'hyphen' };
    case 5:
      return { value: `${f}${int(rng, 1950, 2005)}@${d}`, format: 'name+year' };
    default:
      return { value: `${l}.${f[0]}%dept@${d}`, format: 'percent' };
  }
}

function usParts(rng: Rng): [string, string, string] {
  return [String(int(rng, 2, 9)) + digits(rng, 2), digits(rng, 3), digits(rng, 4)];
}

function genPhone(rng: Rng): Gen {
  const [a, e, n] = usParts(rng);
  const fmt = int(rng, 0, 31);
  switch (fmt) {
    case 0:
      return { value: `(${a}) ${e}-${n}`, format: 'us-paren' };
    case 1:
      return { value: `${a}-${e}-${n}`, format: 'us-dash' };
    case 2:
      return { value: `${a}.${e}.${n}`, format: 'us-dot' };
    case 3:
      return { value: `${a} ${e} ${n}`, format: 'us-space' };
    case 4:
      return { value: `1-${a}-${e}-${n}`, format: 'us-1-dash' };
    case 5:
      return { value: `+1 (${a}) ${e}-${n}`, format: 'us-intl-paren' };
    case 6:
      return { value: `+1-${a}-${e}-${n}`, format: 'us-intl-dash' };
    case 7:
      return { value: `+1${a}${e}${n}`, format: 'us-e164' };
    case 8:
      return { value: `+44 20 ${digits(rng, 4)} ${digits(rng, 4)}`, format: 'uk-intl-london' };
    case 9:
      return { value: `020 ${digits(rng, 4)} ${digits(rng, 4)}`, format: 'uk-london' };
    case 10:
      return { value: `07700 900${digits(rng, 3)}`, format: 'uk-mobile' };
    case 11:
      return { value: `+44 7${digits(rng, 3)} ${digits(rng, 6)}`, format: 'uk-intl-mobile' };
    case 12:
      return { value: `0161 ${digits(rng, 3)} ${digits(rng, 4)}`, format: 'uk-manchester' };
    case 13:
      return { value: `+44 (0)20 ${digits(rng, 4)} ${digits(rng, 4)}`, format: 'uk-intl-trunk' };
    case 14:
      return { value: `(020) ${digits(rng, 4)} ${digits(rng, 4)}`, format: 'uk-paren' };
    case 15:
      return { value: `07${digits(rng, 3)} ${digits(rng, 3)} ${digits(rng, 3)}`, format: 'uk-mobile-3-3' };
    case 16: {
      const sep = pick(rng, [' ', '.', '-']);
      const pairs = [digits(rng, 2), digits(rng, 2), digits(rng, 2), digits(rng, 2)];
      return { value: `0${int(rng, 1, 9)}${sep}${pairs.join(sep)}`, format: `fr-national-${sep}` };
    }
    case 17:
      return {
        value: `+33 ${int(rng, 1, 9)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`,
        format: 'fr-intl',
      };
    case 18:
      return {
        value: `+33 (0)${int(rng, 1, 9)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`,
        format: 'fr-intl-trunk',
      };
    case 19:
      return { value: `+33${int(rng, 6, 7)}${digits(rng, 8)}`, format: 'fr-e164' };
    case 20:
      return { value: `030 ${nzDigits(rng, 8)}`, format: 'de-berlin' };
    case 21:
      return { value: `030/${nzDigits(rng, 7)}`, format: 'de-slash' };
    case 22:
      return { value: `0${pick(rng, ['151', '160', '171', '176'])} ${nzDigits(rng, 8)}`, format: 'de-mobile' };
    case 23:
      return { value: `+49 30 ${nzDigits(rng, 8)}`, format: 'de-intl' };
    case 24:
      return { value: `+49 (0)89 ${digits(rng, 4)} ${digits(rng, 4)}`, format: 'de-intl-trunk' };
    case 25:
      return { value: `(089) ${digits(rng, 4)} ${digits(rng, 4)}`, format: 'de-paren' };
    case 26:
      return { value: `0171-${nzDigits(rng, 7)}`, format: 'de-dash' };
    case 27:
      return { value: `+49${pick(rng, ['151', '160', '171'])}${digits(rng, 8)}`, format: 'de-e164' };
    case 28:
      return { value: `+91 ${int(rng, 7, 9)}${digits(rng, 4)} ${digits(rng, 5)}`, format: 'in-intl' };
    case 29:
      return { value: `+61 2 ${digits(rng, 4)} ${digits(rng, 4)}`, format: 'au-intl' };
    case 30:
      return { value: `+81 3-${digits(rng, 4)}-${digits(rng, 4)}`, format: 'jp-intl' };
    default:
      return { value: `+34 6${digits(rng, 2)} ${digits(rng, 3)} ${digits(rng, 3)}`, format: 'es-intl' };
  }
}

interface CardScheme {
  name: string;
  prefix: (rng: Rng) => string;
  length: number;
  groups: readonly number[];
}

const CARD_SCHEMES: readonly CardScheme[] = [
  { name: 'visa16', prefix: () => '4', length: 16, groups: [4, 4, 4, 4] },
  { name: 'visa13', prefix: () => '4', length: 13, groups: [4, 4, 5] },
  { name: 'mc5x', prefix: (r) => String(int(r, 51, 55)), length: 16, groups: [4, 4, 4, 4] },
  { name: 'mc2x', prefix: (r) => String(int(r, 2221, 2720)), length: 16, groups: [4, 4, 4, 4] },
  { name: 'amex', prefix: (r) => pick(r, ['34', '37']), length: 15, groups: [4, 6, 5] },
  { name: 'discover', prefix: () => '6011', length: 16, groups: [4, 4, 4, 4] },
  { name: 'jcb', prefix: (r) => String(int(r, 3528, 3589)), length: 16, groups: [4, 4, 4, 4] },
  { name: 'diners', prefix: () => '36', length: 14, groups: [4, 6, 4] },
  { name: 'unionpay19', prefix: () => '62', length: 19, groups: [4, 4, 4, 4, 3] },
  { name: 'maestro', prefix: () => '6759', length: 16, groups: [4, 4, 4, 4] },
];

function cardDigits(rng: Rng, scheme: CardScheme, valid: boolean): string {
  const p = scheme.prefix(rng);
  const body = p + digits(rng, scheme.length - p.length - 1);
  const check = luhnCheckDigit(body);
  return body + String(valid ? check : (check + int(rng, 1, 9)) % 10);
}

function formatCard(rng: Rng, d: string, scheme: CardScheme): { value: string; format: string } {
  switch (int(rng, 0, 2)) {
    case 0:
      return { value: d, format: `${scheme.name}-compact` };
    case 1:
      return { value: group(d, scheme.groups, ' '), format: `${scheme.name}-spaced` };
    default:
      return { value: group(d, scheme.groups, '-'), format: `${scheme.name}-dashed` };
  }
}

function genCard(rng: Rng): Gen {
  const scheme = pick(rng, CARD_SCHEMES);
  return formatCard(rng, cardDigits(rng, scheme, true), scheme);
}

interface IbanCountry {
  cc: string;
  bban: (rng: Rng) => string;
}

const alnum = (rng: Rng, n: number): string => chars(rng, '0123456789' + UPPER, n);

const IBAN_COUNTRIES: readonly IbanCountry[] = [
  { cc: 'DE', bban: (r) => digits(r, 18) },
  { cc: 'GB', bban: (r) => chars(r, UPPER, 4) + digits(r, 14) },
  { cc: 'FR', bban: (r) => digits(r, 10) + alnum(r, 11) + digits(r, 2) },
  { cc: 'NL', bban: (r) => chars(r, UPPER, 4) + digits(r, 10) },
  { cc: 'ES', bban: (r) => digits(r, 20) },
  { cc: 'IT', bban: (r) => chars(r, UPPER, 1) + digits(r, 10) + alnum(r, 12) },
  { cc: 'BE', bban: (r) => digits(r, 12) },
  { cc: 'CH', bban: (r) => digits(r, 5) + alnum(r, 12) },
  { cc: 'AT', bban: (r) => digits(r, 16) },
  { cc: 'PL', bban: (r) => digits(r, 24) },
  { cc: 'IE', bban: (r) => chars(r, UPPER, 4) + digits(r, 14) },
  { cc: 'NO', bban: (r) => digits(r, 11) },
];

function ibanCompact(rng: Rng, valid: boolean): string {
  const c = pick(rng, IBAN_COUNTRIES);
  const bban = c.bban(rng);
  let cd = ibanCheckDigits(c.cc, bban);
  if (!valid) cd = String((Number(cd) + int(rng, 1, 50)) % 97 || 1).padStart(2, '0');
  if (!valid && cd === ibanCheckDigits(c.cc, bban)) cd = cd === '02' ? '03' : '02';
  return c.cc + cd + bban;
}

function genIban(rng: Rng): Gen {
  const compact = ibanCompact(rng, true);
  return rng() < 0.5
    ? { value: compact, format: `${compact.slice(0, 2)}-compact` }
    : { value: every(compact, 4, ' '), format: `${compact.slice(0, 2)}-spaced` };
}

function ssnParts(rng: Rng): [string, string, string] {
  let area = int(rng, 1, 899);
  if (area === 666) area = 667;
  return [String(area).padStart(3, '0'), String(int(rng, 1, 99)).padStart(2, '0'), String(int(rng, 1, 9999)).padStart(4, '0')];
}

function ipv4(rng: Rng): string {
  switch (int(rng, 0, 3)) {
    case 0:
      return `10.${int(rng, 0, 255)}.${int(rng, 0, 255)}.${int(rng, 1, 254)}`;
    case 1:
      return `192.168.${int(rng, 0, 255)}.${int(rng, 1, 254)}`;
    case 2:
      return `172.${int(rng, 16, 31)}.${int(rng, 0, 255)}.${int(rng, 1, 254)}`;
    default:
      return `${int(rng, 1, 223)}.${int(rng, 0, 255)}.${int(rng, 0, 255)}.${int(rng, 1, 254)}`;
  }
}

function hexGroup(rng: Rng, min = 1): string {
  const n = int(rng, min, 4);
  let s = chars(rng, HEX, n);
  if (n > 1 && s[0] === '0') s = '1' + s.slice(1);
  return s;
}

function ipv6(rng: Rng): Gen {
  switch (int(rng, 0, 5)) {
    case 0: {
      const gs = Array.from({ length: 8 }, () => chars(rng, HEX, 4));
      gs[0] = '2001';
      return { value: gs.join(':'), format: 'ipv6-full' };
    }
    case 1:
      return { value: `2001:db8::${hexGroup(rng)}:${hexGroup(rng)}`, format: 'ipv6-compressed' };
    case 2:
      return {
        value: `fe80::${hexGroup(rng, 3)}:${hexGroup(rng)}:${hexGroup(rng)}:${hexGroup(rng)}`,
        format: 'ipv6-link-local',
      };
    case 3:
      return { value: `::ffff:${ipv4(rng)}`, format: 'ipv6-mapped-v4' };
    case 4:
      return { value: `2001:db8:${hexGroup(rng, 3)}::${int(rng, 1, 9)}`, format: 'ipv6-compressed-short' };
    default: {
      const gs = Array.from({ length: 8 }, () => hexGroup(rng));
      gs[0] = '2a02';
      return { value: gs.join(':').toUpperCase(), format: 'ipv6-full-upper' };
    }
  }
}

const NINO_FIRST = 'ABCEGHJKLMNOPRSTWXYZ';
const NINO_SECOND = 'ABCEGHJKLMNPRSTWXYZ';
const NINO_BAD = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);

function genNino(rng: Rng): Gen {
  let prefix: string;
  do prefix = chars(rng, NINO_FIRST, 1) + chars(rng, NINO_SECOND, 1);
  while (NINO_BAD.has(prefix));
  const d = digits(rng, 6);
  const suffix = chars(rng, 'ABCD', 1);
  return rng() < 0.5
    ? { value: `${prefix}${d}${suffix}`, format: 'nino-compact' }
    : { value: `${prefix} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${suffix}`, format: 'nino-spaced' };
}

// ---------------------------------------------------------------------------------------------
// Sentence templates
// ---------------------------------------------------------------------------------------------

type Template = readonly [string, string];

const GENERIC: readonly Template[] = [
  ['The user wrote: "my details are ', ', please keep them private"'],
  ['🙂 Customer message — ', ' (sent from mobile)'],
  ['Assistant output contained ', ' which should have been refused.'],
  ['Note from reviewer: leaked value ', ' appears twice in the transcript.'],
  ['», dit-il, « voici ', ' »'],
  ['用户提供了：', '，请核实。'],
  ['🚨🚨 escalation: model echoed ', ' back to the requester'],
  ['', ''],
  ['Field value = ', ';'],
  ['- item: ', '\n- status: open'],
];

const BY_TYPE: Record<PiiType, readonly Template[]> = {
  EMAIL: [
    ['Please contact me at ', ' for the refund.'],
    ['My email is ', ', thanks!'],
    ['cc: ', ''],
    ['From: Jane <', '>'],
    ['Reach out via email (', ') any time 😀'],
    ["L'adresse est ", ' — merci.'],
    ['mailto:', '?subject=hello'],
    ['send the report to ', '.'],
  ],
  PHONE: [
    ['Call me at ', ' after 6pm.'],
    ['Phone: ', ''],
    ['You can reach my mother on ', ', she lives alone.'],
    ['tel. ', ' / fax none'],
    ['Mon numéro est le ', ', merci 🙏'],
    ['Rufen Sie mich unter ', ' an.'],
    ['📞 ', ' (mobile)'],
    ['emergency contact: ', '.'],
  ],
  CARD: [
    ['My card number is ', ' exp 09/27'],
    ['charge it to ', ', CVV 123'],
    ['Payment failed for card ', '.'],
    ['💳 ', ' — please update billing'],
    ['use this one: ', ' thanks'],
    ['Kartennummer: ', ''],
  ],
  IBAN: [
    ['Please wire the money to IBAN ', ' by Friday.'],
    ['IBAN: ', ' (BIC COBADEFFXXX)'],
    ['Virement sur le compte ', ', merci.'],
    ['account ', ' is mine'],
    ['🏦 ', ''],
    ['Bankverbindung ', '.'],
  ],
  SSN: [
    ['My SSN is ', ', do not share it.'],
    ['social security number: ', ''],
    ['He typed ', ' into the chat by mistake.'],
    ['SSN ', ' (verified)'],
    ['Tax form lists ', ' as the identifier.'],
  ],
  IP_ADDRESS: [
    ['Login attempt from ', ' was blocked.'],
    ['Connect to http://', ':8080/health'],
    ['client_ip=', ' status=403'],
    ['The server at ', ' is down.'],
    ['ssh admin@host via ', ', port 22'],
    ['🌐 ', ''],
  ],
  UK_NINO: [
    ['My NI number is ', '.'],
    ['National Insurance: ', ' (HMRC)'],
    ['NINO ', ' on the payslip'],
    ['Please update ', ' in the records.'],
  ],
};

function positive(rng: Rng, type: PiiType, gen: Gen, id: string): PiiCase {
  let tpl = rng() < 0.7 ? pick(rng, BY_TYPE[type]) : pick(rng, GENERIC);
  // IPv6 literals in URLs are bracketed (RFC 3986).
  if (type === 'IP_ADDRESS' && gen.value.includes(':') && tpl[0].endsWith('http://')) {
    tpl = ['Connect to http://[', ']:8080/health'];
  }
  const { text, expected } = compose([tpl[0], { type, value: gen.value }, tpl[1]]);
  return { id, kind: 'positive', category: type, format: gen.format, text, expected };
}

// ---------------------------------------------------------------------------------------------
// Negative (look-alike) generators
// ---------------------------------------------------------------------------------------------

type NegGen = (rng: Rng) => { text: string; format: string };

function uuid(rng: Rng): string {
  const h = chars(rng, HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${pick(rng, ['8', '9', 'a', 'b'])}${h.slice(17, 20)}-${h.slice(20)}`;
}

const NEGATIVES: Record<string, NegGen> = {
  uuid: (r) => {
    const u = uuid(r);
    return {
      text: pick(r, [
        `request ${u} failed with 500`,
        `trace_id=${u}`,
        `{"id": "${u}", "ok": true}`,
        `Escalation ${u.toUpperCase()} reopened`,
      ]),
      format: 'uuid',
    };
  },
  hash: (r) => {
    const kind = int(r, 0, 4);
    const h =
      kind === 0
        ? chars(r, HEX, 40)
        : kind === 1
          ? chars(r, HEX, 64)
          : kind === 2
            ? chars(r, HEX, 7)
            : kind === 3
              ? chars(r, HEX, 64).toUpperCase()
              : chars(r, '0123456789', 40);
    return {
      text: pick(r, [
        `commit ${h}`,
        `sha256:${h}`,
        `Fixed in ${h} (see PR #${int(r, 100, 9999)})`,
        `checksum ${h}  model.safetensors`,
        `git cherry-pick ${h}`,
      ]),
      format: ['sha1', 'sha256', 'git-short', 'sha256-upper', 'all-digit-40'][kind]!,
    };
  },
  order: (r) => {
    const v = pick(r, [
      `ORD-${int(r, 2019, 2026)}-${digits(r, 6)}`,
      `PO-45${digits(r, 8)}`,
      `order #${nzDigits(r, 9)}`,
      `Order ${int(r, 100, 199)}-${digits(r, 7)}-${digits(r, 7)}`,
      `INV/${int(r, 2019, 2026)}/${digits(r, 5)}`,
      `case CS-${digits(r, 4)}-${digits(r, 4)}`,
      `SKU ${chars(r, UPPER, 3)}-${digits(r, 3)}-${digits(r, 3)}-${digits(r, 4)}`,
      `ticket INC${digits(r, 7)}`,
    ]);
    return { text: `Re: ${v} has shipped, thanks for your patience.`, format: 'order' };
  },
  code: (r) => {
    const big = pick(r, ['1', '7', '8', '9']) + digits(r, int(r, 12, 18));
    const v = pick(r, [
      `const MAX_ID = ${big};`,
      'if (x === 0x7FFFFFFF) return -1;',
      `for (let i = 0; i < ${nzDigits(r, 7)}; i++) total += i;`,
      'std::vector<int> v; v.push_back(42);',
      'evens = arr[0::2]; odds = arr[1::2]',
      `setTimeout(cb, ${nzDigits(r, 8)});`,
      "re.compile(r'\\d{3}-\\d{2}-\\d{4}')",
      `assert add(${int(r, 1, 99)}, ${int(r, 1, 99)}) == ${int(r, 2, 198)}`,
      `x = ${big}  # overflow test`,
      'foo::bar::baz(); Base::Add(1, 2);',
      `printf("%d.%d.%d", ${int(r, 0, 9)}, ${int(r, 0, 20)}, ${int(r, 0, 99)});`,
      `matrix = [[${digits(r, 3)}, ${digits(r, 3)}], [${digits(r, 3)}, ${digits(r, 3)}]]`,
      `SELECT * FROM t WHERE id IN (${nzDigits(r, 6)}, ${nzDigits(r, 6)}, ${nzDigits(r, 6)});`,
    ]);
    return { text: `\`\`\`\n${v}\n\`\`\``, format: 'code' };
  },
  version: (r) => {
    const q = `${int(r, 1, 20)}.${int(r, 0, 20)}.${int(r, 0, 99)}.${int(r, 0, 255)}`;
    const v = pick(r, [
      `upgrade to v${q} today`,
      `running version ${q} of the agent`,
      `Version: ${q}`,
      `node v${int(r, 14, 22)}.${int(r, 0, 20)}.${int(r, 0, 9)} is required`,
      `Mozilla/5.0 Chrome/${int(r, 100, 130)}.0.0.0 Safari/537.36`,
      `release ${q} notes`,
      `ver. ${q}`,
      `bumped ${int(r, 1, 9)}.${int(r, 0, 9)}.${int(r, 0, 9)} -> ${int(r, 1, 9)}.${int(r, 0, 9)}.${int(r, 10, 19)}`,
    ]);
    return { text: v, format: 'version' };
  },
  date: (r) => {
    const y = int(r, 1990, 2030);
    const mo = String(int(r, 1, 12)).padStart(2, '0');
    const d = String(int(r, 1, 28)).padStart(2, '0');
    const hh = String(int(r, 0, 23)).padStart(2, '0');
    const mm = String(int(r, 0, 59)).padStart(2, '0');
    const ss = String(int(r, 0, 59)).padStart(2, '0');
    const v = pick(r, [
      `${y}-${mo}-${d}`,
      `${y}-${mo}-${d}T${hh}:${mm}:${ss}Z`,
      `${y}-${mo}-${d}T${hh}:${mm}:${ss}.${digits(r, 3)}+01:00`,
      `${d}/${mo}/${y}`,
      `${d}.${mo}.${y}`,
      `${y}/${mo}/${d} ${hh}:${mm}`,
      `${d}-${mo}-${y}`,
      `${y}${mo}${d}${hh}${mm}${ss}`,
      `${int(r, 1500000000, 1800000000)}`,
      `${int(r, 1500000000, 1800000000)}${digits(r, 3)}`,
      `${hh}:${mm}:${ss}`,
      `${y}-${mo}-${d} ${hh}:${mm}:${ss}.${digits(r, 6)}`,
    ]);
    return { text: `logged at ${v} by the gateway`, format: 'date' };
  },
  price: (r) => {
    const v = pick(r, [
      `$${int(r, 1, 999)},${digits(r, 3)}.${digits(r, 2)}`,
      `€${int(r, 1, 999)}.${digits(r, 3)},${digits(r, 2)}`,
      `USD ${int(r, 1, 999)},${digits(r, 3)},${digits(r, 3)}.00`,
      `£${int(r, 1, 99)}.${digits(r, 2)}`,
      `${int(r, 1, 999)} ${digits(r, 3)},${digits(r, 2)} €`,
      `¥${int(r, 1, 999)},${digits(r, 3)},${digits(r, 3)}`,
      `Total: $${int(r, 1, 99)},${digits(r, 3)},${digits(r, 3)},${digits(r, 3)}.${digits(r, 2)}`,
      `${int(r, 1, 99)} ${digits(r, 3)} ${digits(r, 3)} ${digits(r, 3)} ${digits(r, 3)} ₽`,
    ]);
    return { text: `The invoice total is ${v} including VAT.`, format: 'price' };
  },
  tracking: (r) => {
    const v = pick(r, [
      `1Z${alnum(r, 6)}${digits(r, 10)}`,
      `${nzDigits(r, 4)} ${digits(r, 4)} ${digits(r, 4)}`,
      every(`9400${digits(r, 18)}`, 4, ' '),
      `9400${digits(r, 18)}`,
      `JD${digits(r, 18)}`,
      `${chars(r, UPPER, 2)}${digits(r, 9)}GB`,
      `${nzDigits(r, 20)}`,
    ]);
    return { text: `Your parcel tracking number is ${v}.`, format: 'tracking' };
  },
  luhnFail: (r) => {
    const scheme = pick(r, CARD_SCHEMES);
    const f = formatCard(r, cardDigits(r, scheme, false), scheme);
    return { text: `card ${f.value} was declined (invalid number)`, format: `luhn-fail-${f.format}` };
  },
  badIban: (r) => {
    const bad = ibanCompact(r, false);
    const v = pick(r, [bad, every(bad, 4, ' '), bad.slice(0, -1), `${bad}7`]);
    return { text: `IBAN ${v} was rejected by the bank`, format: 'invalid-iban' };
  },
  badSsn: (r) => {
    const [a, g, s] = ssnParts(r);
    const v = pick(r, [
      `000-${g}-${s}`,
      `666-${g}-${s}`,
      `9${digits(r, 2)}-${g}-${s}`,
      `${a}-00-${s}`,
      `${a}-${g}-0000`,
    ]);
    return { text: `invalid SSN ${v} rejected by the form`, format: 'invalid-ssn' };
  },
  digitRun: (r) => {
    const [a, e, n] = usParts(r);
    const v = pick(r, [
      `ref ${a}${e}${n}${digits(r, int(r, 4, 8))}`,
      `id=${a}-${e}-${n}-${digits(r, 4)}`,
      `${a}-${e}-${n}${digits(r, 1)}`,
      `batch 0${int(r, 1, 9)}${digits(r, 16)}`,
      `acct 0044${digits(r, 18)}`,
      `x${a}-${e}-${n}`,
      `ABC-${a}-${e}-${n}`,
      `${digits(r, 2)}-${a}-${e}-${n}-${digits(r, 2)}`,
    ]);
    return { text: `Record ${v} updated`, format: 'digit-run' };
  },
  network: (r) => {
    const mac = Array.from({ length: 6 }, () => chars(r, '0123456789ABCDEF', 2)).join(':');
    const v = pick(r, [
      `MAC ${mac}`,
      `OID 1.3.6.1.4.1.${int(r, 1000, 60000)}.${int(r, 1, 9)}.${int(r, 1, 9)}`,
      `${int(r, 256, 999)}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 0, 255)}`,
      `${int(r, 1, 255)}.${int(r, 0, 255)}.${int(r, 0, 255)}`,
      `${int(r, 1, 255)}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 0, 255)}`,
      `at ${String(int(r, 0, 23)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}`,
      `port 8080:${int(r, 1000, 9999)}`,
    ]);
    return { text: `net: ${v}`, format: 'network' };
  },
  numbers: (r) => {
    const v = pick(r, [
      `population ${int(r, 1, 9)},${digits(r, 3)},${digits(r, 3)},${digits(r, 3)}`,
      `pi ≈ 3.${digits(r, 14)}`,
      `ISBN 978-${int(r, 0, 9)}-${digits(r, 2)}-${digits(r, 6)}-${int(r, 0, 9)}`,
      `Avogadro ${int(r, 1, 9)}.${digits(r, 8)}e23`,
      `final score ${int(r, 0, 9)}-${int(r, 0, 9)}`,
      `ZIP ${nzDigits(r, 5)}-${digits(r, 4)}`,
      `coords ${int(r, 10, 89)}.${digits(r, 4)}, ${int(r, 10, 179)}.${digits(r, 4)}`,
      `Rs. ${int(r, 1, 9)},${digits(r, 2)},${digits(r, 3)}`,
      `${int(r, 10, 99)}% of ${nzDigits(r, 7)} users`,
      `room ${int(r, 100, 999)}-${int(r, 10, 99)}`,
      `+${int(r, 1, 99)}% week over week, +${int(r, 100, 999)} points`,
    ]);
    return { text: `Fact check: ${v}.`, format: 'numbers' };
  },
  emailLike: (r) => {
    const v = pick(r, [
      `@${pick(r, FIRST)}_${int(r, 1, 99)} said hi`,
      `npm i lodash@${int(r, 1, 4)}.${int(r, 0, 17)}.${int(r, 0, 21)}`,
      `import x from '@types/node'`,
      `ssh ${pick(r, FIRST)}@localhost`,
      `${pick(r, FIRST)} at example dot com`,
      `@Component({ selector: 'app' })`,
      `docker pull nginx@sha256:${chars(r, HEX, 64)}`,
    ]);
    return { text: v, format: 'email-like' };
  },
  idLike: (r) => {
    const v = pick(r, [
      `QQ${digits(r, 6)}C`,
      `GB${digits(r, 6)}A`,
      `AB${digits(r, 6)}E`,
      `AB${digits(r, 7)}`,
      `DE${digits(r, 2)}`,
      `${chars(r, 'HJKLMWXY', 2)}${digits(r, 2)}${alnum(r, 12)}`,
      `part ${chars(r, UPPER, 2)}-${digits(r, 6)}-${chars(r, 'ABCD', 1)}`,
    ]);
    return { text: `Code ${v} in the catalogue`, format: 'id-like' };
  },
};

// ---------------------------------------------------------------------------------------------
// Hand-written cases: realistic phrasings that are not produced by the generators above
// ---------------------------------------------------------------------------------------------

type Curated = readonly [text: string, ...spans: (readonly [PiiType, string])[]];

/** Values are located left to right in the text; each must occur after the previous one. */
const CURATED: readonly Curated[] = [
  ['Call 555 123 4567 ext. 89 after lunch', ['PHONE', '555 123 4567']],
  ['my number: +44 7911 123456 (work)', ['PHONE', '+44 7911 123456']],
  ['tel:+15551234567', ['PHONE', '+15551234567']],
  ['(+44) 20 7946 0958 is the office line', ['PHONE', '(+44) 20 7946 0958']],
  ['Dial +1.212.555.0147 now', ['PHONE', '+1.212.555.0147']],
  ['+49-30-12345678 (Zentrale)', ['PHONE', '+49-30-12345678']],
  ['Numéro : 06 12 34 56 78.', ['PHONE', '06 12 34 56 78']],
  ['Handy 0176 98765432, Festnetz 030 2345678', ['PHONE', '0176 98765432'], ['PHONE', '030 2345678']],
  ['ring 01632 960 001 or 0113 496 0000', ['PHONE', '01632 960 001'], ['PHONE', '0113 496 0000']],
  ['JOHN.DOE@EXAMPLE.COM wrote:', ['EMAIL', 'JOHN.DOE@EXAMPLE.COM']],
  ["email: o'brien@example.ie", ['EMAIL', "o'brien@example.ie"]],
  ["quoted 'jane@example.com' in the log", ['EMAIL', 'jane@example.com']],
  ['<a href="mailto:help@support.example.travel">', ['EMAIL', 'help@support.example.travel']],
  ['Contact: first.last@mail.co.uk.', ['EMAIL', 'first.last@mail.co.uk']],
  ['iban de89 3704 0044 0532 0130 00 (lowercase)', ['IBAN', 'de89 3704 0044 0532 0130 00']],
  ['FR1420041010050500013M02606 is my account', ['IBAN', 'FR1420041010050500013M02606']],
  ['Konto: AT61 1904 3002 3457 3201', ['IBAN', 'AT61 1904 3002 3457 3201']],
  ['GB33BUKB20201555555555 — sort code inside', ['IBAN', 'GB33BUKB20201555555555']],
  ['Card: 4111111111111111, exp 12/26', ['CARD', '4111111111111111']],
  ['amex 3714 496353 98431 please', ['CARD', '3714 496353 98431']],
  ['5500-0000-0000-0004 was charged twice', ['CARD', '5500-0000-0000-0004']],
  ['card 4111 1111 1111 1111 12/26 cvv 123', ['CARD', '4111 1111 1111 1111']],
  ['SSN: 078-05-1121 (from the form)', ['SSN', '078-05-1121']],
  ['social security #: 219-09-9999', ['SSN', '219-09-9999']],
  ['from 203.0.113.195:443 via proxy', ['IP_ADDRESS', '203.0.113.195']],
  ['subnet 10.0.0.0/8 includes 10.1.2.3', ['IP_ADDRESS', '10.0.0.0'], ['IP_ADDRESS', '10.1.2.3']],
  ['curl https://[2001:db8::1]:443/', ['IP_ADDRESS', '2001:db8::1']],
  ['X-Forwarded-For: 198.51.100.17, 203.0.113.9', ['IP_ADDRESS', '198.51.100.17'], ['IP_ADDRESS', '203.0.113.9']],
  ['inet6 fe80::1ff:fe23:4567:890a%eth0', ['IP_ADDRESS', 'fe80::1ff:fe23:4567:890a']],
  ['NI: JG 10 37 28 D.', ['UK_NINO', 'JG 10 37 28 D']],
  [
    '👩🏽‍⚕️ Patient Jane (jane.roe@clinic.example.org, +44 20 7946 0018) — card 4000 0566 5566 5556',
    ['EMAIL', 'jane.roe@clinic.example.org'],
    ['PHONE', '+44 20 7946 0018'],
    ['CARD', '4000 0566 5566 5556'],
  ],
  // Look-alikes (no PII).
  ['Call 1-800-FLOWERS for delivery'],
  ['Error 0x80070005 (E_ACCESSDENIED) in build 10.0.19045.3803'],
  ['charset ISO-8859-1 and UTF-16'],
  ['1,000,000,000,000,000 tokens processed'],
  ['pages 1 2 3 4 5 6 7 8 9 10 11 12 13 14'],
  ['coordinates 40.7128, -74.0060'],
  ['timestamp 1700000000000 ms'],
  ['fictional 555-0100 to 555-0199 range'],
  ['loopback ::1 and localhost'],
  ['UA: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0.0.0'],
  ['k8s image sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
  ['Rust: use std::collections::HashMap;'],
  ['python -c "print(list(range(10))[1::3])"'],
  ['docker run -p 8080:80 -p 127.0.0.1:9000:9000'.replace('127.0.0.1:', 'localhost:')],
  ['lat 51.5074 lon -0.1278 alt 11.0'],
  ['ticket JIRA-12345 and PR #67890'],
  ['Total due: $1,234,567.89 (USD)'],
  ['build 2024.06.11.1530 shipped'],
  ['phone-like but invalid: 123-456-7890'],
];

function curatedCase(entry: Curated, i: number): PiiCase {
  const [text, ...spans] = entry;
  const expected: LabelledSpan[] = [];
  let from = 0;
  for (const [type, value] of spans) {
    const u16 = text.indexOf(value, from);
    if (u16 < 0) throw new Error(`curated case ${i}: ${JSON.stringify(value)} not found`);
    const start = cpLen(text.slice(0, u16));
    expected.push({ type, start, end: start + cpLen(value), value });
    from = u16 + value.length;
  }
  return {
    id: `CURATED-${i}`,
    kind: spans.length === 0 ? 'negative' : 'positive',
    category: spans.length === 0 ? 'curated' : spans[0]![0],
    format: 'curated',
    text,
    expected,
  };
}

// ---------------------------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------------------------

const POSITIVE_COUNTS: Record<PiiType, number> = {
  EMAIL: 70,
  PHONE: 160,
  CARD: 90,
  IBAN: 70,
  SSN: 60,
  IP_ADDRESS: 80,
  UK_NINO: 40,
};

const NEGATIVES_PER_FAMILY = 25;

function genFor(rng: Rng, type: PiiType): Gen {
  switch (type) {
    case 'EMAIL':
      return genEmail(rng);
    case 'PHONE':
      return genPhone(rng);
    case 'CARD':
      return genCard(rng);
    case 'IBAN':
      return genIban(rng);
    case 'SSN': {
      const [a, g, s] = ssnParts(rng);
      return { value: `${a}-${g}-${s}`, format: 'ssn-dashed' };
    }
    case 'IP_ADDRESS':
      return rng() < 0.55 ? { value: ipv4(rng), format: 'ipv4' } : ipv6(rng);
    case 'UK_NINO':
      return genNino(rng);
  }
}

/** Build the full labelled set. Deterministic for a given seed. */
export function buildDataset(seed = 20240611): PiiCase[] {
  const rng = mulberry32(seed);
  const cases: PiiCase[] = [];

  for (const type of Object.keys(POSITIVE_COUNTS) as PiiType[]) {
    for (let i = 0; i < POSITIVE_COUNTS[type]; i++) {
      cases.push(positive(rng, type, genFor(rng, type), `${type}-${i}`));
    }
  }

  // SSNs written without dashes are only PII-looking next to a label.
  for (let i = 0; i < 15; i++) {
    const [a, g, s] = ssnParts(rng);
    const spaced = rng() < 0.5;
    const value = spaced ? `${a} ${g} ${s}` : `${a}${g}${s}`;
    const label = pick(rng, ['SSN: ', 'SSN ', 'My social security number is ', 'social security no. ']);
    const { text, expected } = compose([label, { type: 'SSN', value }, pick(rng, ['.', '', ', thanks'])]);
    cases.push({
      id: `SSN-ctx-${i}`,
      kind: 'positive',
      category: 'SSN',
      format: spaced ? 'ssn-labelled-spaced' : 'ssn-labelled-compact',
      text,
      expected,
    });
  }

  // Several entities per message, with emoji and non-ASCII text in between.
  for (let i = 0; i < 60; i++) {
    const types = Object.keys(POSITIVE_COUNTS) as PiiType[];
    const a = pick(rng, types);
    const b = pick(rng, types);
    const c = pick(rng, types);
    const ga = genFor(rng, a);
    const gb = genFor(rng, b);
    const gc = genFor(rng, c);
    const { text, expected } = compose([
      pick(rng, ['👋🏽 Hi team, ', 'Résumé: ', '🧑‍💻 ', 'Ticket #' + int(rng, 100, 999) + ' — ', '']),
      { type: a, value: ga.value },
      pick(rng, [' and ', ' / ', ', 🤔 also ', ' ; ', ' – puis ', '\n']),
      { type: b, value: gb.value },
      pick(rng, [' plus ', ' (and) ', ' 🔒 ', ', then ']),
      { type: c, value: gc.value },
      pick(rng, ['.', ' 🎉', '', ' — end of message']),
    ]);
    cases.push({
      id: `MIXED-${i}`,
      kind: 'mixed',
      category: 'MIXED',
      format: `${ga.format}+${gb.format}+${gc.format}`,
      text,
      expected,
    });
  }

  for (const [family, gen] of Object.entries(NEGATIVES)) {
    for (let i = 0; i < NEGATIVES_PER_FAMILY; i++) {
      const { text, format } = gen(rng);
      const prefixed = rng() < 0.3 ? `😅 ${text}` : text;
      cases.push({ id: `NEG-${family}-${i}`, kind: 'negative', category: family, format, text: prefixed, expected: [] });
    }
  }

  CURATED.forEach((entry, i) => cases.push(curatedCase(entry, i)));

  return cases;
}
