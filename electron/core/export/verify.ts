/**
 * `verifyExport(dir, workspace)`: is this folder exactly what the workspace's audit log says
 * was exported? Checks, stopping at the first problem:
 *
 * 1. `manifest.json` parses, and `content_sha256` matches its content;
 * 2. every listed file exists with its size and SHA-256, and no unlisted file sits among them;
 * 3. the audit event at the manifest's leaf index is the `export.created` event of this export:
 *    its stored body hashes to the stored and the manifest's leaf hash, and it records this
 *    manifest's export id, time, file-list hash, content hash and filters;
 * 4. the manifest's inclusion proof verifies the event against the manifest's head;
 * 5. the workspace's log still extends that head and the snapshot head (recomputed from the
 *    stored leaf hashes); with `full` (the default) every event is also recomputed from its body
 *    (AuditLog.verify), which catches an edit anywhere in the log.
 */
import { verifyState } from '../audit/replay.ts';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { auditEventRow } from '../../../db/queries/export.ts';
import { canonicalJson, sha256Hex } from '../audit/canonical.ts';
import type { AuditEventBody } from '../audit/log.ts';
import { leafHash, verifyInclusion, type TreeHead } from '../audit/merkle.ts';
import { openWorkspace, type Workspace } from '../workspace/open.ts';
import { proveLastLeaf } from './audit-proof.ts';
import { CARD_FILE, contentSha256, EXPORT_EVENT, filesSha256, ITEMS_FILE, MANIFEST_FILE, MANIFEST_VERSION, type Manifest } from './manifest.ts';
import type { VerifyExportResult } from '../../shared/models/export.ts';
export type { VerifyExportResult };

export interface VerifyExportOptions {
  /** Recompute every audit event from its body too (default true). */
  full?: boolean;
}

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

const isHex64 = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);
const isHead = (h: unknown): h is TreeHead =>
  !!h && typeof h === 'object' && Number.isSafeInteger((h as TreeHead).size) && isHex64((h as TreeHead).root);
const sameKeys = (o: unknown, keys: string[]) =>
  !!o && typeof o === 'object' && !Array.isArray(o) && Object.keys(o).sort().join(',') === [...keys].sort().join(',');

function readManifest(dir: string): Manifest | string {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return `${MANIFEST_FILE} is missing from ${dir}`;
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (err) {
    return `${MANIFEST_FILE} is not valid JSON: ${(err as Error).message}`;
  }
  if (!sameKeys(m, ['manifest_version', 'export_id', 'created_at', 'content', 'content_sha256', 'audit']))
    return `${MANIFEST_FILE} has unexpected or missing top-level fields`;
  if (m.manifest_version !== MANIFEST_VERSION) return `${MANIFEST_FILE} has version ${String(m.manifest_version)}; this Verdict reads version ${MANIFEST_VERSION}`;
  const a = m.audit;
  if (!sameKeys(a, ['snapshot_head', 'event', 'head', 'inclusion_proof']) || !sameKeys(a.event, ['type', 'id', 'leaf_index', 'leaf_hash']))
    return `${MANIFEST_FILE} has a malformed audit section`;
  if (!isHead(a.head) || !isHead(a.snapshot_head) || !isHex64(a.event.leaf_hash) || !Number.isSafeInteger(a.event.leaf_index))
    return `${MANIFEST_FILE} has a malformed audit section`;
  if (!Array.isArray(a.inclusion_proof) || !a.inclusion_proof.every(isHex64)) return `${MANIFEST_FILE} has a malformed inclusion proof`;
  if (!m.content || typeof m.content !== 'object' || !Array.isArray(m.content.files)) return `${MANIFEST_FILE} has no file list`;
  return m;
}

/** Files present in the export folder (relative paths), other than the manifest. */
function presentFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === MANIFEST_FILE) continue;
    if (name === 'data' && statSync(join(dir, name)).isDirectory()) {
      for (const f of readdirSync(join(dir, 'data'))) out.push(`data/${f}`);
    } else {
      out.push(name);
    }
  }
  return out.sort();
}

/**
 * Steps 1 and 2: the manifest and the files it lists (the same for a workspace's export and a
 * team database's). Returns the manifest, or the first problem.
 */
export async function checkExportFiles(dir: string): Promise<Manifest | string> {
  const m = readManifest(dir);
  if (typeof m === 'string') return m;
  let computed: string;
  try {
    computed = contentSha256(m.content);
  } catch (err) {
    return `${MANIFEST_FILE} content cannot be hashed: ${(err as Error).message}`;
  }
  if (computed !== m.content_sha256) return `${MANIFEST_FILE} was edited: its content no longer matches content_sha256`;
  const listed = new Set<string>();
  for (const f of m.content.files) {
    if (!f || typeof f.path !== 'string' || !isHex64(f.sha256) || typeof f.bytes !== 'number' || f.path.includes('..'))
      return `${MANIFEST_FILE} lists a malformed file entry`;
    listed.add(f.path);
    const abs = join(dir, f.path);
    if (!existsSync(abs)) return `${f.path} is missing`;
    const size = statSync(abs).size;
    if (size !== f.bytes) return `${f.path} was altered: ${size} bytes, the manifest says ${f.bytes}`;
    if ((await fileSha256(abs)) !== f.sha256) return `${f.path} was altered: its SHA-256 does not match the manifest`;
  }
  for (const p of [CARD_FILE, ITEMS_FILE]) if (!listed.has(p)) return `${MANIFEST_FILE} does not list ${p}`;
  for (const p of presentFiles(dir)) if (!listed.has(p)) return `${p} is not part of the export (not in ${MANIFEST_FILE})`;
  return m;
}

export async function verifyExport(
  dir: string,
  workspace: Workspace | string,
  options: VerifyExportOptions = {},
): Promise<VerifyExportResult> {
  const fail = (problem: string): VerifyExportResult => ({ ok: false, problem });
  const m = await checkExportFiles(dir);
  if (typeof m === 'string') return fail(m);

  // The audit log.
  const ws = typeof workspace === 'string' ? openWorkspace(workspace, { readonly: true, create: false }) : workspace;
  try {
    const a = m.audit;
    const row = auditEventRow(ws.sqlite, a.event.leaf_index);
    if (!row) return fail(`the workspace audit log has no event ${a.event.leaf_index}: the export event was removed or the log truncated`);
    if (row.leafHash !== a.event.leaf_hash) return fail(`audit event ${row.seq} is not this export's event (leaf hash differs)`);
    if (leafHash(Buffer.from(row.body, 'utf8')).toString('hex') !== row.leafHash)
      return fail(`audit event ${row.seq} was edited: its body no longer matches its leaf hash`);
    let body: AuditEventBody;
    try {
      body = JSON.parse(row.body) as AuditEventBody;
    } catch {
      return fail(`audit event ${row.seq} is not valid JSON`);
    }
    const d = body.data ?? {};
    if (body.type !== EXPORT_EVENT || row.type !== EXPORT_EVENT) return fail(`audit event ${row.seq} is a ${body.type} event, not ${EXPORT_EVENT}`);
    if (body.id !== a.event.id || row.id !== a.event.id) return fail(`audit event ${row.seq} has id ${body.id}, the manifest says ${a.event.id}`);
    if (d.export_id !== m.export_id || body.subject !== m.export_id) return fail(`audit event ${row.seq} records export ${String(d.export_id)}, not ${m.export_id}`);
    if (body.at !== m.created_at) return fail(`${MANIFEST_FILE} was edited: created_at differs from the audit event's time`);
    if (d.files_sha256 !== filesSha256(m.content.files)) return fail(`the file list differs from the one recorded in audit event ${row.seq}`);
    if (d.content_sha256 !== m.content_sha256) return fail(`${MANIFEST_FILE} content differs from the one recorded in audit event ${row.seq}`);
    if (sha256Hex(canonicalJson(d.filters ?? null)) !== sha256Hex(canonicalJson(m.content.filters)))
      return fail(`the filters differ from the ones recorded in audit event ${row.seq}`);

    const proofOk = verifyInclusion(
      Buffer.from(a.event.leaf_hash, 'hex'),
      a.event.leaf_index,
      a.head.size,
      a.inclusion_proof.map((h) => Buffer.from(h, 'hex')),
      Buffer.from(a.head.root, 'hex'),
    );
    if (!proofOk) return fail(`the inclusion proof in ${MANIFEST_FILE} does not verify against its tree head`);
    if (a.head.size !== a.event.leaf_index + 1) return fail(`${MANIFEST_FILE} head does not end with the export event`);
    if (a.snapshot_head.size > a.event.leaf_index) return fail(`${MANIFEST_FILE} snapshot head is not before the export event`);
    let now;
    try {
      now = proveLastLeaf(ws.sqlite, a.event.leaf_index, [a.snapshot_head.size]);
    } catch (err) {
      return fail(`the workspace audit log is incomplete: ${(err as Error).message}`);
    }
    if (now.head.root !== a.head.root) return fail(`the workspace audit log no longer extends the head in ${MANIFEST_FILE} (size ${a.head.size}): it was rewritten`);
    if (now.heads[a.snapshot_head.size]?.root !== a.snapshot_head.root)
      return fail(`the workspace audit log no longer extends the snapshot head in ${MANIFEST_FILE} (size ${a.snapshot_head.size})`);
    if (options.full ?? true) {
      const res = ws.audit.verify(a.head);
      if (!res.ok) return fail(`the workspace audit log fails verification: ${res.reason}`);
      // The rows this export was made from must still be what the log says was decided.
      const state = verifyState(ws.sqlite);
      if (!state.ok) return fail(`the workspace no longer matches its audit log: ${state.mismatch.reason}; run "verdict audit verify" for details`);
    }
    return {
      ok: true,
      exportId: m.export_id,
      files: m.content.files.length,
      rows: m.content.counts?.rows ?? 0,
      eventSeq: a.event.leaf_index,
      head: a.head,
    };
  } finally {
    if (typeof workspace === 'string') ws.close();
  }
}
