/** Demo escalations into a team database through the same validation and ingest as `verdict ingest --team`. */
import type pg from 'pg';
import { ingestTeamRecords } from '../db/team/ingest.ts';
import { generateDemoRecords } from '../electron/core/demo/generate.ts';
import { validateForTeam } from '../electron/core/team/ingest.ts';

export async function loadDemoItems(admin: pg.PoolClient, count: number, seed: number): Promise<void> {
  let batch = [];
  let i = 0;
  for (const r of generateDemoRecords(count, seed)) {
    const o = validateForTeam(JSON.stringify(r), 'bench', String(i++));
    if (!o.ok) throw new Error(`demo record invalid: ${o.q.reason}`);
    batch.push(o.row);
    if (batch.length === 5000) {
      await ingestTeamRecords(admin, batch);
      batch = [];
    }
  }
  await ingestTeamRecords(admin, batch);
}
