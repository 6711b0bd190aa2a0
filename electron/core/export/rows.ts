/**
 * One reviewed item as the format builders see it. Texts are redacted lazily, on first access,
 * so a format only pays for the texts it exports (sft with a correction never touches the
 * original output). One instance is reused for every row: the builders copy out the arrays and
 * strings they need, never the instance.
 */
import type { ExportRowTuple } from '../../../db/queries/export.ts';
import type { SpanEdit } from '../../../db/queries/verdicts.ts';
import type { Msg, RowSource } from './formats.ts';
import { itemPii, type ItemPii, type Redactor } from './redaction.ts';

type Conversation = { messages?: Msg[] } | null;

/** A conversation's messages as parsed (a message may carry more than `role` and `content`). */
function messagesOf(conversation: unknown): Msg[] {
  return (conversation as Conversation)?.messages ?? [];
}

/** Messages as `{role, content}` only (a message's optional `name` is not exported). */
function plainMessages(msgs: Msg[]): Msg[] {
  const out = new Array<Msg>(msgs.length);
  for (let i = 0; i < msgs.length; i++) out[i] = { role: msgs[i]!.role, content: msgs[i]!.content };
  return out;
}

export class LazyRow implements RowSource {
  itemId = '';
  route = '';
  decision = '';
  labels: string[] = [];
  severity: string | null = null;
  promptConsistent = true;
  private rawInput: Msg[] = [];
  private rawOutput: Msg[] = [];
  private rawCorrection: string | null = null;
  private pii: ItemPii | null = null;
  private redactedInput: Msg[] | null = null;
  private redactedOutput: Msg[] | null = null;
  private redactedCorrection: string | null | undefined = undefined;
  private rawFlags: unknown = null;
  private rawSpanEdits: unknown[] = [];

  constructor(private readonly redactor: Redactor) {}

  /** `r`: the item's row as decoded from its JSON text (the arrays and strings are not copied). */
  load(r: ExportRowTuple): this {
    this.itemId = r[0];
    this.route = r[1];
    this.decision = r[3];
    this.labels = r[4];
    this.severity = r[5];
    this.rawCorrection = r[6];
    this.promptConsistent = r[14] !== 0 && r[14] !== false;
    this.rawInput = messagesOf(r[8]);
    this.rawOutput = messagesOf(r[9]);
    this.pii = this.redactor.enabled && r[10] != null ? itemPii(r[10], this.rawInput, this.rawOutput) : null;
    this.redactedInput = null;
    this.redactedOutput = null;
    this.redactedCorrection = undefined;
    this.rawFlags = r[10];
    this.rawSpanEdits = r[15] ?? [];
    return this;
  }

  // The redactor builds new `{role, content}` messages; without redaction they are copied here.
  get input(): Msg[] {
    return (this.redactedInput ??= this.redactor.enabled
      ? this.redactor.messages(this.rawInput, 'input', this.pii)
      : plainMessages(this.rawInput));
  }

  get output(): Msg[] {
    return (this.redactedOutput ??= this.redactor.enabled
      ? this.redactor.messages(this.rawOutput, 'output', this.pii)
      : plainMessages(this.rawOutput));
  }

  /**
   * The reviewed spans: each flag's span as the reviewer left it (moved, or gone when rejected)
   * and the spans the reviewer added. A span in a message that redaction changed is left out:
   * its code-point offsets point into the original text.
   */
  get spans(): string[] {
    const out: { end: number; field: string; label: string; origin: string; start: number }[] = [];
    const edits = this.rawSpanEdits as SpanEdit[];
    const flags = (Array.isArray(this.rawFlags) ? this.rawFlags : []) as { source: string; category?: string; spans?: { field: string; start: number; end: number; label?: string }[] }[];
    flags.forEach((f, fi) =>
      (f.spans ?? []).forEach((s, si) => {
        const edit = edits.find((e) => e.op !== 'add' && e.flag === fi && e.span === si);
        if (edit?.op === 'reject') return;
        const b = edit?.op === 'adjust' ? edit : s;
        out.push({ end: b.end, field: s.field, label: s.label ?? f.category ?? f.source, origin: 'flag', start: b.start });
      }),
    );
    for (const e of edits) if (e.op === 'add') out.push({ end: e.end, field: e.field, label: e.label, origin: 'reviewer', start: e.start });
    return out.filter((s) => this.unredacted(s.field)).map((s) => JSON.stringify(s));
  }

  private unredacted(field: string): boolean {
    if (!this.redactor.enabled) return true;
    const m = /^(input|output)(?:\.messages\[(\d+)\])?$/.exec(field);
    if (!m) return false;
    const i = m[2] === undefined ? 0 : Number(m[2]);
    const [raw, shown] = m[1] === 'input' ? [this.rawInput, this.input] : [this.rawOutput, this.output];
    return raw[i] !== undefined && raw[i]!.content === shown[i]?.content;
  }

  get correction(): string | null {
    if (this.redactedCorrection === undefined)
      this.redactedCorrection = this.rawCorrection === null ? null : this.redactor.text(this.rawCorrection, undefined, this.pii);
    return this.redactedCorrection;
  }
}
