/**
 * `verdict audit verify --team URL`: sequences what is queued, then, in one snapshot, recomputes
 * every leaf hash and the RFC 6962 tree (every recorded head and the current one, and a head
 * saved earlier if given), and replays the log against the tables.
 */
import type pg from 'pg';
import { beginSnapshot, endSnapshot, leafCounts, leafPages } from '../../../db/team/audit.ts';
import { expertSnapshot } from '../../../db/team/expert.ts';
import { integrateAll } from '../../../db/team/queue.ts';
import { revisionsSnapshot } from '../../../db/team/revisions.ts';
import { Frontier } from '../audit/log.ts';
import { leafHash, type TreeHead } from '../audit/merkle.ts';
import { teamClient } from './connect.ts';
import { teamError } from './errors.ts';
import { TeamReplay, type TeamEvent } from './replay.ts';

export type TeamVerifyResult =
  | { ok: true; head: TreeHead; events: number; pending: number }
  | { ok: false; head: TreeHead; stage: 'log' | 'state'; reason: string };

export async function verifyTeam(url: string, saved?: TreeHead): Promise<TeamVerifyResult> {
  let client: pg.Client | null = null;
  try {
    client = await teamClient(url, 'verdict audit verify');
    await integrateAll(client);
    const snap = await beginSnapshot(client);
    try {
      return await check(client, snap, saved);
    } finally {
      await endSnapshot(client).catch(() => {});
    }
  } catch (err) {
    throw teamError('audit verify', err);
  } finally {
    await client?.end().catch(() => {});
  }
}

async function check(client: pg.Client, snap: Awaited<ReturnType<typeof beginSnapshot>>, saved?: TreeHead): Promise<TeamVerifyResult> {
  const f = new Frontier();
  const heads = new Map(snap.heads.map((h) => [h.size, h.root.toString('hex')]));
  const replay = new TeamReplay();
  let pending = 0;
  let rows = 0;
  const fail = (stage: 'log' | 'state', reason: string): TeamVerifyResult => ({ ok: false, head: f.head(), stage, reason });
  for await (const page of leafPages(client)) {
    for (const row of page) {
      rows++;
      const where = row.seq === null ? `queued leaf ${row.id}` : `event ${row.seq}`;
      if (row.seq !== null) {
        if (Number(row.seq) !== f.size) return fail('log', `event ${f.size} is missing (next stored event is ${row.seq})`);
        const leaf = leafHash(Buffer.from(row.body, 'utf8'));
        if (!row.leafHash || !leaf.equals(row.leafHash)) return fail('log', `${where} does not match its leaf hash (edited)`);
        f.push(leaf);
        const h = heads.get(f.size);
        if (h !== undefined && h !== f.root().toString('hex')) return fail('log', `the tree head recorded at size ${f.size} does not match the leaves (rewritten)`);
        if (saved && f.size === saved.size && f.root().toString('hex') !== saved.root)
          return fail('log', `the log does not extend the saved head (size ${saved.size}): it was rewritten`);
      } else pending++;
      let e: TeamEvent;
      try {
        e = JSON.parse(row.body) as TeamEvent;
      } catch {
        return fail('log', `${where} is not valid JSON`);
      }
      const bad = replay.apply(e, where);
      if (bad) return fail('log', bad);
    }
  }
  if (f.size !== snap.tree.size || f.root().toString('hex') !== snap.tree.root.toString('hex'))
    return fail('log', `the stored tree (size ${snap.tree.size}) does not match its ${f.size} leaves`);
  const counts = await leafCounts(client);
  if (counts.queuedAndPlaced > 0) return fail('log', `${counts.queuedAndPlaced} queued leaf(s) also hold a tree position (the queue was tampered with)`);
  if (counts.leaves !== rows) return fail('log', `${counts.leaves} leaves are stored but ${rows} are in the tree or the queue: a leaf was taken off the queue without a position`);
  if (saved && f.size < saved.size) return fail('log', `the log has ${f.size} events but the saved head has ${saved.size}: events were removed`);
  const diff =
    replay.compare(snap.items, snap.leases, snap.verdicts) ?? replay.compareExpert(await expertSnapshot(client)) ?? replay.compareRevisions(await revisionsSnapshot(client));
  if (diff) return fail('state', diff);
  return { ok: true, head: f.head(), events: replay.events, pending };
}
