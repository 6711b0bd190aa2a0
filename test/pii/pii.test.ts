import { describe, expect, it } from 'vitest';
import {
  detectPii,
  ibanChecksumValid,
  ibanValid,
  ipv6Valid,
  luhnValid,
  mayContainPii,
  PII_TYPES,
  type PiiType,
} from '../../electron/core/export/pii/detect.ts';
import { redactText } from '../../electron/core/export/pii/redact.ts';
import { buildDataset } from './dataset.ts';
import { evaluate, formatTable } from './evaluate.ts';

const cases = buildDataset();
const evaluation = evaluate(cases);

/** Code-point slice, independent of the implementation under test. */
const cpSlice = (s: string, start: number, end: number): string => Array.from(s).slice(start, end).join('');

const types = (text: string): string[] => detectPii(text).map((m) => `${m.type}:${m.value}`);

describe('evaluation set', () => {
  it('is deterministic and has several hundred labelled cases', () => {
    const again = buildDataset();
    expect(again).toEqual(cases);
    expect(cases.length).toBeGreaterThan(500);
    const negatives = cases.filter((c) => c.kind === 'negative');
    expect(negatives.length).toBeGreaterThan(300);
    for (const t of PII_TYPES) {
      const n = cases.reduce((a, c) => a + c.expected.filter((e) => e.type === t).length, 0);
      expect(n, t).toBeGreaterThanOrEqual(50);
    }
  });

  it('labels use code-point offsets', () => {
    for (const c of cases) {
      for (const e of c.expected) expect(cpSlice(c.text, e.start, e.end), c.id).toBe(e.value);
    }
    // The set does exercise astral characters before PII.
    expect(cases.some((c) => c.expected.length > 0 && /[\uD800-\uDBFF]/.test(c.text))).toBe(true);
  });
});

describe('precision / recall per entity (exact spans)', () => {
  it('prints the table', () => {
    console.log(`\n${formatTable(evaluation)}\n`);
    if (evaluation.errors.length > 0) console.log(JSON.stringify(evaluation.errors.slice(0, 10), null, 2));
  });

  it.each(PII_TYPES.map((t) => [t]))('%s precision and recall >= 0.95', (type: PiiType) => {
    const s = evaluation.scores.find((x) => x.type === type)!;
    expect(s.support).toBeGreaterThan(0);
    expect(s.precision, `${type} precision`).toBeGreaterThanOrEqual(0.95);
    expect(s.recall, `${type} recall`).toBeGreaterThanOrEqual(0.95);
  });
});

describe('look-alikes survive redaction unchanged', () => {
  const negatives = cases.filter((c) => c.kind === 'negative');
  it.each([...new Set(negatives.map((c) => c.category))].map((f) => [f]))('%s', (family: string) => {
    for (const c of negatives.filter((n) => n.category === family)) {
      const r = redactText(c.text);
      expect(r.text, c.id).toBe(c.text);
      expect(r.replaced, c.id).toBe(0);
    }
  });

  it('hand-picked look-alikes', () => {
    const lookAlikes = [
      'request 3f2b8c1e-9a7d-4e2b-8c1f-0a9b8c7d6e5f failed',
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'ORD-2024-000123 shipped',
      'Order 112-3456789-1234567',
      'upgrade to v1.2.3.4 or version 10.0.0.1 (see Chrome/120.0.0.0)',
      '2024-01-15T10:30:00Z and 15/01/2024 and 12:30:45',
      'Total $1,234.56 or €1.299,00',
      'UPS 1Z999AA10123456784, USPS 9400 1000 0000 0000 0000 00',
      'card 4111 1111 1111 1112 declined',
      'IBAN DE89 3704 0044 0532 0130 01 rejected',
      'SSNs 000-12-3456, 666-12-3456, 912-34-5678, 123-00-4567, 123-45-0000 are invalid',
      'ids 5551234567890 and 555-123-4567-8901',
      'MAC 00:1A:2B:3C:4D:5E, OID 1.3.6.1.4.1.2021.10',
      'std::vector<int> v; evens = arr[0::2];',
      'const MAX = 9007199254740991;',
    ];
    for (const t of lookAlikes) expect(redactText(t).text, t).toBe(t);
  });
});

describe('formats', () => {
  it('phones: US, international, UK, FR, DE', () => {
    const phones = [
      '(555) 123-4567',
      '555-123-4567',
      '555.123.4567',
      '1-555-123-4567',
      '+1 (555) 123-4567',
      '+15551234567',
      '+44 20 7946 0958',
      '+44 (0)20 7946 0958',
      '020 7946 0958',
      '07700 900123',
      '0161 496 0000',
      '01 23 45 67 89',
      '06.12.34.56.78',
      '+33 6 12 34 56 78',
      '+33 (0)1 23 45 67 89',
      '030 12345678',
      '0151 12345678',
      '(089) 1234 5678',
      '+49 30 12345678',
      '+91 98765 43210',
    ];
    for (const p of phones) {
      expect(types(`call ${p} now`), p).toEqual([`PHONE:${p}`]);
      expect(types(`(${p})`), p).toEqual([`PHONE:${p}`]);
    }
  });

  it('cards: Luhn + IIN checked, with spaces or dashes', () => {
    expect(types('4111111111111111')).toEqual(['CARD:4111111111111111']);
    expect(types('pay 4111 1111 1111 1111 12/26')).toEqual(['CARD:4111 1111 1111 1111']);
    expect(types('5500-0000-0000-0004')).toEqual(['CARD:5500-0000-0000-0004']);
    expect(types('amex 3782 822463 10005')).toEqual(['CARD:3782 822463 10005']);
    expect(types('4111 1111 1111 1112')).toEqual([]); // Luhn fails
    expect(types('1234 5678 9012 3452')).toEqual([]); // Luhn ok, but no card scheme starts with 12
    expect(types('4111-1111 1111-1111')).toEqual([]); // mixed separators
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });

  it('IBANs: mod-97 checked, with or without spaces', () => {
    expect(types('DE89370400440532013000')).toEqual(['IBAN:DE89370400440532013000']);
    expect(types('IBAN: GB82 WEST 1234 5698 7654 32.')).toEqual(['IBAN:GB82 WEST 1234 5698 7654 32']);
    expect(types('GB82 WEST 1234 5698 7654 33')).toEqual([]);
    expect(ibanChecksumValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('GB82WEST1234569876543')).toBe(false); // wrong length
    expect(ibanValid('XX82WEST12345698765432')).toBe(false); // unknown country
  });

  it('SSNs: invalid areas, groups and serials are ignored', () => {
    expect(types('SSN 123-45-6789')).toEqual(['SSN:123-45-6789']);
    expect(types('SSN: 123 45 6789')).toEqual(['SSN:123 45 6789']);
    expect(types('social security number is 123456789')).toEqual(['SSN:123456789']);
    expect(types('123 45 6789')).toEqual([]); // no dashes and no label: too ambiguous
    for (const bad of ['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000']) {
      expect(types(bad), bad).toEqual([]);
    }
  });

  it('IP addresses: IPv4 (not versions) and IPv6 incl. compressed', () => {
    expect(types('from 192.168.1.20:8080')).toEqual(['IP_ADDRESS:192.168.1.20']);
    expect(types('1.2.3.4')).toEqual(['IP_ADDRESS:1.2.3.4']);
    expect(types('v1.2.3.4')).toEqual([]);
    expect(types('version 1.2.3.4')).toEqual([]);
    expect(types('256.1.1.1 and 01.02.03.04')).toEqual([]);
    expect(types('2001:0db8:85a3:0000:0000:8a2e:0370:7334')).toEqual([
      'IP_ADDRESS:2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    ]);
    expect(types('[2001:db8::1]:443, fe80::1ff:fe23:4567:890a.')).toEqual([
      'IP_ADDRESS:2001:db8::1',
      'IP_ADDRESS:fe80::1ff:fe23:4567:890a',
    ]);
    expect(types('::ffff:192.0.2.128')).toEqual(['IP_ADDRESS:::ffff:192.0.2.128']);
    expect(ipv6Valid('1::2::3')).toBe(false);
    expect(ipv6Valid('12:30:45')).toBe(false);
  });

  it('e-mail and UK NINO', () => {
    expect(types('mail John.Doe+news@mail.example.co.uk.')).toEqual(['EMAIL:John.Doe+news@mail.example.co.uk']);
    expect(types('npm i lodash@4.17.21 and @types/node')).toEqual([]);
    expect(types('NI AB 12 34 56 C / AB123456C')).toEqual(['UK_NINO:AB 12 34 56 C', 'UK_NINO:AB123456C']);
    expect(types('QQ123456C GB123456A AB123456E')).toEqual([]);
  });

  it('overlaps: the longest / most specific match wins', () => {
    // The US-phone-shaped tail of an international number, digits of an IBAN, an IPv4 tail of IPv6.
    expect(types('+1 555-123-4567')).toEqual(['PHONE:+1 555-123-4567']);
    expect(types('DE89 3704 0044 0532 0130 00')).toEqual(['IBAN:DE89 3704 0044 0532 0130 00']);
    expect(types('::ffff:10.0.0.1')).toEqual(['IP_ADDRESS:::ffff:10.0.0.1']);
    const m = detectPii('a 555-123-4567@example.com b');
    expect(m.map((x) => x.type)).toEqual(['EMAIL']);
  });
});

describe('pre-filters', () => {
  it('skips text with no digit and no @ (nothing any detector could match)', () => {
    expect(mayContainPii('')).toBe(false);
    expect(mayContainPii('No numbers or addresses here, just words. ✓')).toBe(false);
    expect(mayContainPii('mail me at jane@example.com')).toBe(true);
    expect(mayContainPii('room 1')).toBe(true);
  });

  it('still finds entities that have exactly the fewest digits their detector needs', () => {
    // IPv4: 4 digits; NINO: 6; SSN: 9; card: 13 (13-digit Visa).
    expect(types('from 1.2.3.4 today')).toEqual(['IP_ADDRESS:1.2.3.4']);
    expect(types('NI number AB 12 34 56 C.')).toEqual(['UK_NINO:AB 12 34 56 C']);
    expect(types('SSN: 123-45-6789')).toEqual(['SSN:123-45-6789']);
    expect(types('card 4222222222222 on file')).toEqual(['CARD:4222222222222']);
    // One digit short of each: nothing.
    expect(types('from 1.2.3. today; NI AB 12 34 5 C; card 422222222222')).toEqual([]);
  });
});

describe('code-point offsets', () => {
  it('counts astral characters (emoji) as one', () => {
    // 👩‍👩‍👧 is 5 code points (3 emoji + 2 ZWJ) but 8 UTF-16 units; 😀 and 𝒳 are 1 code point, 2 units.
    const text = '👩‍👩‍👧 😀 call 555-123-4567, 𝒳 mail x@example.com';
    expect(detectPii(text)).toEqual([
      { type: 'PHONE', start: 13, end: 25, value: '555-123-4567' },
      { type: 'EMAIL', start: 34, end: 47, value: 'x@example.com' },
    ]);
    for (const x of detectPii(text)) expect(cpSlice(text, x.start, x.end)).toBe(x.value);
    // UTF-16 offsets would differ: 4 (then 5) surrogate pairs precede the matches.
    expect(text.indexOf('555-123-4567')).toBe(17);
    expect(text.indexOf('x@example.com')).toBe(39);
  });

  it('is right for every labelled case with emoji before the match', () => {
    const withAstral = cases.filter((c) => c.expected.length > 0 && /[\uD800-\uDBFF]/.test(c.text));
    expect(withAstral.length).toBeGreaterThan(30);
    for (const c of withAstral) {
      for (const m of detectPii(c.text)) expect(cpSlice(c.text, m.start, m.end), c.id).toBe(m.value);
    }
  });
});

describe('redactText', () => {
  it('replaces PII with typed placeholders', () => {
    const r = redactText(
      'Hi, I am Jane (jane.doe@example.com, +44 20 7946 0958). Card 4111 1111 1111 1111, ' +
        'IBAN GB82 WEST 1234 5698 7654 32, SSN 123-45-6789, IP 203.0.113.7, NI AB123456C.',
    );
    expect(r.text).toBe(
      'Hi, I am Jane ([EMAIL], [PHONE]). Card [CARD], IBAN [IBAN], SSN [SSN], IP [IP_ADDRESS], NI [UK_NINO].',
    );
    expect(r.replaced).toBe(7);
    expect(r.byType).toEqual({ EMAIL: 1, PHONE: 1, CARD: 1, IBAN: 1, SSN: 1, IP_ADDRESS: 1, UK_NINO: 1 });
  });

  it('returns the input untouched when there is nothing to redact', () => {
    const text = 'nothing to see here: v1.2.3.4, 2024-01-15, $12.50';
    expect(redactText(text)).toEqual({ text, replaced: 0, byType: {} });
  });

  it('applies extra spans in code points, typed or [PII], merging overlaps', () => {
    const text = '😀 Bob Smith (bob@example.com) lives at 12 Oak Road';
    // "Bob Smith" = [2, 11); the address "12 Oak Road" = [39, 50); a span overlapping the e-mail.
    const r = redactText(text, [
      { start: 2, end: 11, type: 'NAME' },
      { start: 39, end: 50 },
      { start: 13, end: 16, type: 'NAME' },
    ]);
    expect(r.text).toBe('😀 [NAME] ([EMAIL]) lives at [PII]');
    expect(r.replaced).toBe(3);
    expect(r.byType).toEqual({ NAME: 1, EMAIL: 1, PII: 1 });
  });

  it('merges overlapping extra spans into one placeholder typed by the longest', () => {
    const text = 'alpha beta gamma delta';
    const r = redactText(text, [
      { start: 0, end: 10, type: 'A' },
      { start: 6, end: 16, type: 'B' },
      { start: 11, end: 22, type: 'C' },
    ]);
    expect(r).toEqual({ text: '[C]', replaced: 1, byType: { C: 1 } });
    // Touching spans stay separate.
    expect(redactText('abcdef', [{ start: 0, end: 3 }, { start: 3, end: 6, type: 'X' }]).text).toBe('[PII][X]');
  });

  it('clamps or ignores out-of-range and inverted spans', () => {
    const text = '🙂 hello';
    expect(redactText(text, [{ start: 2, end: 999 }]).text).toBe('🙂 [PII]');
    expect(redactText(text, [{ start: 5, end: 3 }, { start: 99, end: 120 }, { start: -4, end: 1 }]).text).toBe(
      '[PII] hello',
    );
    expect(redactText(text, [{ start: 0, end: 1, type: '  ' }]).text).toBe('[PII] hello');
  });
});

describe('robustness', () => {
  // No clock here (timing belongs in `npm run bench`): a pattern that backtracks catastrophically on
  // these inputs does not finish within the test timeout, which fails the test.
  it('finishes on pathological input, and still redacts the marked span', () => {
    const n = 100_000;
    const inputs = [
      '1'.repeat(n),
      '1 '.repeat(n / 2),
      '+1 ' + '2 '.repeat(n / 2),
      'a@'.repeat(n / 2),
      'x@' + 'a.'.repeat(n / 2) + '1',
      'SSN' + ' '.repeat(n) + 'x',
      'AB12 '.repeat(n / 5),
      '(555) 1-2 3.4 +5 '.repeat(n / 17),
      ':'.repeat(n),
    ];
    for (const t of inputs) {
      const r = redactText(t, [{ start: 1, end: 4 }]);
      expect(r.replaced).toBeGreaterThan(0);
      expect(r.text).not.toBe(t);
    }
  });
});
