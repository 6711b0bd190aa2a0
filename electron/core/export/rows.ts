/**
 * One reviewed item as the format builders see it. Texts are redacted lazily, on first access,
 * so a format only pays for the texts it exports (sft with a correction never touches the
 * original output). One instance is reused for every row: the builders copy out the arrays and
 * strings they need, never the instance.
 */
import type { Candidate } from './process.ts';
import type { Msg, RowSource } from './formats.ts';
import { itemPii, type ItemPii, type Redactor } from './redaction.ts';

type Conversation = { messages?: { role: string; content: string }[] } | null;

/** Messages as `{role, content}` only (a message's optional `name` is not exported). */
function plainMessages(json: string | null): Msg[] {
  if (json === null) return [];
  const c = JSON.parse(json) as Conversation;
  const msgs = c?.messages ?? [];
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
  private rawInput: Msg[] = [];
  private rawOutput: Msg[] = [];
  private rawCorrection: string | null = null;
  private pii: ItemPii | null = null;
  private redactedInput: Msg[] | null = null;
  private redactedOutput: Msg[] | null = null;
  private redactedCorrection: string | null | undefined = undefined;

  constructor(private readonly redactor: Redactor) {}

  load(c: Candidate): this {
    this.itemId = c.itemId;
    this.route = c.route;
    this.decision = c.decision;
    this.labels = JSON.parse(c.labels) as string[];
    this.severity = c.severity;
    this.rawInput = plainMessages(c.input);
    this.rawOutput = plainMessages(c.output);
    this.rawCorrection = c.correction;
    this.pii =
      this.redactor.enabled && c.flags !== null && c.flags !== '[]' ? itemPii(JSON.parse(c.flags), this.rawInput, this.rawOutput) : null;
    this.redactedInput = null;
    this.redactedOutput = null;
    this.redactedCorrection = undefined;
    return this;
  }

  get input(): Msg[] {
    return (this.redactedInput ??= this.redactor.messages(this.rawInput, 'input', this.pii));
  }

  get output(): Msg[] {
    return (this.redactedOutput ??= this.redactor.messages(this.rawOutput, 'output', this.pii));
  }

  get correction(): string | null {
    if (this.redactedCorrection === undefined)
      this.redactedCorrection = this.rawCorrection === null ? null : this.redactor.text(this.rawCorrection, undefined, this.pii);
    return this.redactedCorrection;
  }
}
