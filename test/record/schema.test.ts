import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, schemaText } from '../../electron/cli/write-schema.ts';
import { escalationRecordSchema, normalizeRecord } from '../../electron/core/record/schema.ts';

describe('escalation record v1', () => {
  it('the published JSON Schema matches the zod schema (run "npm run schema" after changing it)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });

  it('expands string shorthands and applies defaults', () => {
    const r = normalizeRecord(
      escalationRecordSchema.parse({ id: 'x', created_at: '2026-11-01T00:00:00Z', input: 'hi', output: 'hello' }),
    );
    expect(r.input).toEqual({ messages: [{ role: 'user', content: 'hi' }] });
    expect(r.output).toEqual({ messages: [{ role: 'assistant', content: 'hello' }] });
    expect(r).toMatchObject({ priority: 'normal', route: 'trust_safety', flags: [], evidence: [], metadata: {} });
  });

  it('accepts configured route names and rejects malformed ones', () => {
    const base = { id: 'x', created_at: '2026-11-01T00:00:00Z', input: 'hi' };
    expect(escalationRecordSchema.safeParse({ ...base, route: 'fraud_ops' }).success).toBe(true);
    expect(escalationRecordSchema.safeParse({ ...base, route: 'Fraud Ops!' }).success).toBe(false);
    expect(escalationRecordSchema.safeParse({ ...base, created_at: '2026-11-01' }).success).toBe(false);
  });
});
