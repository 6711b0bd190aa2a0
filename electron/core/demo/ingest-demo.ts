import { Readable } from 'node:stream';
import { putVolumes } from '../../../db/queries/metrics.ts';
import { ingest, type IngestSummary } from '../ingest/ingest.ts';
import { ReviewService } from '../review/verdicts.ts';
import type { Workspace } from '../workspace/open.ts';
import { generateDemoRecords } from './generate.ts';
import { demoVolumes, planDemoReviews } from './oversight.ts';
import { itemIdInSource } from '../../../db/queries/sources.ts';

export interface DemoOptions {
  /** Also record a simulated review history and screened-event volumes (the oversight dashboard's demo). */
  reviews?: boolean;
}

/** Streams generated escalations through the ordinary ingest path (validation, audit, search). */
export async function ingestDemo(ws: Workspace, count: number, seed: number, options: DemoOptions = {}): Promise<IngestSummary> {
  const stream = Readable.from(
    (function* () {
      for (const r of generateDemoRecords(count, seed)) yield `${JSON.stringify(r)}\n`;
    })(),
  );
  const summary = await ingest(ws, { path: '-', stream, name: `demo-seed-${seed}` });
  if (options.reviews) recordDemoReviews(ws, count, seed);
  return summary;
}

/** Records the simulated verdicts through the ordinary review path (audit, outbox, metrics), and the volumes. */
export function recordDemoReviews(ws: Workspace, count: number, seed: number): number {
  const records = [...generateDemoRecords(count, seed)];
  const steps = planDemoReviews(records, seed);
  const review = new ReviewService(ws);
  const find = itemIdInSource(ws.sqlite);
  const last = new Map<string, string>();
  ws.sqlite.transaction(() => {
    for (const st of steps) {
      const itemId = find(st.externalId, `demo-seed-${seed}`);
      if (!itemId) continue;
      const input = { decision: st.decision, labels: st.labels, routeTo: st.routeTo, reviewer: st.reviewer, decidedAt: st.decidedAt, flagReviews: st.flagReviews };
      const prev = last.get(itemId);
      const v = st.kind === 'amendment' && prev ? review.amend(prev, input) : review.submit({ itemId, ...input });
      last.set(itemId, v.id);
    }
    putVolumes(ws.sqlite, demoVolumes(records, seed));
    ws.audit.append('volumes.recorded', { source: `demo-seed-${seed}`, lines: count }, { actor: 'demo' });
  }).immediate();
  return steps.length;
}
