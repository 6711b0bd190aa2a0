/**
 * The four dataset layouts, each described once: how a reviewed item becomes a row, the row's
 * columns for Parquet (message lists are real `list<struct<role, content>>` columns), and the
 * Hugging Face `features` for the dataset card. JSONL rows are the same objects, serialised
 * with keys in column order.
 */
import type { SchemaElement } from 'hyparquet';
import type { ExportFormat } from './options.ts';

export interface Msg {
  role: string;
  content: string;
}

/** What the row builders see of one reviewed item, texts already redacted. */
export interface RowSource {
  itemId: string;
  route: string;
  decision: string;
  labels: string[];
  severity: string | null;
  input: Msg[];
  output: Msg[];
  /** The reviewer's corrected output, or null. */
  correction: string | null;
  /** The reviewed spans (flags' spans after the reviewer's edits, and the ones added), one JSON object text each. */
  spans: string[];
  /** False when the source says the chosen reply followed other turns than the rejected one (HH `chosen_prompt_matches`). */
  promptConsistent: boolean;
}

export type Row = Record<string, unknown>;

export interface BuildOptions {
  includeDismissed: boolean;
  /** Preference formats: keep pairs whose prompt is inconsistent (left out by default). */
  keepInconsistent: boolean;
}

/** Why an item selected for export produced no row. */
export type SkipReason = 'no_correction' | 'no_output' | 'inconsistent_prompt';

export type Column =
  | { name: string; kind: 'messages' }
  | { name: string; kind: 'input_messages' }
  | { name: string; kind: 'string' }
  | { name: string; kind: 'nullable_string' }
  | { name: string; kind: 'string_list' };

export interface FormatSpec {
  format: ExportFormat;
  columns: Column[];
  /** Hugging Face task categories for the card. */
  taskCategories: string[];
  tags: string[];
  summary: string;
  /** Texts that `build` needs: the builder never looks at anything else. */
  build(src: RowSource, opts: BuildOptions): Row | SkipReason;
}

const assistant = (content: string): Msg[] => [{ role: 'assistant', content }];

/** A correction is present when the reviewer recorded one, even an empty text (the UI sends null for "no correction"). */
const hasCorrection = (s: RowSource) => s.correction !== null;

export const FORMATS: Record<ExportFormat, FormatSpec> = {
  sft: {
    format: 'sft',
    columns: [{ name: 'messages', kind: 'messages' }],
    taskCategories: ['text-generation'],
    tags: ['sft', 'chat', 'safety'],
    summary:
      'Supervised fine-tuning conversations in the OpenAI chat fine-tuning format: the input messages followed by one assistant message holding the reviewer\'s corrected output.',
    build(s, { includeDismissed }) {
      if (hasCorrection(s)) return { messages: [...s.input, ...assistant(s.correction!)] };
      if (includeDismissed && s.decision === 'dismiss') {
        if (s.output.length === 0) return 'no_output';
        return { messages: [...s.input, ...s.output] };
      }
      return 'no_correction';
    },
  },
  preference: {
    format: 'preference',
    columns: [
      { name: 'input', kind: 'input_messages' },
      { name: 'preferred_output', kind: 'messages' },
      { name: 'non_preferred_output', kind: 'messages' },
    ],
    taskCategories: ['text-generation'],
    tags: ['preference', 'dpo', 'safety'],
    summary:
      'Preference pairs in the OpenAI preference fine-tuning format: the reviewer\'s correction is preferred over the model\'s original output.',
    build(s, { keepInconsistent }) {
      if (!s.promptConsistent && !keepInconsistent) return 'inconsistent_prompt';
      if (!hasCorrection(s)) return 'no_correction';
      if (s.output.length === 0) return 'no_output';
      return { input: { messages: s.input }, preferred_output: assistant(s.correction!), non_preferred_output: s.output };
    },
  },
  'trl-dpo': {
    format: 'trl-dpo',
    columns: [
      { name: 'prompt', kind: 'messages' },
      { name: 'chosen', kind: 'messages' },
      { name: 'rejected', kind: 'messages' },
    ],
    taskCategories: ['text-generation'],
    tags: ['dpo', 'trl', 'preference', 'safety'],
    summary:
      'Preference pairs in the Hugging Face TRL conversational format (prompt / chosen / rejected): the reviewer\'s correction is chosen, the model\'s original output rejected.',
    build(s, { keepInconsistent }) {
      if (!s.promptConsistent && !keepInconsistent) return 'inconsistent_prompt';
      if (!hasCorrection(s)) return 'no_correction';
      if (s.output.length === 0) return 'no_output';
      return { prompt: s.input, chosen: assistant(s.correction!), rejected: s.output };
    },
  },
  classifier: {
    format: 'classifier',
    columns: [
      { name: 'item_id', kind: 'string' },
      { name: 'route', kind: 'string' },
      { name: 'input', kind: 'messages' },
      { name: 'output', kind: 'messages' },
      { name: 'decision', kind: 'string' },
      { name: 'labels', kind: 'string_list' },
      { name: 'severity', kind: 'nullable_string' },
      { name: 'spans', kind: 'string_list' },
    ],
    taskCategories: ['text-classification'],
    tags: ['safety', 'content-moderation', 'classifier'],
    summary:
      'One row per reviewed item for training a Llama Guard-style safety classifier: the conversation (input and output messages), the reviewer\'s decision, taxonomy labels, severity and the reviewed spans (JSON objects: field, start and end in code points, label, origin flag or reviewer).',
    build(s) {
      return {
        item_id: s.itemId,
        route: s.route,
        input: s.input,
        output: s.output,
        decision: s.decision,
        labels: s.labels,
        severity: s.severity,
        spans: s.spans,
      };
    },
  },
};

// -------------------------------------------------------------------------------------------
// Parquet schema

const utf8 = (name: string, repetition: 'REQUIRED' | 'OPTIONAL' = 'REQUIRED'): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: repetition,
});

/** A three-level LIST of struct<role, content>, as Arrow and Hugging Face `datasets` write it. */
function messageList(name: string): SchemaElement[] {
  return [
    { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', repetition_type: 'REQUIRED', num_children: 2 },
    utf8('role'),
    utf8('content'),
  ];
}

export function parquetSchema(spec: FormatSpec): SchemaElement[] {
  const out: SchemaElement[] = [{ name: 'root', num_children: spec.columns.length }];
  for (const c of spec.columns) {
    switch (c.kind) {
      case 'messages':
        out.push(...messageList(c.name));
        break;
      case 'input_messages':
        out.push({ name: c.name, repetition_type: 'REQUIRED', num_children: 1 }, ...messageList('messages'));
        break;
      case 'string':
        out.push(utf8(c.name));
        break;
      case 'nullable_string':
        out.push(utf8(c.name, 'OPTIONAL'));
        break;
      case 'string_list':
        out.push(
          { name: c.name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          utf8('element'),
        );
        break;
    }
  }
  return out;
}

// -------------------------------------------------------------------------------------------
// Hugging Face `dataset_info.features` (YAML lines, indented by the caller)

const MESSAGE_FEATURE = ['list:', '- name: role', '  dtype: string', '- name: content', '  dtype: string'];

export function featureYaml(spec: FormatSpec): string[] {
  const lines: string[] = [];
  const indent = (xs: string[], by: string) => xs.map((x) => by + x);
  for (const c of spec.columns) {
    lines.push(`- name: ${c.name}`);
    switch (c.kind) {
      case 'messages':
        lines.push(...indent(MESSAGE_FEATURE, '  '));
        break;
      case 'input_messages':
        lines.push('  struct:', '  - name: messages', ...indent(MESSAGE_FEATURE, '    '));
        break;
      case 'string':
      case 'nullable_string':
        lines.push('  dtype: string');
        break;
      case 'string_list':
        lines.push('  sequence: string');
        break;
    }
  }
  return lines;
}
