/**
 * Characters that change how text reads without being seen (Unicode TR36/TR39): bidi controls
 * reorder it ("invoice_\u202Egpj.exe" displays as "invoice_exe.jpg"), zero-width and tag
 * characters hide inside words. Queue content is attacker-controlled, so the desk never lets
 * them act: every one is shown as a visible, named code point instead.
 */

const NAMES: Record<number, string> = {
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3164: 'HANGUL FILLER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
};

const HIDDEN = /\u034F|[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0]|[\u{E0000}-\u{E007F}]/u;
const HIDDEN_ALL = new RegExp(HIDDEN.source, 'gu');
const PICTO = /\p{Extended_Pictographic}/u;

export function hasHidden(text: string): boolean {
  return HIDDEN.test(text);
}

export function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function codePointName(cp: number): string {
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'TAG CHARACTER';
  return NAMES[cp] ?? 'INVISIBLE CHARACTER';
}

export type Piece = { text: string } | { hidden: number };

/**
 * Splits text into plain runs and hidden code points. A zero width joiner between two
 * pictographs is how emoji sequences are written (👩‍💻), so it stays as it is.
 */
export function splitHidden(text: string): Piece[] {
  if (!HIDDEN.test(text)) return [{ text }];
  const out: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(HIDDEN_ALL)) {
    const at = m.index;
    const cp = m[0].codePointAt(0)!;
    if (cp === 0x200d && isPicto(text, at, -1) && isPicto(text, at + 1, 1)) continue;
    if (at > last) out.push({ text: text.slice(last, at) });
    out.push({ hidden: cp });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

function isPicto(text: string, at: number, dir: -1 | 1): boolean {
  const cps = dir === 1 ? Array.from(text.slice(at, at + 4)) : Array.from(text.slice(Math.max(0, at - 4), at));
  const cp = dir === 1 ? cps[0] : cps[cps.length - 1];
  // A variation selector may sit between the pictograph and the joiner.
  if (dir === -1 && cp === '\uFE0F') return PICTO.test(cps[cps.length - 2] ?? '');
  return cp !== undefined && PICTO.test(cp);
}

/** For places that take a plain string (titles, tooltips): each hidden code point as ⟦U+202E⟧. */
export function visibleString(text: string): string {
  return splitHidden(text)
    .map((p) => ('text' in p ? p.text : `⟦${codePointLabel(p.hidden)}⟧`))
    .join('');
}
