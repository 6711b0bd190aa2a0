// Regenerates the published JSON Schema from the zod schema: `npm run schema`.
import { writeFileSync } from 'node:fs';
import { escalationRecordJsonSchema } from '../core/record/schema.ts';

export const SCHEMA_FILE = new URL('../../build/escalation-record.v1.schema.json', import.meta.url);

export function schemaText(): string {
  return `${JSON.stringify(escalationRecordJsonSchema(), null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) writeFileSync(SCHEMA_FILE, schemaText());
