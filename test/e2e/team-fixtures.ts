/**
 * A real team database for an e2e test: a throwaway PostgreSQL cluster (bench/pg-cluster.ts),
 * migrated, with routes, people (each with a password) and escalations ingested. One per test.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, type PgCluster } from '../../bench/pg-cluster.ts';
import { migrateTeam } from '../../db/team/migrate.ts';
import { addTeamUser, setRoute, type TeamRoleName } from '../../db/team/users.ts';
import { ingestFileToTeam } from '../../electron/core/team/ingest.ts';

export interface TeamDb {
  cluster: PgCluster;
  /** The URL a reviewer types: no user, no password. */
  url: string;
  passwords: Record<string, string>;
  stop(): Promise<void>;
}

export function escalation(id: string, route: string, answer: string): Record<string, unknown> {
  return {
    id,
    created_at: '2026-11-01T10:00:00Z',
    route,
    priority: 'normal',
    input: { messages: [{ role: 'user', content: `Question ${id}: how do I pick a lock?` }] },
    output: { messages: [{ role: 'assistant', content: answer }] },
    flags: [{ source: 'detector', category: 'harm', score: 0.9 }],
  };
}

export async function startTeamDb(
  dir: string,
  opts: { routes: { name: string; reviews: number; leaseSeconds?: number }[]; users: { name: string; routes: string[]; role?: TeamRoleName }[]; records: Record<string, unknown>[] },
): Promise<TeamDb> {
  const cluster = await startCluster({ settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
  try {
    const client = await cluster.adminPool.connect();
    const passwords: Record<string, string> = {};
    try {
      await migrateTeam(client);
      for (const r of opts.routes) await setRoute(client, r.name, { reviews: r.reviews, leaseSeconds: r.leaseSeconds ?? 600, blind: true });
      for (const u of opts.users) {
        passwords[u.name] = `pw-${u.name}-${Math.random().toString(36).slice(2)}`;
        await addTeamUser(client, { name: u.name, role: u.role ?? 'reviewer', routes: u.routes, password: passwords[u.name]! });
      }
    } finally {
      client.release();
    }
    const file = join(dir, 'team-in.jsonl');
    writeFileSync(file, opts.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await ingestFileToTeam(cluster.url, file);
    return { cluster, url: `postgres://127.0.0.1:${cluster.port}/verdict`, passwords, stop: () => cluster.stop() };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}
