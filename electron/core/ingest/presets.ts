/**
 * Foreign JSONL: a mapping file of JSON Pointers onto record fields, and built-in presets.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { canonicalJson } from '../audit/canonical.ts';
import type { Message } from '../record/schema.ts';
import { UserError } from '../util/errors.ts';
import type { Mapper } from './parse.ts';

/** RFC 6901 JSON Pointer lookup. */
export function getPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) throw new Error(`JSON Pointer must start with "/": ${pointer}`);
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const mappingSchema = z.object({
  fields: z.record(z.string(), z.string().regex(/^(\/.*)?$/, 'each field maps to a JSON Pointer such as /prompt')),
  defaults: z.record(z.string(), z.unknown()).default({}),
  /** When the source has no id, derive one from the content so re-ingest stays idempotent. */
  idFromContent: z.boolean().default(false),
});
export type Mapping = z.infer<typeof mappingSchema>;

function contentId(prefix: string, value: unknown): string {
  return `${prefix}_${createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32)}`;
}

export function mapperFromMapping(mapping: Mapping): Mapper {
  return (value) => {
    const out: Record<string, unknown> = { ...mapping.defaults };
    for (const [field, pointer] of Object.entries(mapping.fields)) {
      const v = getPointer(value, pointer);
      if (v !== undefined) out[field] = v;
    }
    if (out.id === undefined && mapping.idFromContent) out.id = contentId('m', value);
    if (typeof out.id === 'number') out.id = String(out.id);
    return out;
  };
}

export function loadMappingFile(path: string): Mapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`cannot read mapping file ${path}: ${(err as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`mapping file ${path}: ${issue.message} at ${issue.path.join('.') || '(root)'}`);
  }
  return parsed.data;
}

/** Splits an Anthropic HH transcript ("\n\nHuman: …\n\nAssistant: …") into messages. */
export function parseHhTranscript(text: string): Message[] {
  const parts = text.split(/\n\n(Human|Assistant): ?/);
  const messages: Message[] = [];
  if (parts[0] && parts[0].trim() !== '') throw new Error('transcript does not start with a Human: or Assistant: turn');
  for (let i = 1; i < parts.length; i += 2) {
    messages.push({ role: parts[i] === 'Human' ? 'user' : 'assistant', content: parts[i + 1] ?? '' });
  }
  if (messages.length === 0) throw new Error('no Human:/Assistant: turns found');
  return messages;
}

/** The creation time given to every HH item: the dataset's publication date (ids are content-derived). */
export const HH_CREATED_AT = '2022-04-12T00:00:00Z';

/**
 * Anthropic HH-RLHF `{chosen, rejected}`: the shared turns become the input, the rejected
 * last reply is the flagged output and the chosen last reply a reference response.
 */
export const hhRlhfMapper: Mapper = (value) => {
  const v = value as { chosen?: unknown; rejected?: unknown };
  if (typeof v.chosen !== 'string') throw new Error('"chosen" must be a string transcript');
  if (typeof v.rejected !== 'string') throw new Error('"rejected" must be a string transcript');
  const chosen = parseHhTranscript(v.chosen);
  const rejected = parseHhTranscript(v.rejected);
  const chosenLast = chosen[chosen.length - 1]!;
  const rejectedLast = rejected[rejected.length - 1]!;
  if (chosenLast.role !== 'assistant' || rejectedLast.role !== 'assistant')
    throw new Error('both transcripts must end with an Assistant: reply');
  const prompt = rejected.slice(0, -1);
  return {
    id: contentId('hh', { chosen: v.chosen, rejected: v.rejected }),
    created_at: HH_CREATED_AT,
    priority: 'normal',
    route: 'trust_safety',
    input: { messages: prompt },
    output: { messages: [rejectedLast] },
    flags: [
      {
        source: 'hh-rlhf',
        policy: 'harmlessness',
        category: 'harmlessness',
        reason: 'Rejected by a human preference annotator as the less harmless reply',
        spans: [],
      },
    ],
    evidence: [{ kind: 'reference_response', title: 'Preferred (chosen) reply', content: chosenLast.content }],
    provenance: { dataset_snapshot: 'Anthropic/hh-rlhf harmless-base test' },
    metadata: { preset: 'hh-rlhf', chosen_prompt_matches: canonicalJson(chosen.slice(0, -1)) === canonicalJson(prompt) },
  };
};

export const PRESETS: Record<string, Mapper> = { 'hh-rlhf': hhRlhfMapper };

export function presetMapper(name: string): Mapper {
  const m = PRESETS[name];
  if (!m) throw new UserError(`unknown preset "${name}"; known presets: ${Object.keys(PRESETS).join(', ')}`);
  return m;
}
