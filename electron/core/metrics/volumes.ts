/**
 * Screened-event volumes: how many events a source's detectors screened per day (per model and
 * version), so escalation rates per 1,000 events are real. A volume file is JSONL, one line per
 * day and model version: {"type":"volume","date":"2026-11-20","model":"gpt-4.1","model_version":"v2","screened":48210}.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { putVolumes, type VolumeRow } from '../../../db/queries/metrics.ts';
import { UserError } from '../util/errors.ts';
import type { Workspace } from '../workspace/open.ts';

export const volumeLineSchema = z
  .object({
    type: z.literal('volume'),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD (UTC)'),
    model: z.string().max(200).default(''),
    model_version: z.string().max(200).default(''),
    screened: z.number().int().min(0),
  })
  .strict();

/** Parses a volume file; a bad line is an error naming its line number (nothing is written). */
export function parseVolumes(text: string, file = 'volumes'): VolumeRow[] {
  const rows: VolumeRow[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new UserError(`${file}:${i + 1}: not JSON; each line is {"type":"volume","date":"YYYY-MM-DD","screened":N,...}`);
    }
    const r = volumeLineSchema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new UserError(`${file}:${i + 1}: ${issue.message} at ${issue.path.join('.') || '(line)'}`);
    }
    rows.push({ day: r.data.date, model: r.data.model, version: r.data.model_version, screened: r.data.screened });
  });
  return rows;
}

/** Records volumes (a later report for the same day and model version replaces the earlier) with an audit event. */
export function recordVolumes(ws: Workspace, rows: VolumeRow[], actor: string, source: string): number {
  return ws.sqlite.transaction(() => {
    const n = putVolumes(ws.sqlite, rows);
    ws.audit.append('volumes.recorded', {
      source,
      lines: n,
      screened: rows.reduce((a, r) => a + r.screened, 0),
      sha256: createHash('sha256').update(JSON.stringify(rows)).digest('hex'),
    }, { actor });
    return n;
  }).immediate();
}

export function importVolumeFile(ws: Workspace, path: string, actor: string): number {
  return recordVolumes(ws, parseVolumes(readFileSync(path, 'utf8'), path), actor, path);
}
