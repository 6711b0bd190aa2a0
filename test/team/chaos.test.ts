/**
 * Chaos: 8 reviewer processes share the queue (N = 2 on one route, N = 1 on the other) while
 * clients are SIGKILLed and restarted, one is SIGSTOPped past its lease and then submits (it
 * must be refused), and PostgreSQL restarts once. Afterwards: every item has exactly N verdicts
 * from N distinct reviewers, no lease was held by two clients at once (read from the audit log),
 * every acknowledged verdict is stored, and the team audit verifies.
 *
 * 10,000 items, the size (about 16 s on this 2-core machine since the queue got faster);
 * VERDICT_CHAOS_ITEMS sets another size.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestTeamRecords } from '../../db/team/ingest.ts';
import { validateForTeam } from '../../electron/core/team/ingest.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, as, expectSubjectsAtTail, initTeam, record, route } from './helpers.ts';

const ITEMS = Number(process.env.VERDICT_CHAOS_ITEMS ?? 10000);
const CLIENTS = 8;
const LEASE_SECONDS = 3;
const CLIENT = new URL('../../bench/team-client.ts', import.meta.url).pathname;
const pg = pgForThisFile();

interface Slot {
  user: string;
  url: string;
  child: ChildProcess | null;
  exits: number[];
  kills: number;
}

const acks = new Set<string>();
const lateLines: string[] = [];
const notAcked: string[] = [];
const slots: Slot[] = [];
let stalling: ((item: string) => void) | null = null;

function start(slot: Slot, args: string[] = []): void {
  // Every other client works by "save and next" (submit + next claim in one call), the rest claim and submit.
  const next = slots.indexOf(slot) % 2 === 1 ? ['--next'] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', CLIENT, slot.url, ...next, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  slot.child = child;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const [kind, a, b, c] = line.split(' ');
    if (kind === 'ACK') acks.add(`${a} ${b} ${c}`);
    else if (kind === 'LATE') lateLines.push(line);
    else if (kind === 'NOTACK') notAcked.push(line);
    else if (kind === 'STALLING') stalling?.(a!);
  });
  child.stderr!.on('data', (d) => process.stderr.write(`[${slot.user}] ${d}`));
  child.on('exit', (code, signal) => {
    slot.exits.push(signal ? -1 : (code ?? -1));
    if (slot.child === child) slot.child = null;
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const c = pg.get();
  await initTeam(c);
  await route(c, 'pair', 2, LEASE_SECONDS);
  await route(c, 'single', 1, LEASE_SECONDS);
  const admin = await c.adminPool.connect();
  try {
    for (let i = 0; i < ITEMS; i += 1000) {
      const rows = [];
      for (let k = i; k < Math.min(ITEMS, i + 1000); k++) {
        const o = validateForTeam(JSON.stringify(record(`it-${k}`, k % 2 ? 'pair' : 'single', { priority: ['critical', 'high', 'normal', 'low'][k % 4] })), 'chaos', `${k}`);
        if (!o.ok) throw new Error(o.q.reason);
        rows.push(o.row);
      }
      await ingestTeamRecords(admin, rows);
    }
  } finally {
    admin.release();
  }
  for (let i = 1; i <= CLIENTS; i++) {
    const user = `r${i}`;
    slots.push({ user, url: await addUser(c, user, 'reviewer', ['pair', 'single']), child: null, exits: [], kills: 0 });
  }
}, 300_000);

afterAll(() => {
  for (const s of slots) s.child?.kill('SIGKILL');
});

describe('team chaos', () => {
  it(`${CLIENTS} clients, ${ITEMS} items, kills, a stalled client and a PostgreSQL restart`, { timeout: 900_000 }, async () => {
    const c = pg.get();
    const pairs = Math.floor(ITEMS / 2);
    const expected = pairs * 2 + (ITEMS - pairs);
    // Client 1 stalls after its 30th claim; the others run plainly.
    const staller = slots[0]!;
    let stalledItem = '';
    const stalled = new Promise<void>((resolve) => {
      stalling = (item) => {
        stalledItem = item;
        staller.child?.kill('SIGSTOP');
        setTimeout(() => {
          staller.child?.kill('SIGCONT');
          resolve();
        }, (LEASE_SECONDS + 2) * 1000);
      };
    });
    start(staller, ['--stall-after', '30', '--stall-ms', '1000']);
    for (const s of slots.slice(1)) start(s);

    let restarted = false;
    let kills = 0;
    // Kills are tied to progress, not to the clock: a fast machine (or a faster queue) must not
    // finish the work between two ticks and leave the test with too few kills to mean anything.
    const KILL_AT = [0.05, 0.12, 0.19, 0.26, 0.33, 0.4, 0.47, 0.54];
    const deadline = Date.now() + 850_000;
    while (slots.some((s) => s.child) && Date.now() < deadline) {
      await sleep(100);
      const done = () => acks.size / expected;
      if (!restarted && done() > 0.5) {
        restarted = true;
        await c.restart();
      }
      while (kills < KILL_AT.length && done() > KILL_AT[kills]! && done() < 0.9) {
        const victims = slots.slice(1).filter((s) => s.child);
        const v = victims[Math.floor(Math.random() * victims.length)];
        if (!v?.child) break;
        kills++;
        v.kills++;
        v.child.kill('SIGKILL');
        v.child = null;
        await sleep(150);
        start(v);
      }
    }
    await stalled;
    expect(slots.every((s) => !s.child), 'clients still running at the deadline').toBe(true);
    expect(restarted).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(4);
    // Every client's last run finished cleanly.
    for (const s of slots) expect(s.exits.at(-1), s.user).toBe(0);

    // The stalled client's late submit was refused as expired, and not acknowledged.
    expect(lateLines).toHaveLength(1);
    expect(lateLines[0]).toMatch(/^LATE expired /);
    expect(lateLines[0]).toContain(stalledItem);

    const db = c.adminPool;
    // Exactly N verdicts from N distinct reviewers on every item; all items closed.
    const bad = await db.query(`
      SELECT i.id, i.required_reviews, count(v.id) AS n, count(DISTINCT v.reviewer) AS who, i.status
      FROM verdict.items i LEFT JOIN verdict.verdicts v ON v.item_id = i.id
      GROUP BY i.id HAVING count(v.id) <> i.required_reviews OR count(DISTINCT v.reviewer) <> i.required_reviews OR i.status = 'open'`);
    expect(bad.rows).toEqual([]);
    const total = Number((await db.query('SELECT count(*) FROM verdict.verdicts')).rows[0].count);
    expect(total).toBe(expected);
    const statuses = (await db.query('SELECT status, count(*)::int AS n FROM verdict.items GROUP BY status ORDER BY status')).rows;
    expect(statuses.map((r) => r.status)).toEqual(['adjudication', 'decided']);

    // Every acknowledged verdict is there, with the lease it was acknowledged on.
    const stored = new Set((await db.query("SELECT item_id || ' ' || lease_token || ' ' || reviewer AS k FROM verdict.verdicts")).rows.map((r) => r.k as string));
    const lost = [...acks].filter((k) => !stored.has(k));
    expect(lost).toEqual([]);
    // A client killed between the commit and its ACK line leaves a stored verdict nobody was told
    // of (never the reverse): at most one per kill.
    expect(acks.size).toBeGreaterThanOrEqual(expected - kills);

    // From the audit log alone: never more holders than N, never two leases of one reviewer on an item.
    await db.query('SELECT verdict.integrate(1000000)');
    const holders = new Map<string, Map<string, string>>();
    const required = new Map<string, number>();
    const owner = new Map<string, string>();
    let maxSingle = 0;
    let violations = 0;
    let lastSeq = -1;
    for (;;) {
      const page = (await db.query('SELECT seq, body FROM verdict.audit_log WHERE seq > $1 ORDER BY seq LIMIT 20000', [lastSeq])).rows;
      if (page.length === 0) break;
      lastSeq = Number(page[page.length - 1].seq);
      for (const { body } of page) {
        const e = JSON.parse(body) as { type: string; subject: string; data: Record<string, string> };
        if (e.type === 'item.ingested') required.set(e.subject, Number(e.data.required_reviews));
        if (e.type === 'lease.claimed') {
          const live = holders.get(e.subject) ?? new Map<string, string>();
          if ([...live.values()].includes(e.data.reviewer!)) violations++;
          live.set(e.data.token!, e.data.reviewer!);
          owner.set(e.data.token!, e.subject);
          holders.set(e.subject, live);
          if (required.get(e.subject) === 1) maxSingle = Math.max(maxSingle, live.size);
          if (live.size > required.get(e.subject)!) violations++;
        }
        if (e.type === 'lease.expired' || e.type === 'lease.released' || e.type === 'verdict.submitted') holders.get(owner.get(e.data.token!)!)?.delete(e.data.token!);
      }
    }
    expect(violations).toBe(0);
    expect(maxSingle).toBe(1);

    const res = await verifyTeam(c.url);
    expect(res).toMatchObject({ ok: true, pending: 0 });
    const admin = await as(c.url);
    try {
      await expectSubjectsAtTail(admin);
    } finally {
      await admin.end();
    }
    process.stderr.write(
      `chaos: ${ITEMS} items, ${expected} verdicts, ${kills} kills, PostgreSQL restarted once, late submit: ${lateLines[0]!.split(' ').slice(0, 2).join(' ')}, ${notAcked.length} refused/expired submits, audit ${res.ok ? res.head.size : 0} events\n`,
    );
  });
});
