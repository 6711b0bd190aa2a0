/**
 * The Hugging Face dataset card (`README.md`): a YAML header the Hub reads (configs with
 * data_files per split, dataset_info features and splits, license, task categories, and the
 * label taxonomy used) and prose on what the data is, counts, redaction and provenance.
 *
 * It holds no timestamps, export ids or audit heads, so the same workspace state and options
 * always produce the same bytes.
 */
import { featureYaml, type FormatSpec } from './formats.ts';
import type { NormalizedOptions, OutputKind, SplitName } from './options.ts';

/** How the card names each reason an item produced no row. */
const SKIP_TEXT: Record<string, string> = {
  no_correction: 'without a usable correction',
  no_output: 'without a usable original output',
  inconsistent_prompt: 'preference pair(s) whose chosen reply followed other turns than the rejected one (kept only with --keep-inconsistent-pairs)',
};

export interface CardSplit {
  name: SplitName;
  rows: number;
  /** Bytes of the split's files in the card's format. */
  bytes: number;
  files: number;
}

export interface CardInput {
  spec: FormatSpec;
  options: NormalizedOptions;
  /** The format the `configs` point at: parquet when written, else jsonl. */
  configFormat: OutputKind;
  splits: CardSplit[];
  rows: number;
  perDecision: Record<string, number>;
  /** Labels used by exported rows: id, display name and row count, in taxonomy order. */
  labels: { id: string; name: string; rows: number }[];
  taxonomy: { name: string; version: string };
  excludedConflict: number;
  skipped: Record<string, number>;
  redaction: { enabled: boolean; placeholders: Record<string, number>; rowsChanged: number };
  appVersion: string;
}

const q = (s: string) => JSON.stringify(s);

function sizeCategory(n: number): string {
  if (n < 1_000) return 'n<1K';
  if (n < 10_000) return '1K<n<10K';
  if (n < 100_000) return '10K<n<100K';
  if (n < 1_000_000) return '100K<n<1M';
  if (n < 10_000_000) return '1M<n<10M';
  return '10M<n<100M';
}

const fmt = (n: number) => n.toLocaleString('en-US');

const FIELD_DOCS: Record<string, string> = {
  messages: 'list of `{role, content}`: the input conversation, then the assistant turn to learn',
  'preference:input': '`{messages: [{role, content}]}`: the conversation the model saw',
  input: 'list of `{role, content}`: the conversation the model saw',
  preferred_output: 'list with one assistant message: the reviewer\'s corrected output',
  non_preferred_output: 'list of messages: the model\'s original output',
  prompt: 'list of `{role, content}`: the conversation the model saw',
  chosen: 'list with one assistant message: the reviewer\'s corrected output',
  rejected: 'list of messages: the model\'s original output',
  item_id: 'the Verdict item id (UUIDv7)',
  route: 'the review route the item belongs to (trust_safety, clinical, legal, …)',
  output: 'list of `{role, content}`: the model\'s output',
  decision: '`violation`, `dismiss` or `escalate`: the reviewer\'s decision in force',
  labels: 'taxonomy label ids the reviewer assigned (sorted)',
  severity: 'the reviewer\'s severity, or null',
};

export function renderCard(c: CardInput): string {
  const o = c.options;
  const ext = c.configFormat;
  const present = c.splits.filter((s) => s.rows > 0);
  const y: string[] = ['---'];
  y.push(`license: ${o.license}`);
  y.push('task_categories:', ...c.spec.taskCategories.map((t) => `- ${t}`));
  y.push('tags:', ...['verdict', ...c.spec.tags].map((t) => `- ${t}`));
  y.push(`pretty_name: ${q(`Verdict ${o.format} export`)}`);
  y.push('size_categories:', `- ${sizeCategory(c.rows)}`);
  if (present.length) {
    y.push('configs:', '- config_name: default', '  data_files:');
    for (const s of present) y.push(`  - split: ${s.name}`, `    path: ${q(`data/${s.name}-*.${ext}`)}`);
  }
  y.push('dataset_info:', '  features:', ...featureYaml(c.spec).map((l) => `  ${l}`));
  if (present.length) {
    y.push('  splits:');
    for (const s of present) y.push(`  - name: ${s.name}`, `    num_bytes: ${s.bytes}`, `    num_examples: ${s.rows}`);
  }
  y.push('taxonomy:', `  name: ${q(c.taxonomy.name)}`, `  version: ${q(c.taxonomy.version)}`);
  if (c.labels.length) {
    y.push('  labels:');
    for (const l of c.labels) y.push(`  - id: ${q(l.id)}`, `    name: ${q(l.name)}`, `    num_examples: ${l.rows}`);
  } else {
    y.push('  labels: []');
  }
  y.push('---', '');

  const p: string[] = [];
  p.push(`# Verdict ${o.format} export`, '');
  p.push(c.spec.summary, '');
  p.push(
    `Rows come from human review verdicts recorded in a Verdict workspace: each row is one reviewed escalation (a flagged model input/output) and the verdict in force for it when the dataset was cut. Amended verdicts contribute their amendment; undone verdicts and skips contribute nothing.`,
    '',
  );
  p.push('## Contents', '');
  p.push('| split | rows | files |', '| --- | ---: | ---: |');
  for (const s of c.splits) p.push(`| ${s.name} | ${fmt(s.rows)} | ${s.files} |`);
  p.push(`| **total** | **${fmt(c.rows)}** | |`, '');
  const ratios = `${o.split.train} / ${o.split.validation} / ${o.split.test}`;
  p.push(
    `Splits are assigned by a hash of seed ${o.seed} and each row's conversation (the \`gen_ai.conversation.id\`, else the request id, else the item id), with target ratios ${ratios}: every row of one conversation is in the same split, and the assignment is reproducible.`,
    '',
  );
  const decisions = Object.keys(c.perDecision).sort();
  p.push(`Decisions: ${decisions.length ? decisions.map((d) => `${d} ${fmt(c.perDecision[d]!)}`).join(', ') : 'none'}.`, '');
  if (c.labels.length) {
    p.push(`Labels (taxonomy ${c.taxonomy.name}, version ${c.taxonomy.version}):`, '');
    p.push('| label | name | rows |', '| --- | --- | ---: |');
    for (const l of c.labels) p.push(`| ${l.id} | ${l.name.replace(/\|/g, '\\|')} | ${fmt(l.rows)} |`);
    p.push('');
  }
  const filters = Object.entries(o.filters)
    .filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  p.push(`Selection: ${filters.join('; ')}.`);
  const skipped = Object.entries(c.skipped).filter(([, n]) => n > 0);
  p.push(
    `Left out: ${fmt(c.excludedConflict)} item(s) with an unresolved revision conflict` +
      (skipped.length ? `; ${skipped.map(([k, n]) => `${fmt(n)} ${SKIP_TEXT[k] ?? k}`).join('; ')}` : '') +
      '.',
    '',
  );
  p.push('## Fields', '');
  for (const col of c.spec.columns) p.push(`- \`${col.name}\`: ${FIELD_DOCS[`${o.format}:${col.name}`] ?? FIELD_DOCS[col.name] ?? ''}`);
  p.push('');
  p.push('## Redaction', '');
  if (c.redaction.enabled) {
    const types = Object.keys(c.redaction.placeholders).sort();
    p.push(
      'Every exported text went through Verdict\'s PII redaction: e-mail addresses, phone numbers, payment cards, IBANs, US SSNs, IP addresses and UK NINOs found by the built-in detector, and every span a detector flag marked as PII (plus any repetition of the flagged value elsewhere in the row), are replaced by typed placeholders such as `[EMAIL]`. Redaction is automatic and can miss PII the detectors do not know.',
      '',
      `Placeholders written: ${types.length ? types.map((t) => `\`[${t}]\` ${fmt(c.redaction.placeholders[t]!)}`).join(', ') : 'none'}; rows changed: ${fmt(c.redaction.rowsChanged)}.`,
    );
  } else {
    p.push('**Redaction was turned off for this export**: texts are exactly as the model and the reviewers wrote them and may contain personal data.');
  }
  if (o.allowUnredacted) p.push('', 'The export was allowed to proceed although PII-flagged items were unresolved or unredacted (recorded in the workspace audit log).');
  p.push('');
  p.push('## Provenance', '');
  p.push(
    `Exported by Verdict ${c.appVersion}. \`manifest.json\` lists every file with its SHA-256, the filters, seed and counts, and binds them to the workspace's tamper-evident audit log: the export is recorded there as an \`export.created\` event, and the manifest carries that event's leaf hash and RFC 6962 inclusion proof. \`items.jsonl\` names, row by row, the Verdict item and the verdict each row came from. Check a copy with \`verdict export verify DIR --workspace WORKSPACE\`.`,
    '',
  );
  p.push('## Files', '');
  const kinds = o.outputs.map((k) => (k === 'parquet' ? '`data/<split>-NNNNN-of-NNNNN.parquet` (Parquet, message lists as `list<struct<role, content>>`)' : '`data/<split>-NNNNN-of-NNNNN.jsonl` (JSON Lines)'));
  p.push(`Data: ${kinds.join(' and ')}, at most ${fmt(o.shardRows)} rows per file.`, '');
  return `${y.join('\n')}\n${p.join('\n')}`;
}
