import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listQuarantine } from '../../db/queries/quarantine.ts';
import { verdictsForItem } from '../../db/queries/verdicts.ts';
import { importVerdicts } from '../../electron/core/sync/import.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { CLI, outboxRows, readResults, seed } from './helpers.ts';

const line = (o: Record<string, unknown>) => JSON.stringify(o);

describe('verdicts import', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('imports by item uuid and by external id, as audited verdicts of kind import with the line’s reviewer and time', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const s = await seed(t.ws, t.dir);
    const f0 = s.item('f0');
    const file = join(t.dir, 'decisions.jsonl');
    writeFileSync(
      file,
      [
        line({ item_id: f0.id, decision: 'violation', labels: ['S7', 'pii', 'S7'], severity: 'high', correction: 'No.', rationale: 'leak', reviewer: 'ana', decided_at: '2026-10-01T09:30:00+02:00' }),
        line({ item_id: 'f1', decision: 'escalate', route_to: 'legal', reviewer: 'ben', decided_at: '2026-10-02T00:00:00Z' }),
        line({ item_id: 'shared', source: 'inbox', decision: 'dismiss', reviewer: 'cy', decided_at: '2026-10-03T00:00:00Z' }),
        line({ item_id: 's0', source: 'stdin:live', decision: 'dismiss', reviewer: 'cy', decided_at: '2026-10-03T00:00:00Z' }),
      ].join('\n') + '\n',
    );
    const summary = await importVerdicts(t.ws, { path: file, reviewer: 'importer' });
    expect(summary).toMatchObject({ read: 4, imported: 4, duplicates: 0, quarantined: 0 });

    const [v] = verdictsForItem(t.ws.sqlite, f0.seq);
    expect(v).toMatchObject({
      kind: 'import',
      decision: 'violation',
      labels: ['S7', 'pii'],
      severity: 'high',
      correction: 'No.',
      rationale: 'leak',
      reviewer: 'ana',
      decidedAt: '2026-10-01T07:30:00.000Z',
      revisionId: f0.revisions[0]!.id,
    });
    expect(s.item('f0').status).toBe('decided');
    expect(s.item('f1')).toMatchObject({ status: 'escalated', route: 'legal' });
    expect(s.item('d0').status).toBe('new');
    const ev = JSON.parse(t.ws.sqlite.prepare('SELECT body FROM audit_events WHERE seq = ?').pluck().get(v!.auditSeq) as string);
    expect(ev).toMatchObject({ type: 'verdict.imported', actor: 'ana', at: '2026-10-01T07:30:00.000Z', data: { verdict_id: v!.id } });
    const batch = JSON.parse(t.ws.sqlite.prepare("SELECT body FROM audit_events WHERE type = 'verdicts.import_batch'").pluck().get() as string);
    expect(batch).toMatchObject({ actor: 'importer', data: { file, read: 4, imported: 4, duplicates: 0, quarantined: 0 } });

    // Every imported verdict enters the outbox: the jsonl ones to send, the stdin one with no return path.
    expect(outboxRows(t.ws).map((r) => r.state)).toEqual(['pending', 'pending', 'pending', 'no_return_path']);
    expect(t.ws.audit.verify().ok).toBe(true);
  });

  it('imports nothing twice: the same file again, or the same verdict written differently', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const s = await seed(t.ws, t.dir);
    const file = join(t.dir, 'decisions.jsonl');
    const lines = Array.from({ length: 25 }, (_, i) =>
      line({ item_id: `f${i % 3}`, decision: 'dismiss', reviewer: `r${i}`, decided_at: `2026-10-01T00:00:${String(i).padStart(2, '0')}Z` }),
    );
    writeFileSync(file, lines.join('\n') + '\n');
    expect(await importVerdicts(t.ws, { path: file, batchSize: 7 })).toMatchObject({ read: 25, imported: 25, duplicates: 0 });
    expect(await importVerdicts(t.ws, { path: file, batchSize: 4 })).toMatchObject({ read: 25, imported: 0, duplicates: 25 });

    // Same verdict: item by uuid instead of external id, other key order, labels reordered, same instant in another zone.
    const other = join(t.dir, 'other.jsonl');
    writeFileSync(
      other,
      [
        line({ decided_at: '2026-10-01T02:00:00+02:00', reviewer: 'r0', decision: 'dismiss', item_id: s.item('f0').id }),
        line({ item_id: 'f0', decision: 'violation', labels: ['b', 'a'], reviewer: 'x', decided_at: '2026-10-05T00:00:00Z' }),
        line({ item_id: 'f0', decision: 'violation', labels: ['a', 'b', 'a'], reviewer: 'x', decided_at: '2026-10-05T00:00:00.000Z' }),
      ].join('\n'),
    );
    expect(await importVerdicts(t.ws, { path: other })).toMatchObject({ read: 3, imported: 1, duplicates: 2 });
    expect(t.ws.sqlite.prepare('SELECT count(*) FROM verdicts').pluck().get()).toBe(26);
    expect(t.ws.sqlite.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(26);
    expect(t.ws.audit.verify().ok).toBe(true);
  });

  it('quarantines bad lines with file, line, byte offset, error and JSON path, once, and goes on', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const s = await seed(t.ws, t.dir);
    const file = join(t.dir, 'decisions.jsonl');
    const good = line({ item_id: 'f0', decision: 'dismiss', reviewer: 'ana', decided_at: '2026-10-01T00:00:00Z' });
    const bad = [
      '{"item_id": "f1", "decision": ',
      '[1, 2]',
      line({ item_id: 'f1', decision: 'maybe', reviewer: 'ana', decided_at: '2026-10-01T00:00:00Z' }),
      line({ item_id: 'f1', decision: 'dismiss', reviewer: 'ana', decided_at: 'yesterday' }),
      line({ item_id: 'nope', decision: 'dismiss', reviewer: 'ana', decided_at: '2026-10-01T00:00:00Z' }),
      line({ item_id: 'shared', decision: 'dismiss', reviewer: 'ana', decided_at: '2026-10-01T00:00:00Z' }),
      line({ item_id: 'f1', decision: 'escalate', reviewer: 'ana', decided_at: '2026-10-01T00:00:00Z' }),
      line({ item_id: 'f1', decision: 'dismiss', decided_at: '2026-10-01T00:00:00Z' }),
      line({ item_id: 'f1', source: 'elsewhere', decision: 'dismiss', reviewer: 'ana', decided_at: '2026-10-01T00:00:00Z' }),
      line({ item_id: 'f1', decision: 'dismiss', labels: ['ok', 7], reviewer: 'ana', decided_at: '2026-10-01T00:00:00Z' }),
    ];
    const all = [good, '', ...bad, good.replace('f0', 'f2')];
    writeFileSync(file, all.join('\n') + '\n');
    const summary = await importVerdicts(t.ws, { path: file, batchSize: 3 });
    expect(summary).toMatchObject({ read: 12, imported: 2, duplicates: 0, quarantined: 10 });
    const q = listQuarantine(t.ws.sqlite, 100).reverse();
    const offsetOf = (n: number) => Buffer.byteLength(all.slice(0, n - 1).map((l) => `${l}\n`).join(''));
    expect(q.map((r) => [r.line, r.byteOffset, r.jsonPath])).toEqual([
      [3, offsetOf(3), '$'],
      [4, offsetOf(4), '$'],
      [5, offsetOf(5), '$.decision'],
      [6, offsetOf(6), '$.decided_at'],
      [7, offsetOf(7), '$.item_id'],
      [8, offsetOf(8), '$.source'],
      [9, offsetOf(9), '$.route_to'],
      [10, offsetOf(10), '$.reviewer'],
      [11, offsetOf(11), '$.source'],
      [12, offsetOf(12), '$.labels[1]'],
    ]);
    expect(q.map((r) => r.error)).toEqual([
      expect.stringMatching(/^invalid JSON/),
      'expected a JSON object, got an array',
      expect.stringMatching(/^schema: .* at \$\.decision$/),
      expect.stringMatching(/^schema: decided_at must be an RFC 3339 date-time at \$\.decided_at$/),
      expect.stringMatching(/^unknown item "nope"/),
      expect.stringMatching(/^ambiguous item "shared": 2 sources .*add "source"/),
      expect.stringMatching(/escalation needs route_to/),
      expect.stringMatching(/reviewer is required/),
      expect.stringMatching(/^unknown source "elsewhere"/),
      expect.stringMatching(/at \$\.labels\[1\]/),
    ]);
    expect(q[0]).toMatchObject({ sourceId: null, file, raw: bad[0], rawBytes: Buffer.byteLength(bad[0]!) });
    expect(q[0]!.rawSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(s.item('f2').status).toBe('decided');
    expect(t.ws.sqlite.prepare("SELECT count(*) FROM audit_events WHERE type = 'verdicts.import_quarantine'").pluck().get()).toBe(4);

    // Importing again: the bad lines are still reported but not stored twice; with --reviewer the
    // line without one now imports.
    expect(await importVerdicts(t.ws, { path: file, reviewer: 'fallback' })).toMatchObject({ read: 12, imported: 1, duplicates: 2, quarantined: 9 });
    expect(listQuarantine(t.ws.sqlite, 100)).toHaveLength(10);
    expect(verdictsForItem(t.ws.sqlite, s.item('f1').seq).map((v) => v.reviewer)).toEqual(['fallback']);
    expect(t.ws.audit.verify().ok).toBe(true);
  });

  it('quarantines an oversized line by its first 64 KiB', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await seed(t.ws, t.dir);
    const file = join(t.dir, 'big.jsonl');
    const big = line({ item_id: 'f0', decision: 'dismiss', reviewer: 'ana', decided_at: '2026-10-01T00:00:00Z', rationale: 'x'.repeat(200_000) });
    writeFileSync(file, `${big}\n`);
    expect(await importVerdicts(t.ws, { path: file, maxLineBytes: 100_000 })).toMatchObject({ read: 1, imported: 0, quarantined: 1 });
    const [q] = listQuarantine(t.ws.sqlite, 1);
    expect(q).toMatchObject({ rawBytes: Buffer.byteLength(big), error: expect.stringMatching(/over the 100000-byte limit/) });
    expect(q!.raw.length).toBe(64 * 1024);
  });

  it('runs from the CLI: import --json, then sync delivers and status/retry report per source', async () => {
    const t = tempWorkspace();
    const s = await seed(t.ws, t.dir);
    t.ws.close();
    cleanup = t.cleanup;
    const file = join(t.dir, 'decisions.jsonl');
    writeFileSync(
      file,
      [
        line({ item_id: 'f0', decision: 'dismiss', reviewer: 'ana', decided_at: '2026-10-01T00:00:00Z' }),
        line({ item_id: 'd0', decision: 'violation', decided_at: '2026-10-01T00:00:00Z' }),
        'not json',
      ].join('\n') + '\n',
    );
    const cli = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, ...args, '--workspace', t.path], { encoding: 'utf8' });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const imp = cli('verdicts', 'import', file, '--reviewer', 'ben', '--json');
    expect(imp.err).toBe('');
    expect(JSON.parse(imp.out)).toMatchObject({ read: 3, imported: 2, duplicates: 0, quarantined: 1 });
    expect(JSON.parse(cli('verdicts', 'import', file, '--json').out)).toMatchObject({ imported: 0, duplicates: 1, quarantined: 2 });

    const sync = cli('sync', '--json');
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.out)).toMatchObject({ delivered: 2, failed: 0 });
    expect(readResults(s.fileResults).lines).toMatchObject([{ item_id: 'f0', reviewer: 'ana', kind: 'import' }]);
    expect(readResults(s.folderResults).lines).toMatchObject([{ item_id: 'd0', reviewer: 'ben', kind: 'import' }]);
    const status = JSON.parse(cli('sync', 'status', '--json').out) as { sourceId: string; delivered: number }[];
    expect(status.map((x) => x.delivered)).toEqual([1, 1, 0]);
    expect(cli('sync', 'status').out).toMatch(/queue\.jsonl .*-> .*queue\.jsonl\.verdicts\.jsonl\n {2}pending 0, delivered 1, failed 0; last delivered/);

    const retry = cli('sync', 'retry', s.fileSource.id, '--json');
    expect(retry.code).toBe(0);
    expect(JSON.parse(retry.out)).toMatchObject({ reset: 0, sources: [{ sourceId: s.fileSource.id, delivered: 1 }] });
    expect(cli('sync', 'retry', 'nope').err).toMatch(/no source nope/);
    expect(cli('verdicts', 'export').code).toBe(2);

    const ws = openWorkspace(t.path);
    expect(ws.audit.verify().ok).toBe(true);
    ws.close();
  });
});
