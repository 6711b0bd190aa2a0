import { Readable } from 'node:stream';
import { ingest, type IngestSummary } from '../ingest/ingest.ts';
import type { Workspace } from '../workspace/open.ts';
import { generateDemoRecords } from './generate.ts';

/** Streams generated escalations through the ordinary ingest path (validation, audit, search). */
export function ingestDemo(ws: Workspace, count: number, seed: number): Promise<IngestSummary> {
  const stream = Readable.from(
    (function* () {
      for (const r of generateDemoRecords(count, seed)) yield `${JSON.stringify(r)}\n`;
    })(),
  );
  return ingest(ws, { path: '-', stream, name: `demo-seed-${seed}` });
}
