import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../electron/core/audit/canonical.ts';
import type { AuditEventBody } from '../../electron/core/audit/log.ts';
import { leafHash, nodeHash, emptyRoot } from '../../electron/core/audit/merkle.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const rec = (id: string) => JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `q ${id}`, output: `a ${id}` });

/** A workspace with a dozen audit events, its saved head, and raw access with the guards dropped. */
async function setup() {
  const t = tempWorkspace();
  const f = join(t.dir, 'q.jsonl');
  for (let i = 0; i < 10; i++) {
    writeFileSync(f, Array.from({ length: i + 1 }, (_, j) => rec(`r${j}`)).join('\n') + '\nbad line\n');
    await ingest(t.ws, { path: f });
  }
  const head = t.ws.audit.head();
  t.ws.close();
  const raw = new Database(t.path);
  raw.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
  const verify = (saved?: typeof head) => {
    const ws = openWorkspace(t.path);
    try {
      return ws.audit.verify(saved);
    } finally {
      ws.close();
    }
  };
  return { t, raw, head, verify };
}

describe('audit tamper matrix', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('the untouched log verifies, alone and against its saved head', async () => {
    const { t, raw, head, verify } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    expect(head.size).toBeGreaterThan(12);
    expect(verify()).toMatchObject({ ok: true, head });
    expect(verify(head)).toMatchObject({ ok: true });
  });

  it('refuses UPDATE and DELETE on audit rows', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    writeFileSync(f, rec('a') + '\n');
    await ingest(t.ws, { path: f });
    expect(() => t.ws.sqlite.prepare("UPDATE audit_events SET type = 'x'").run()).toThrow(/append-only/);
    expect(() => t.ws.sqlite.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
  });

  it('catches a flipped byte in an event', async () => {
    const { t, raw, verify } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    const body = raw.prepare('SELECT body FROM audit_events WHERE seq = 5').pluck().get() as string;
    const i = body.indexOf('"ingested":') + 11;
    const flipped = body.slice(0, i) + String.fromCharCode(body.charCodeAt(i) ^ 1) + body.slice(i + 1);
    raw.prepare('UPDATE audit_events SET body = ? WHERE seq = 5').run(flipped);
    expect(verify()).toMatchObject({ ok: false, badSeq: 5 });
  });

  it('catches a deleted middle event', async () => {
    const { t, raw, verify } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    raw.prepare('DELETE FROM audit_events WHERE seq = 7').run();
    expect(verify()).toMatchObject({ ok: false, badSeq: 7 });
  });

  it('catches a middle event deleted and the rest renumbered', async () => {
    const { t, raw, verify } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    raw.prepare('DELETE FROM audit_events WHERE seq = 7').run();
    raw.prepare('UPDATE audit_events SET seq = seq - 1 WHERE seq > 7').run();
    expect(verify()).toMatchObject({ ok: false, badSeq: 7 });
  });

  it('catches two swapped events', async () => {
    const { t, raw, verify } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    raw.exec(`UPDATE audit_events SET seq = -1 WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = 4;
              UPDATE audit_events SET seq = 4 WHERE seq = -1;`);
    expect(verify()).toMatchObject({ ok: false, badSeq: 3 });
    // Swapping the contents while keeping the seq column in place is caught too.
    const a = raw.prepare('SELECT * FROM audit_events WHERE seq = 8').get() as Record<string, unknown>;
    const b = raw.prepare('SELECT * FROM audit_events WHERE seq = 9').get() as Record<string, unknown>;
    const put = raw.prepare('UPDATE audit_events SET id = ?, type = ?, at = ?, subject = ?, body = ?, leaf_hash = ? WHERE seq = ?');
    raw.prepare("UPDATE audit_events SET id = 'tmp' WHERE seq = 8").run();
    put.run(a.id, a.type, a.at, a.subject, a.body, a.leaf_hash, 9);
    put.run(b.id, b.type, b.at, b.subject, b.body, b.leaf_hash, 8);
    expect(verify()).toMatchObject({ ok: false });
  });

  it('catches a truncated tail against the saved head', async () => {
    const { t, raw, head, verify } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    raw.prepare('DELETE FROM audit_events WHERE seq >= ?').run(head.size - 3);
    // The saved right edge of the tree (migration 0008) still counts the removed events...
    expect(verify()).toMatchObject({ ok: false, reason: expect.stringMatching(/saved audit frontier counts/) });
    // ...an attacker removes it too: on its own a shorter log is then self-consistent...
    raw.prepare('DELETE FROM audit_frontier').run();
    expect(verify().ok).toBe(true);
    // ...but it no longer extends the head saved earlier.
    expect(verify(head)).toMatchObject({ ok: false, badSeq: head.size - 3 });
  });

  it('catches a rewrite that recomputes every hash, against the saved head', async () => {
    const { t, raw, head, verify } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    const rows = raw.prepare('SELECT seq, body FROM audit_events ORDER BY seq').all() as { seq: number; body: string }[];
    // Recompute the whole chain with one event's data changed, as a careful attacker would.
    const stack: { h: Buffer; n: number }[] = [];
    const root = () => {
      if (stack.length === 0) return emptyRoot();
      let acc = stack[stack.length - 1]!.h;
      for (let i = stack.length - 2; i >= 0; i--) acc = nodeHash(stack[i]!.h, acc);
      return acc;
    };
    const put = raw.prepare('UPDATE audit_events SET body = ?, leaf_hash = ? WHERE seq = ?');
    for (const r of rows) {
      const body = JSON.parse(r.body) as AuditEventBody;
      if (r.seq === 4) body.data = { ...body.data, quarantined: 0 };
      body.prev = { size: r.seq, root: root().toString('hex') };
      const text = canonicalJson(body);
      const leaf = leafHash(Buffer.from(text));
      put.run(text, leaf.toString('hex'), r.seq);
      let node = { h: leaf, n: 1 };
      while (stack.length && stack[stack.length - 1]!.n === node.n) {
        const top = stack.pop()!;
        node = { h: nodeHash(top.h, node.h), n: top.n * 2 };
      }
      stack.push(node);
    }
    // The saved right edge of the tree (migration 0008) is still the old tree's...
    expect(verify()).toMatchObject({ ok: false, reason: expect.stringMatching(/saved audit frontier/) });
    // ...a careful attacker rewrites it too (here: removes it, as a workspace from before 0008 has none).
    raw.prepare('DELETE FROM audit_frontier').run();
    expect(verify().ok).toBe(true);
    const res = verify(head);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toMatch(/rewritten/);
  });
});
