import { describe, it, expect } from 'vitest';
import { canonicalJson, sha256Hex } from '../../electron/core/audit/canonical.ts';

// Input/output pairs from cyberphone/json-canonicalization testdata/ (the
// RFC 8785 reference test suite). Inputs are JSON text, parsed first.
const CYBERPHONE: [name: string, input: string, output: string][] = [
  [
    'values.json',
    '{\n  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],\n' +
      '  "escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n' +
      '  "literals": [null, true, false]\n}',
    '{"escaping":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/","literals":[null,true,false],' +
      '"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}',
  ],
  [
    'structures.json',
    '{\n  "1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0},\n  "10": { },\n  "": "empty",\n' +
      '  "a": { },\n  "111": [ { } ],\n  "A": { }\n}',
    '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}',
  ],
  [
    'weird.json',
    '{\n  "\\u20ac": "Euro Sign",\n  "1": "One",\n  "\\u0080": "Control\\u007f",\n' +
      '  "\\ud83d\\ude02": "Smiley",\n  "\\u00f6": "Latin Small Letter O With Diaeresis",\n' +
      '  "\\ufb33": "Hebrew Letter Dalet With Dagesh",\n  "</script>": "Browser Challenge"\n}',
    '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f",' +
      '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
      '"\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  ],
  [
    'french.json',
    '{\n  "peach": "This sorting order",\n  "péché": "is wrong according to French",\n' +
      '  "pêche": "but canonicalization MUST",\n  "sin":   "ingnore locale"\n}',
    '{"peach":"This sorting order","péché":"is wrong according to French",' +
      '"pêche":"but canonicalization MUST","sin":"ingnore locale"}',
  ],
  [
    'unicode.json',
    '{\n  "Unnormalized Unicode":"\\u1e0d\\u0307"\n}',
    '{"Unnormalized Unicode":"\u1e0d\u0307"}',
  ],
];

// RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
const APPENDIX_B: [bits: string, text: string][] = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
  // Extra samples from the cyberphone testdata README.
  ['4340000000000001', '9007199254740994'],
  ['4340000000000002', '9007199254740996'],
];

const double = (bits: string): number => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
};

describe('canonicalJson (RFC 8785)', () => {
  it.each(CYBERPHONE)('cyberphone testdata %s', (_name, input, output) => {
    expect(canonicalJson(JSON.parse(input))).toBe(output);
  });

  it('RFC 8785 section 3.2.4 example', () => {
    const input =
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
      ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
      ' "literals": [null, true, false]}';
    expect(canonicalJson(JSON.parse(input))).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('RFC 8785 section 3.2.3 sorts keys by UTF-16 code units, not code points or locale', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
        '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each(APPENDIX_B)('number 0x%s -> %s', (bits, text) => {
    expect(canonicalJson(double(bits))).toBe(text);
    expect(canonicalJson([double(bits)])).toBe(`[${text}]`);
  });

  it('arrays keep order while nested object keys are sorted', () => {
    // cyberphone testdata/input/arrays.json
    const input = '[\n  56,\n  {\n    "d": true,\n    "10": null,\n    "1": [ ]\n  }\n]';
    expect(canonicalJson(JSON.parse(input))).toBe('[56,{"1":[],"10":null,"d":true}]');
  });

  it('is independent of insertion order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, 2] }, b: 1 }),
    );
  });

  it('serializes toJSON results (e.g. Date) like JSON.stringify', () => {
    const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(canonicalJson({ at: d })).toBe('{"at":"2024-01-02T03:04:05.000Z"}');
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['NaN bits 7fffffffffffffff', double('7fffffffffffffff')],
    ['Infinity bits 7ff0000000000000', double('7ff0000000000000')],
  ])('rejects non-finite number %s, also when nested', (_name, n) => {
    expect(() => canonicalJson(n)).toThrow(/non-finite/);
    expect(() => canonicalJson({ a: [1, { b: n }] })).toThrow(/non-finite number .* at \$\.a\[1\]\.b/);
  });

  it('rejects undefined instead of silently dropping it', () => {
    expect(() => canonicalJson(undefined)).toThrow(/undefined is not allowed at \$/);
    expect(() => canonicalJson({ a: 1, b: undefined })).toThrow(/undefined is not allowed at \$\.b/);
    expect(() => canonicalJson([1, undefined])).toThrow(/undefined is not allowed at \$\[1\]/);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => canonicalJson([1, , 3])).toThrow(/undefined/);
    expect(() => canonicalJson({ toJSON: () => undefined })).toThrow(/undefined/);
  });

  it('rejects other values outside the JSON data model', () => {
    expect(() => canonicalJson(() => 1)).toThrow(/function/);
    expect(() => canonicalJson({ s: Symbol('x') })).toThrow(/symbol/);
    expect(() => canonicalJson({ n: 10n })).toThrow(/bigint/);
    expect(() => canonicalJson(new Map([['a', 1]]))).toThrow(/non-plain object/);
    expect(() => canonicalJson('\ud800')).toThrow(/surrogate/i);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
  });

  it('allows shared (non-circular) references', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    expect(canonicalJson(Object.assign(Object.create(null) as object, { k: 'v' }))).toBe('{"k":"v"}');
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 "abc" and empty-string digests', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes strings as UTF-8, identical to the equivalent bytes', () => {
    expect(sha256Hex('€')).toBe(sha256Hex(new Uint8Array([0xe2, 0x82, 0xac])));
  });
});
