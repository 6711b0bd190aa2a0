/**
 * The tamper matrix: each table the audit covers × {update a field, delete a row, insert a forged
 * row}, made with SQLite directly after dropping the append-only triggers. `audit verify` must
 * fail and name the table and the row; the untouched workspace verifies.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyWorkspace } from '../../electron/core/audit/verify-workspace.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { exportDataset, verifyExport } from '../../electron/core/export/index.ts';
import { ItemActions } from '../../electron/core/review/actions.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;
const FLAGS = [{ source: 'llama-guard', category: 'S6' }, { source: 'pii-scan', category: 'pii' }];
const rec = (id: string, out = `a ${id}`) =>
  JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `q ${id}`, output: out, ...(id === 'a' ? { flags: FLAGS } : {}) });

/** Items with a second revision, verdicts of every kind, then the guards dropped. */
async function setup(o: { exported?: boolean } = {}) {
  const t = tempWorkspace();
  const f = join(t.dir, 'q.jsonl');
  writeFileSync(f, ['a', 'b', 'c', 'd', 'e'].map((id) => rec(id)).join('\n') + '\n');
  await ingest(t.ws, { path: f, batchSize: 2 });
  const review = new ReviewService(t.ws);
  const id = (ext: string) => t.ws.sqlite.prepare('SELECT id FROM items WHERE external_id = ?').pluck().get(ext) as string;
  const v1 = review.submit({
    itemId: id('a'), decision: 'violation', labels: ['harm'], severity: 'high', correction: 'fix', rationale: 'why', reviewer: 'ana',
    flagReviews: [{ flag: 1, accepted: false }, { flag: 0, accepted: true }],
  });
  review.submit({ itemId: id('b'), decision: 'dismiss', reviewer: 'ben' });
  review.amend(v1.id, { decision: 'dismiss', reviewer: 'ana', rationale: 'second look' });
  review.submit({ itemId: id('c'), decision: 'escalate', routeTo: 'legal', reviewer: 'ben' });
  review.submit({ itemId: id('d'), decision: 'violation', reviewer: 'cy' });
  review.undo('cy');
  new ItemActions(t.ws).hold(id('d'), 'check with legal', '2026-12-01T00:00:00Z', 'cy');
  review.submit({ itemId: id('e'), decision: 'violation', reviewer: 'importer' }, 'import');
  // A new revision of b after its verdict: b is in conflict again.
  writeFileSync(f, ['a', 'b', 'c', 'd', 'e'].map((id) => rec(id, id === 'b' ? 'changed' : undefined)).join('\n') + '\n');
  await ingest(t.ws, { path: f });
  // An export made from the untouched state: export verify must fail once the state is changed behind the log.
  const exported = join(t.dir, 'export');
  if (o.exported) await exportDataset(t.ws, { format: 'classifier', out: exported, outputs: ['jsonl'] });
  t.ws.close();
  const raw = new Database(t.path);
  const triggers = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%no_%'").pluck().all() as string[];
  for (const name of triggers) raw.exec(`DROP TRIGGER ${name}`);
  raw.pragma('foreign_keys = OFF');
  const verify = () => {
    const ws = openWorkspace(t.path, { create: false });
    try {
      return verifyWorkspace(ws);
    } finally {
      ws.close();
    }
  };
  return { t, raw, verify, triggers, exported };
}

type Raw = Database.Database;
const one = (raw: Raw, sql: string) => raw.prepare(sql).pluck().get() as string;

/** table → tamper kind → (the change, the row id verify must name). */
const MATRIX: Record<string, Record<'update' | 'delete' | 'insert', (raw: Raw) => string>> = {
  verdicts: {
    update: (raw) => {
      const id = one(raw, "SELECT id FROM verdicts WHERE reviewer = 'ben' AND decision = 'dismiss'");
      raw.prepare("UPDATE verdicts SET decision = 'violation' WHERE id = ?").run(id);
      return id;
    },
    delete: (raw) => {
      const id = one(raw, "SELECT id FROM verdicts WHERE kind = 'undo'");
      raw.prepare('DELETE FROM verdicts WHERE id = ?').run(id);
      return id;
    },
    insert: (raw) => {
      raw.exec(`INSERT INTO verdicts (id, item_seq, revision_id, kind, supersedes, reviewer, decision, route_to, labels, severity,
        correction, rationale, decided_at, audit_seq)
        SELECT 'forged-verdict', item_seq, revision_id, kind, NULL, reviewer, 'dismiss', NULL, '[]', NULL, NULL, NULL, decided_at, audit_seq
        FROM verdicts WHERE reviewer = 'ana' LIMIT 1`);
      return 'forged-verdict';
    },
  },
  items: {
    update: (raw) => {
      const id = one(raw, "SELECT id FROM items WHERE external_id = 'a'");
      raw.prepare("UPDATE items SET status = 'new' WHERE id = ?").run(id);
      return id;
    },
    delete: (raw) => {
      const seq = one(raw, "SELECT seq FROM items WHERE external_id = 'e'");
      raw.prepare('DELETE FROM items WHERE seq = ?').run(seq);
      return `seq ${seq}`;
    },
    insert: (raw) => {
      raw.exec(`INSERT INTO items (id, source_id, external_id, ext_key, created_at, created_ms, ingested_at, priority, route, status, revision,
        content_sha256, flag_count, snippet)
        SELECT 'forged-item', source_id, 'zz', 1, created_at, created_ms, ingested_at, priority, route, 'decided', 1, content_sha256, 0, 'x'
        FROM items LIMIT 1`);
      return 'forged-item';
    },
  },
  item_revisions: {
    update: (raw) => {
      const id = one(raw, "SELECT r.id FROM item_revisions r JOIN items i ON i.seq = r.item_seq WHERE i.external_id = 'c'");
      raw.prepare("UPDATE item_revisions SET record = replace(record, 'q c', 'q C') WHERE id = ?").run(id);
      return id;
    },
    delete: (raw) => {
      const id = one(raw, 'SELECT id FROM item_revisions ORDER BY seq DESC LIMIT 1');
      raw.prepare('DELETE FROM item_revisions WHERE id = ?').run(id);
      return 'missing';
    },
    insert: (raw) => {
      raw.exec(`INSERT INTO item_revisions (id, item_seq, revision, content_sha256, record, ingested_at)
        SELECT 'forged-revision', item_seq, 9, content_sha256, record, ingested_at FROM item_revisions LIMIT 1`);
      return 'forged-revision';
    },
  },
  item_actions: {
    update: (raw) => {
      const id = one(raw, "SELECT id FROM item_actions WHERE kind = 'hold'");
      raw.prepare("UPDATE item_actions SET reason = 'nothing to see' WHERE id = ?").run(id);
      return id;
    },
    delete: (raw) => {
      const id = one(raw, "SELECT id FROM item_actions WHERE kind = 'hold'");
      raw.prepare('DELETE FROM item_actions WHERE id = ?').run(id);
      return id;
    },
    insert: (raw) => {
      raw.exec(`INSERT INTO item_actions (id, item_seq, kind, reason, due_at, data, actor, at, audit_seq)
        SELECT 'forged-action', item_seq, 'release', NULL, NULL, '{}', actor, at, audit_seq FROM item_actions LIMIT 1`);
      return 'forged-action';
    },
  },
  sources: {
    update: (raw) => {
      const id = one(raw, 'SELECT id FROM sources LIMIT 1');
      raw.prepare("UPDATE sources SET uri = '/elsewhere.jsonl' WHERE id = ?").run(id);
      return id;
    },
    delete: (raw) => {
      const id = one(raw, 'SELECT id FROM sources ORDER BY created_at DESC LIMIT 1');
      raw.prepare('DELETE FROM sources WHERE id = ?').run(id);
      return 'deleted';
    },
    insert: (raw) => {
      raw.exec("INSERT INTO sources (id, kind, name, uri, created_at) VALUES ('forged-source', 'jsonl', 'x', '/x.jsonl', '2026-01-01')");
      return 'forged-source';
    },
  },
};

describe('audit verify replays the log against the state tables', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('the untouched workspace verifies, with every covered table counted', async () => {
    const { t, raw, verify, triggers } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    expect(triggers).toEqual(
      expect.arrayContaining(['verdicts_no_delete', 'verdicts_no_update', 'items_no_delete', 'item_revisions_no_delete', 'sources_no_delete']),
    );
    raw.close();
    expect(verify()).toMatchObject({ ok: true, counts: { items: 5, revisions: 6, verdicts: 7, sources: 1 } });
  });

  it('a flipped per-flag accept/reject (flag_reviews) fails and names the field and the row', async () => {
    const { t, raw, verify } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    const row = raw.prepare("SELECT id, flag_reviews AS f FROM verdicts WHERE reviewer = 'ana' AND kind = 'verdict'").get() as { id: string; f: string };
    expect(JSON.parse(row.f)).toEqual([{ accepted: true, flag: 0 }, { accepted: false, flag: 1 }]);
    raw.prepare('UPDATE verdicts SET flag_reviews = ? WHERE id = ?').run('[{"accepted":true,"flag":0},{"accepted":true,"flag":1}]', row.id);
    raw.close();
    const res = verify();
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.mismatch).toMatchObject({ table: 'verdicts', row: row.id });
    expect(res.reason).toMatch(/flag_reviews/);
  });

  it('a flag review added to a verdict that had none fails too', async () => {
    const { t, raw, verify } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    const id = one(raw, "SELECT id FROM verdicts WHERE reviewer = 'ben' AND decision = 'dismiss'");
    raw.prepare('UPDATE verdicts SET flag_reviews = ? WHERE id = ?').run('[{"accepted":false,"flag":0}]', id);
    raw.close();
    const res = verify();
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toMatch(/flag_reviews/);
  });

  for (const [table, kinds] of Object.entries(MATRIX)) {
    for (const [kind, tamper] of Object.entries(kinds)) {
      it(`${table} × ${kind}: fails and names the table and the row; export verify fails too`, async () => {
        const { t, raw, verify, exported } = await setup({ exported: true });
        expect((await verifyExport(exported, t.path)).ok).toBe(true);
        cleanup = () => (raw.close(), t.cleanup());
        const named = tamper(raw);
        raw.close();
        const res = verify();
        expect(res.ok).toBe(false);
        if (res.ok) return;
        expect(res.stage).toBe('state');
        // A deleted item shows up as its revisions' missing item; a deleted revision or source as a count.
        expect(res.mismatch!.table).toBe(table);
        if (!['missing', 'deleted'].includes(named)) expect(res.mismatch!.row).toBe(named);
        expect(res.reason).toMatch(/\S/);
        expect(res.reason).not.toMatch(/\n/);
        expect(await verifyExport(exported, t.path)).toMatchObject({ ok: false, problem: expect.stringContaining(`no longer matches its audit log`) });
      });
    }
  }

  // The queue's derived fields (issue 9): each raw UPDATE a SQLite CLI user could make, with the
  // queue-count and facet triggers left in place so the counts move with the edit.
  const DERIVED: [string, string, RegExp][] = [
    ['status of a decided item', "UPDATE items SET status = 'new' WHERE external_id = 'b'", /status is "new"/],
    ['route of an escalated item', "UPDATE items SET route = 'default' WHERE external_id = 'c'", /route is "default" but the log says "legal"/],
    ['route of an item never escalated', "UPDATE items SET route = 'legal' WHERE external_id = 'd'", /route is "legal"/],
    ['priority', "UPDATE items SET priority = priority + 1 WHERE external_id = 'a'", /priority is \d but its record gives \d/],
    ['snippet', "UPDATE items SET snippet = 'nothing to see' WHERE external_id = 'a'", /snippet is "nothing to see"/],
    ['model', "UPDATE items SET model = 'gpt-x' WHERE external_id = 'e'", /model is "gpt-x" but its record gives null/],
    ['top flag category', "UPDATE items SET top_flag_category = 'S1' WHERE external_id = 'a'", /top_flag_category is "S1" but its record gives "S6"/],
    ['flag count', "UPDATE items SET flag_count = 0 WHERE external_id = 'a'", /flag_count is 0 but its record gives 2/],
    ['created time', "UPDATE items SET created_ms = created_ms + 1 WHERE external_id = 'a'", /created_ms/],
  ];
  for (const [what, sql, reason] of DERIVED) {
    it(`items × a direct edit of a queue field (${what}): fails and names the row and the field`, async () => {
      const { t, raw, verify } = await setup();
      cleanup = () => (raw.close(), t.cleanup());
      const id = one(raw, `SELECT id FROM items WHERE external_id = '${/external_id = '(\w)'/.exec(sql)![1]}'`);
      expect(raw.prepare(sql).run().changes).toBe(1);
      raw.close();
      const res = verify();
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res).toMatchObject({ stage: 'state', mismatch: { table: 'items', row: id } });
      expect(res.reason).toMatch(reason);
    });
  }

  it('queue_counts and item_facets edited directly (what the queue counts and filter lists show): fails and names the row', async () => {
    const { t, raw, verify } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    raw.exec("UPDATE queue_counts SET n = n + 3 WHERE status = 'new'");
    raw.close();
    const res = verify();
    expect(res).toMatchObject({ ok: false, stage: 'state', mismatch: { table: 'queue_counts' } });
    if (!res.ok) expect(res.reason).toMatch(/^queue_counts row new\/\w+\/\d+ holds \d+ but the items count \d+$/);

    const again = await setup();
    cleanup = () => (again.raw.close(), again.t.cleanup());
    again.raw.exec("INSERT INTO item_facets (kind, value, n) VALUES ('model', 'ghost-model', 4)");
    again.raw.close();
    expect(again.verify()).toMatchObject({ ok: false, mismatch: { table: 'item_facets', row: 'model/ghost-model' } });
  });

  it('agreement_items edited or deleted (the agreement figures\' summary): fails and names the item', async () => {
    const { t, raw, verify } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    const seq = raw.prepare('SELECT min(item_seq) FROM agreement_items').pluck().get() as number;
    expect(raw.prepare('UPDATE agreement_items SET c1 = c1 + 1 WHERE item_seq = ?').run(seq).changes).toBe(1);
    raw.close();
    const res = verify();
    expect(res).toMatchObject({ ok: false, stage: 'state', mismatch: { table: 'agreement_items', row: String(seq) } });
    if (!res.ok) expect(res.reason).toBe(`agreement_items row for item seq ${seq} does not match the item's verdicts (edited or stale)`);

    const again = await setup();
    cleanup = () => (again.raw.close(), again.t.cleanup());
    again.raw.exec('DELETE FROM agreement_items WHERE item_seq = (SELECT max(item_seq) FROM agreement_items)');
    again.raw.close();
    expect(again.verify()).toMatchObject({ ok: false, mismatch: { table: 'agreement_items' } });
  });

  it('an item whose snippet was cut inside a surrogate pair verifies (the stored half is U+FFFD)', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    // The 240-unit snippet cut falls between the two halves of the emoji.
    writeFileSync(f, rec('x', `${'a'.repeat(239)}\u{1F600} tail`) + '\n');
    await ingest(t.ws, { path: f });
    const snippet = t.ws.sqlite.prepare('SELECT snippet FROM items').pluck().get() as string;
    expect(snippet.endsWith('\uFFFD')).toBe(true);
    expect(verifyWorkspace(t.ws)).toMatchObject({ ok: true });
  });

  it('the CLI exits 1 and names the table, the row and the event', async () => {
    const { t, raw } = await setup();
    cleanup = () => (raw.close(), t.cleanup());
    const id = MATRIX.verdicts!.update(raw);
    raw.close();
    const r = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--workspace', t.path], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`table verdicts, row ${id}, event `);
    expect(r.stderr).toContain('decision is "violation" but the event recorded "dismiss"');
    const ok = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--workspace', t.path, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: false, stage: 'state', table: 'verdicts', row: id });
  });

  it('refuses UPDATE and DELETE of covered rows while the triggers stand', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    writeFileSync(f, rec('a') + '\n');
    await ingest(t.ws, { path: f });
    const item = t.ws.sqlite.prepare('SELECT id FROM items').pluck().get() as string;
    new ReviewService(t.ws).submit({ itemId: item, decision: 'dismiss', reviewer: 'x' });
    const s = t.ws.sqlite;
    expect(() => s.prepare('DELETE FROM verdicts').run()).toThrow(/append-only/);
    expect(() => s.prepare('DELETE FROM item_revisions').run()).toThrow(/append-only/);
    expect(() => s.prepare('DELETE FROM items').run()).toThrow(/append-only/);
    expect(() => s.prepare("UPDATE items SET external_id = 'z'").run()).toThrow(/immutable/);
    expect(() => s.prepare('DELETE FROM sources').run()).toThrow(/append-only/);
    expect(() => s.prepare("UPDATE sources SET uri = 'z'").run()).toThrow(/immutable/);
    expect(() => s.prepare("UPDATE verdicts SET decision = 'violation'").run()).toThrow(/immutable/);
  });

  it('incremental from a saved head: checks what changed since it, and says so', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    writeFileSync(f, ['a', 'b', 'c', 'd'].map((id) => rec(id)).join('\n') + '\n');
    await ingest(t.ws, { path: f });
    const review = new ReviewService(t.ws);
    const id = (ext: string) => t.ws.sqlite.prepare('SELECT id FROM items WHERE external_id = ?').pluck().get(ext) as string;
    const old = review.submit({ itemId: id('a'), decision: 'violation', reviewer: 'ana' });
    const full = verifyWorkspace(t.ws);
    expect(full.ok).toBe(true);
    const head = full.ok ? full.head : null!;
    // After the head: a verdict, an amendment of the old one, and a new revision of c.
    const recent = review.submit({ itemId: id('b'), decision: 'dismiss', reviewer: 'ben' });
    review.amend(old.id, { decision: 'dismiss', reviewer: 'ana' });
    writeFileSync(f, ['a', 'b', 'c', 'd'].map((x) => rec(x, x === 'c' ? 'changed' : undefined)).join('\n') + '\n');
    await ingest(t.ws, { path: f });
    expect(verifyWorkspace(t.ws, head, { incremental: true })).toMatchObject({ ok: true, counts: { verdicts: 2, revisions: 1, items: 3 } });
    t.ws.close();

    const raw = new Database(t.path);
    raw.exec('DROP TRIGGER verdicts_no_update');
    const check = (incremental: boolean) => {
      const ws = openWorkspace(t.path, { create: false });
      try {
        return verifyWorkspace(ws, head, { incremental });
      } finally {
        ws.close();
      }
    };
    // A row from before the head is outside an incremental check (the full one catches it)...
    raw.prepare("UPDATE verdicts SET reviewer = 'eve' WHERE id = ?").run(old.id);
    expect(check(true)).toMatchObject({ ok: true });
    expect(check(false)).toMatchObject({ ok: false, mismatch: { table: 'verdicts', row: old.id } });
    raw.prepare("UPDATE verdicts SET reviewer = 'ana' WHERE id = ?").run(old.id);
    // ...a row after it is inside.
    raw.prepare("UPDATE verdicts SET decision = 'violation' WHERE id = ?").run(recent.id);
    expect(check(true)).toMatchObject({ ok: false, stage: 'state', mismatch: { table: 'verdicts', row: recent.id } });
    raw.prepare("UPDATE verdicts SET decision = 'dismiss' WHERE id = ?").run(recent.id);
    expect(check(true)).toMatchObject({ ok: true });
    // An event under the head rewritten with a recomputed leaf hash: the head no longer folds.
    raw.exec('DROP TRIGGER audit_events_no_update');
    const { leafHash } = await import('../../electron/core/audit/merkle.ts');
    const body = (raw.prepare('SELECT body FROM audit_events WHERE seq = 1').pluck().get() as string).replace('"ingested":4', '"ingested":5');
    raw.prepare('UPDATE audit_events SET body = ?, leaf_hash = ? WHERE seq = 1').run(body, leafHash(Buffer.from(body)).toString('hex'));
    raw.close();
    expect(check(true)).toMatchObject({ ok: false, stage: 'chain', reason: expect.stringContaining('rewritten') });
  });
});
