/**
 * Escalation record v1: the public input format. The JSON Schema published in
 * `build/escalation-record.v1.schema.json` is generated from this file (a test keeps them in sync).
 */
import { z } from 'zod';

export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export const RISK_TIERS = ['high', 'medium', 'low'] as const;
export const ROLES = ['system', 'user', 'assistant', 'tool'] as const;
export const EVIDENCE_KINDS = [
  'retrieved_document',
  'citation',
  'tool_call',
  'detector_output',
  'reference_response',
  'note',
] as const;

/** Rank used for sorting: lower is more urgent. */
export const PRIORITY_RANK: Record<Priority, number> = { critical: 0, high: 1, normal: 2, low: 3 };

const shortText = z.string().max(4096);
const longText = z.string().max(1_000_000);
const metadata = z.record(z.string(), z.unknown());

export const messageSchema = z.object({
  role: z.enum(ROLES),
  content: longText,
  name: shortText.optional(),
});

const conversationObject = z.object({ messages: z.array(messageSchema).max(1000) });

/** A conversation, or a plain string as shorthand for one message. */
export const conversationSchema = z.union([longText, conversationObject]);

export const spanSchema = z
  .object({
    field: shortText.describe('The message the span is in: "output", "output.messages[0]", "input.messages[2]"'),
    start: z.number().int().min(0).describe('Start offset in Unicode code points'),
    end: z.number().int().min(0).describe('End offset (exclusive) in Unicode code points'),
    label: shortText.optional(),
  })
  .refine((s) => s.end >= s.start, { message: 'span end must not be before start', path: ['end'] });

export const flagSchema = z.object({
  source: shortText.describe('The detector or policy engine that raised the flag'),
  policy: shortText.optional(),
  category: shortText.optional(),
  score: z.number().min(0).max(1).optional(),
  reason: z.string().max(65536).optional(),
  spans: z.array(spanSchema).max(10000).default([]),
});

export const evidenceSchema = z.object({
  kind: z.enum(EVIDENCE_KINDS),
  title: shortText.optional(),
  uri: shortText.optional(),
  content: longText.optional(),
  metadata: metadata.optional(),
});

export const pipelineStepSchema = z.object({
  step: shortText,
  version: shortText.optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

export const provenanceSchema = z
  .object({
    'gen_ai.provider.name': shortText.optional(),
    'gen_ai.request.model': shortText.optional(),
    'gen_ai.response.model': shortText.optional(),
    'gen_ai.response.id': shortText.optional(),
    'gen_ai.conversation.id': shortText.optional(),
    model_version: shortText.optional(),
    deployment: shortText.optional(),
    request_id: shortText.optional(),
    trace_id: shortText.optional(),
    span_id: shortText.optional(),
    dataset_snapshot: shortText.optional(),
    pipeline: z.array(pipelineStepSchema).max(1000).optional(),
  })
  .catchall(z.unknown());

export const escalationRecordSchema = z.object({
  id: z.string().min(1).max(512).describe("The source's id; the idempotency key within a source"),
  created_at: z.iso.datetime({ offset: true }).describe('RFC 3339 timestamp'),
  priority: z.enum(PRIORITIES).default('normal'),
  risk_tier: z.enum(RISK_TIERS).optional(),
  route: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'route must be a lowercase name such as trust_safety, clinical or legal')
    .default('trust_safety'),
  input: conversationSchema,
  output: conversationSchema.optional(),
  flags: z.array(flagSchema).max(1000).default([]),
  evidence: z.array(evidenceSchema).max(1000).default([]),
  provenance: provenanceSchema.default({}),
  metadata: metadata.default({}),
});

export type Priority = (typeof PRIORITIES)[number];
export type Role = (typeof ROLES)[number];
export type Message = z.infer<typeof messageSchema>;
export type Flag = z.infer<typeof flagSchema>;
export type Span = z.infer<typeof spanSchema>;
export type Evidence = z.infer<typeof evidenceSchema>;
export type Provenance = z.infer<typeof provenanceSchema>;
/** What a producer writes (defaults may be omitted). */
export type EscalationRecordInput = z.input<typeof escalationRecordSchema>;
/** A validated record with defaults applied; conversations may still be string shorthands. */
export type EscalationRecordParsed = z.infer<typeof escalationRecordSchema>;

/** The stored form: shorthands expanded so every consumer sees `{ messages }`. */
export interface EscalationRecord extends Omit<EscalationRecordParsed, 'input' | 'output'> {
  input: { messages: Message[] };
  output?: { messages: Message[] };
}

export function expandConversation(c: string | { messages: Message[] }, role: Role): { messages: Message[] } {
  return typeof c === 'string' ? { messages: [{ role, content: c }] } : c;
}

/** Expands the shorthands in place: the parsed object is fresh from zod and owned by the caller. */
export function normalizeRecord(r: EscalationRecordParsed): EscalationRecord {
  const out = r as unknown as EscalationRecord;
  if (typeof r.input === 'string') out.input = expandConversation(r.input, 'user');
  if (typeof r.output === 'string') out.output = expandConversation(r.output, 'assistant');
  return out;
}

/** The JSON Schema document published for producers. */
export function escalationRecordJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(escalationRecordSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: 'https://verdict.dev/schemas/escalation-record.v1.json',
    title: 'Verdict escalation record v1',
  };
}
