/**
 * `verdict export verify DIR --team URL`: the local checks of the manifest and files, then the
 * team audit log: the leaf at the manifest's index is this export's `export.created` event (body
 * hash = stored = manifest leaf hash; export id, time, file-list hash, content hash, filters),
 * the inclusion proof verifies, the team log still extends the manifest's heads, and with
 * `full` the whole team log is verified and replayed against the tables (audit verify --team).
 */
import type pg from 'pg';
import { teamLeaf, teamLeafHashChunks } from '../../../db/team/export.ts';
import { canonicalJson, sha256Hex } from '../audit/canonical.ts';
import { leafHash, verifyInclusion } from '../audit/merkle.ts';
import { proveLastLeafFrom } from '../export/audit-proof.ts';
import { EXPORT_EVENT, filesSha256, MANIFEST_FILE } from '../export/manifest.ts';
import { checkExportFiles, type VerifyExportOptions, type VerifyExportResult } from '../export/verify.ts';
import { teamClient } from './connect.ts';
import { teamError } from './errors.ts';
import { verifyTeam } from './verify.ts';

export async function verifyTeamExport(dir: string, url: string, options: VerifyExportOptions = {}): Promise<VerifyExportResult> {
  const m = await checkExportFiles(dir);
  if (typeof m === 'string') return { ok: false, problem: m };
  let client: pg.Client | null = null;
  let problem: string | null;
  try {
    client = await teamClient(url, 'verdict export verify');
    problem = await checkTeamLog(client, m);
  } catch (err) {
    throw teamError('export verify', err);
  } finally {
    await client?.end().catch(() => {});
  }
  if (problem) return { ok: false, problem };
  if (options.full ?? true) {
    const res = await verifyTeam(url, m.audit.head);
    if (!res.ok) return { ok: false, problem: `the team audit log fails verification (${res.stage}): ${res.reason}; run "verdict audit verify --team URL" for details` };
  }
  return { ok: true, exportId: m.export_id, files: m.content.files.length, rows: m.content.counts?.rows ?? 0, eventSeq: m.audit.event.leaf_index, head: m.audit.head };
}

type Manifest = Exclude<Awaited<ReturnType<typeof checkExportFiles>>, string>;

async function checkTeamLog(client: pg.Client, m: Manifest): Promise<string | null> {
  const a = m.audit;
  const row = await teamLeaf(client, { seq: a.event.leaf_index });
  if (!row) return `the team audit log has no event ${a.event.leaf_index}: the export event was removed or the log truncated`;
  if (row.leafHash !== a.event.leaf_hash) return `team audit event ${row.seq} is not this export's event (leaf hash differs)`;
  if (leafHash(Buffer.from(row.body, 'utf8')).toString('hex') !== row.leafHash) return `team audit event ${row.seq} was edited: its body no longer matches its leaf hash`;
  let body: { type?: string; at?: string; subject?: string | null; data?: Record<string, unknown> };
  try {
    body = JSON.parse(row.body) as typeof body;
  } catch {
    return `team audit event ${row.seq} is not valid JSON`;
  }
  const d = body.data ?? {};
  if (body.type !== EXPORT_EVENT) return `team audit event ${row.seq} is a ${String(body.type)} event, not ${EXPORT_EVENT}`;
  if (row.id !== a.event.id) return `team audit event ${row.seq} has id ${row.id}, the manifest says ${a.event.id}`;
  if (d.export_id !== m.export_id || body.subject !== m.export_id) return `team audit event ${row.seq} records export ${String(d.export_id)}, not ${m.export_id}`;
  if (body.at !== m.created_at) return `${MANIFEST_FILE} was edited: created_at differs from the audit event's time`;
  if (d.files_sha256 !== filesSha256(m.content.files)) return `the file list differs from the one recorded in team audit event ${row.seq}`;
  if (d.content_sha256 !== m.content_sha256) return `${MANIFEST_FILE} content differs from the one recorded in team audit event ${row.seq}`;
  if (sha256Hex(canonicalJson(d.filters ?? null)) !== sha256Hex(canonicalJson(m.content.filters))) return `the filters differ from the ones recorded in team audit event ${row.seq}`;
  const proofOk = verifyInclusion(
    Buffer.from(a.event.leaf_hash, 'hex'),
    a.event.leaf_index,
    a.head.size,
    a.inclusion_proof.map((h) => Buffer.from(h, 'hex')),
    Buffer.from(a.head.root, 'hex'),
  );
  if (!proofOk) return `the inclusion proof in ${MANIFEST_FILE} does not verify against its tree head`;
  if (a.head.size !== a.event.leaf_index + 1) return `${MANIFEST_FILE} head does not end with the export event`;
  if (a.snapshot_head.size > a.event.leaf_index) return `${MANIFEST_FILE} snapshot head is not before the export event`;
  let now;
  try {
    now = await proveLastLeafFrom((size, from) => teamLeafHashChunks(client, size, from), a.event.leaf_index, [a.snapshot_head.size]);
  } catch (err) {
    return `the team audit log is incomplete: ${(err as Error).message}`;
  }
  if (now.head.root !== a.head.root) return `the team audit log no longer extends the head in ${MANIFEST_FILE} (size ${a.head.size}): it was rewritten`;
  if (now.heads[a.snapshot_head.size]?.root !== a.snapshot_head.root)
    return `the team audit log no longer extends the snapshot head in ${MANIFEST_FILE} (size ${a.snapshot_head.size})`;
  return null;
}
