/**
 * Reproducibility and tamper evidence: the same workspace state and options give byte-identical
 * data files, items.jsonl and card (whatever the thread count); verifyExport passes on an
 * untouched export and fails, naming the problem, after a data byte, the manifest or the
 * workspace audit log is altered.
 */
import Database from 'better-sqlite3';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportDataset, verifyExport, type ExportOptions } from '../../electron/core/export/index.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { ingestRecords, record, reviewAll } from './helpers.ts';

/** Every file of an export except the manifest, relative path → bytes. */
function exportFiles(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const f of readdirSync(dir)) if (f !== 'manifest.json' && f !== 'data') out.set(f, readFileSync(join(dir, f)));
  for (const f of readdirSync(join(dir, 'data'))) out.set(`data/${f}`, readFileSync(join(dir, 'data', f)));
  return out;
}

async function seeded(n = 60) {
  const t = tempWorkspace();
  await ingestRecords(
    t.ws,
    t.dir,
    Array.from({ length: n }, (_, i) =>
      record(`v${i}`, {
        output: `answer ${i}: write to someone${i}@example.org`,
        provenance: { 'gen_ai.conversation.id': `conv-${i % 20}` },
      }),
    ),
  );
  reviewAll(t.ws, (item, i) => ({ itemId: item.id, decision: 'violation', correction: `fixed ${i}`, labels: [i % 2 ? 'S1' : 'S2'], reviewer: 'r' }));
  return t;
}

const opts = (out: string): ExportOptions => ({ format: 'trl-dpo', out, outputs: ['jsonl', 'parquet'], shardRows: 16 });

describe('reproducible exports', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('two exports of the same state are byte-identical (data, items, card) and differ only in the manifest audit section', async () => {
    const t = await seeded();
    cleanup = t.cleanup;
    const a = join(t.dir, 'a');
    const b = join(t.dir, 'b');
    const c = join(t.dir, 'c');
    await exportDataset(t.ws, { ...opts(a), threads: 0 });
    await exportDataset(t.ws, { ...opts(b), threads: 0 });
    // Worker threads change nothing in the output.
    await exportDataset(t.ws, { ...opts(c), threads: 2 });
    const fa = exportFiles(a);
    expect(fa.size).toBeGreaterThan(6);
    for (const other of [b, c]) {
      const fb = exportFiles(other);
      expect([...fb.keys()].sort()).toEqual([...fa.keys()].sort());
      for (const [k, v] of fa) expect(Buffer.compare(v, fb.get(k)!), k).toBe(0);
    }
    const ma = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'));
    const mb = JSON.parse(readFileSync(join(b, 'manifest.json'), 'utf8'));
    expect(mb.content).toEqual(ma.content);
    expect(mb.content_sha256).toBe(ma.content_sha256);
    expect(mb.export_id).not.toBe(ma.export_id);
    expect(mb.audit.event.leaf_index).toBe(ma.audit.event.leaf_index + 1);
    // No timestamps or ids in data files: nothing in them mentions the export.
    for (const [k, v] of fa) expect(v.toString('latin1').includes(ma.export_id), k).toBe(false);
    expect(await verifyExport(a, t.ws)).toMatchObject({ ok: true, exportId: ma.export_id });
    expect(await verifyExport(b, t.path)).toMatchObject({ ok: true, exportId: mb.export_id });
    expect(t.ws.audit.verify().ok).toBe(true);
  });
});

describe('verifyExport catches alterations', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));

  async function exported() {
    const t = await seeded(40);
    cleanups.push(t.cleanup);
    const out = join(t.dir, 'out');
    const s = await exportDataset(t.ws, opts(out));
    expect(await verifyExport(out, t.ws)).toMatchObject({ ok: true });
    return { t, out, s, manifest: JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) };
  }

  it('(a) one byte of a data file changed', async () => {
    const { t, out } = await exported();
    const file = join(out, 'data', readdirSync(join(out, 'data')).find((f) => f.startsWith('train-00000') && f.endsWith('.jsonl'))!);
    const bytes = readFileSync(file);
    bytes[10] = bytes[10]! ^ 0x01;
    writeFileSync(file, bytes);
    const r = await verifyExport(out, t.ws);
    expect(r).toEqual({ ok: false, problem: expect.stringMatching(/^data\/train-00000-of-\d{5}\.jsonl was altered: its SHA-256 does not match/) });
  });

  it('(a) a Parquet shard truncated, a file appended to, an extra shard added', async () => {
    const { t, out } = await exported();
    const pq = join(out, 'data', readdirSync(join(out, 'data')).find((f) => f.endsWith('.parquet'))!);
    writeFileSync(pq, readFileSync(pq).subarray(0, 100));
    expect((await verifyExport(out, t.ws)).ok).toBe(false);
    const { t: t2, out: out2 } = await exported();
    appendFileSync(join(out2, 'items.jsonl'), '{"item_id":"x"}\n');
    expect(await verifyExport(out2, t2.ws)).toMatchObject({ ok: false, problem: expect.stringContaining('items.jsonl was altered') });
    const { t: t3, out: out3 } = await exported();
    writeFileSync(join(out3, 'data', 'train-00009-of-00010.jsonl'), '{}\n');
    expect(await verifyExport(out3, t3.ws)).toMatchObject({ ok: false, problem: expect.stringContaining('not part of the export') });
  });

  it('(b) the manifest edited: counts (even with a recomputed content hash), the proof, the time', async () => {
    const { t, out, manifest } = await exported();
    const path = join(out, 'manifest.json');
    const write = (m: unknown) => writeFileSync(path, JSON.stringify(m, null, 2));
    write({ ...manifest, content: { ...manifest.content, counts: { ...manifest.content.counts, rows: 1 } } });
    expect(await verifyExport(out, t.ws)).toMatchObject({ ok: false, problem: expect.stringContaining('content no longer matches') });

    // A forger who also recomputes content_sha256 is caught by the audit event's record.
    const { contentSha256 } = await import('../../electron/core/export/manifest.ts');
    const forged = { ...manifest.content, counts: { ...manifest.content.counts, rows: 1 } };
    write({ ...manifest, content: forged, content_sha256: contentSha256(forged) });
    expect(await verifyExport(out, t.ws)).toMatchObject({ ok: false, problem: expect.stringContaining('differs from the one recorded in audit event') });

    write({ ...manifest, audit: { ...manifest.audit, inclusion_proof: [...manifest.audit.inclusion_proof].reverse().concat('00'.repeat(32)) } });
    expect((await verifyExport(out, t.ws)).ok).toBe(false);
    write({ ...manifest, created_at: '2020-01-01T00:00:00.000Z' });
    expect(await verifyExport(out, t.ws)).toMatchObject({ ok: false, problem: expect.stringContaining('created_at') });
    write(manifest);
    expect((await verifyExport(out, t.ws)).ok).toBe(true);
  });

  /** Raw access to the workspace file, append-only triggers dropped. */
  function raw(path: string): Database.Database {
    const db = new Database(path);
    db.exec('DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;');
    return db;
  }

  it('(c) the export event edited in the audit log', async () => {
    const { t, out, manifest } = await exported();
    t.ws.close();
    const db = raw(t.path);
    const seq = manifest.audit.event.leaf_index as number;
    const body = db.prepare('SELECT body FROM audit_events WHERE seq = ?').pluck().get(seq) as string;
    db.prepare('UPDATE audit_events SET body = ? WHERE seq = ?').run(body.replace('"rows":', '"rows":1'), seq);
    db.close();
    expect(await verifyExport(out, t.path)).toMatchObject({ ok: false, problem: `audit event ${seq} was edited: its body no longer matches its leaf hash` });
  });

  it('(c) the export event deleted, or the log truncated', async () => {
    const { t, out, manifest } = await exported();
    t.ws.close();
    const seq = manifest.audit.event.leaf_index as number;
    const db = raw(t.path);
    db.prepare('DELETE FROM audit_events WHERE seq = ?').run(seq);
    db.close();
    expect(await verifyExport(out, t.path)).toMatchObject({ ok: false, problem: expect.stringContaining(`no event ${seq}`) });

    const { t: t2, out: out2 } = await exported();
    t2.ws.close();
    const db2 = raw(t2.path);
    db2.prepare('DELETE FROM audit_events WHERE seq >= 5').run();
    db2.close();
    expect(await verifyExport(out2, t2.path)).toMatchObject({ ok: false, problem: expect.stringContaining('removed or the log truncated') });
  });

  it('(c) an earlier event rewritten (leaf hash recomputed), or edited in place', async () => {
    const { t, out } = await exported();
    t.ws.close();
    const { leafHash } = await import('../../electron/core/audit/merkle.ts');
    const db = raw(t.path);
    const body = (db.prepare('SELECT body FROM audit_events WHERE seq = 3').pluck().get() as string).replace('"r"', '"mallory"');
    db.prepare('UPDATE audit_events SET body = ?, leaf_hash = ? WHERE seq = 3').run(body, leafHash(Buffer.from(body)).toString('hex'));
    db.close();
    expect(await verifyExport(out, t.path)).toMatchObject({ ok: false, problem: expect.stringContaining('no longer extends') });

    const { t: t2, out: out2 } = await exported();
    t2.ws.close();
    const db2 = raw(t2.path);
    db2.prepare("UPDATE audit_events SET body = replace(body, '\"r\"', '\"eve\"') WHERE seq = 4").run();
    db2.close();
    // The stored leaf hashes still chain, so only the full recomputation (the default) sees it.
    expect(await verifyExport(out2, t2.path, { full: false })).toMatchObject({ ok: true });
    expect(await verifyExport(out2, t2.path)).toMatchObject({ ok: false, problem: expect.stringContaining('fails verification') });
  });

  it('(d) the workspace verdicts changed behind the log (triggers dropped): before or after the export', async () => {
    // After: the export's rows no longer match the workspace's log.
    const { t, out } = await exported();
    t.ws.close();
    const db = raw(t.path);
    db.exec('DROP TRIGGER verdicts_no_update');
    const changed = db.prepare("UPDATE verdicts SET decision = 'dismiss' WHERE seq % 2 = 0").run().changes;
    expect(changed).toBeGreaterThan(0);
    db.close();
    expect(await verifyExport(out, t.path)).toMatchObject({ ok: false, problem: expect.stringMatching(/^the workspace no longer matches its audit log: verdicts row \S+ \(seq \d+\): decision is "dismiss" but the event recorded "violation"/) });

    // Before: the export refuses the tampered workspace (test/export/refuse-tampered.test.ts).
    const t2 = await seeded(40);
    cleanups.push(t2.cleanup);
    t2.ws.close();
    const db2 = raw(t2.path);
    db2.exec('DROP TRIGGER verdicts_no_update');
    db2.exec("UPDATE verdicts SET decision = 'dismiss'");
    db2.close();
    const { openWorkspace } = await import('../../electron/core/workspace/open.ts');
    const ws2 = openWorkspace(t2.path, { create: false });
    const out2 = join(t2.dir, 'out');
    try {
      await expect(exportDataset(ws2, { ...opts(out2), format: 'classifier' })).rejects.toMatchObject({ code: 'tampered' });
    } finally {
      ws2.close();
    }
  });
});
