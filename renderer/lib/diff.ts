/** A small LCS diff over lines or words (no dependency): enough for revisions and corrections. */

export type DiffOp = { op: 'same' | 'add' | 'del'; text: string };

const MAX_CELLS = 4_000_000;

/** Longest-common-subsequence diff of two token lists. Falls back to "all removed, all added" when too large. */
export function diffTokens(a: readonly string[], b: readonly string[]): DiffOp[] {
  // Trim the common prefix and suffix first: most edits are local.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const head: DiffOp[] = a.slice(0, pre).map((text) => ({ op: 'same', text }));
  const tail: DiffOp[] = a.slice(a.length - suf).map((text) => ({ op: 'same', text }));
  const x = a.slice(pre, a.length - suf);
  const y = b.slice(pre, b.length - suf);
  const n = x.length;
  const m = y.length;
  if (n * m > MAX_CELLS) {
    return [...head, ...x.map((text): DiffOp => ({ op: 'del', text })), ...y.map((text): DiffOp => ({ op: 'add', text })), ...tail];
  }
  // lcs[i][j] = LCS length of x[i..] and y[j..], flattened.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const mid: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      mid.push({ op: 'same', text: x[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) mid.push({ op: 'del', text: x[i++]! });
    else mid.push({ op: 'add', text: y[j++]! });
  }
  while (i < n) mid.push({ op: 'del', text: x[i++]! });
  while (j < m) mid.push({ op: 'add', text: y[j++]! });
  return [...head, ...mid, ...tail];
}

export function diffLines(a: string, b: string): DiffOp[] {
  return diffTokens(a.split('\n'), b.split('\n'));
}

/** Words and the whitespace between them, so joining the tokens gives the text back. */
export function diffWords(a: string, b: string): DiffOp[] {
  const tok = (s: string) => s.match(/^\s+|\S+\s*/g) ?? [];
  return merge(regroup(diffTokens(tok(a), tok(b))));
}

/** Between two unchanged runs, shows everything removed first, then everything added. */
function regroup(ops: DiffOp[]): DiffOp[] {
  const out: DiffOp[] = [];
  let dels: DiffOp[] = [];
  let adds: DiffOp[] = [];
  const flush = () => {
    out.push(...dels, ...adds);
    dels = [];
    adds = [];
  };
  for (const o of ops) {
    if (o.op === 'same') {
      flush();
      out.push(o);
    } else (o.op === 'del' ? dels : adds).push(o);
  }
  flush();
  return out;
}

/** Joins runs of the same op. */
function merge(ops: DiffOp[]): DiffOp[] {
  const out: DiffOp[] = [];
  for (const o of ops) {
    const last = out[out.length - 1];
    if (last && last.op === o.op) last.text += o.text;
    else out.push({ ...o });
  }
  return out;
}

export interface DiffRow {
  op: 'same' | 'add' | 'del';
  /** Whole line, or word-level pieces when the line was changed in place. */
  pieces: DiffOp[];
  oldNo: number | null;
  newNo: number | null;
}

/** A line diff where a removed line directly followed by an added one gets word-level pieces. */
export function diffRows(a: string, b: string): DiffRow[] {
  const ops = diffLines(a, b);
  const rows: DiffRow[] = [];
  let oldNo = 0;
  let newNo = 0;
  for (let k = 0; k < ops.length; k++) {
    const o = ops[k]!;
    if (o.op === 'same') {
      rows.push({ op: 'same', pieces: [o], oldNo: ++oldNo, newNo: ++newNo });
      continue;
    }
    // Collect a block of dels then adds and pair them up.
    const dels: string[] = [];
    const adds: string[] = [];
    while (k < ops.length && ops[k]!.op === 'del') dels.push(ops[k++]!.text);
    while (k < ops.length && ops[k]!.op === 'add') adds.push(ops[k++]!.text);
    k--;
    const pairs = Math.min(dels.length, adds.length);
    for (let p = 0; p < dels.length; p++) {
      const pieces = p < pairs ? diffWords(dels[p]!, adds[p]!).filter((x) => x.op !== 'add') : [{ op: 'del' as const, text: dels[p]! }];
      rows.push({ op: 'del', pieces, oldNo: ++oldNo, newNo: null });
    }
    for (let p = 0; p < adds.length; p++) {
      const pieces = p < pairs ? diffWords(dels[p]!, adds[p]!).filter((x) => x.op !== 'del') : [{ op: 'add' as const, text: adds[p]! }];
      rows.push({ op: 'add', pieces, oldNo: null, newNo: ++newNo });
    }
  }
  return rows;
}
