/**
 * `verdicts import`: decisions made elsewhere, one JSONL line each, recorded as audited
 * verdicts of kind `import` (through ReviewService, so each also enters the outbox).
 *
 * Streaming, in batch transactions; idempotent: each imported verdict leaves a key derived
 * from its normalized content (the item it resolved to, decision, labels, severity, texts,
 * route, reviewer, instant of decision), so importing the same file again, or the same line
 * naming the item by its other id, imports nothing twice. Bad lines are quarantined like
 * ingest's (file, line, byte offset, error, JSON path, first 64 KiB, sha256), once per
 * file/line/content/error, and the rest goes on.
 */
import { jsonErrorInWords } from '../ingest/json-error.ts';
import { isUtf8 } from 'node:buffer';
import { loneSurrogateError, loneSurrogatePath, NOT_UTF8_ERROR } from '../util/text.ts';
import { writeTransaction } from '../workspace/write-lock.ts';
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import { DECISIONS } from '../../../db/queries/verdicts.ts';
import { listSources, type SourceRow } from '../../../db/queries/sources.ts';
import { importStatements, type ImportStatements } from '../../../db/queries/verdict-imports.ts';
import { canonicalJson } from '../audit/canonical.ts';
import { RAW_KEEP_BYTES, readLines, type Line } from '../ingest/lines.ts';
import { DEFAULT_MAX_LINE_BYTES, jsonPathOf } from '../ingest/parse.ts';
import { ReviewService } from '../review/verdicts.ts';
import { UserError } from '../util/errors.ts';
import { extKey } from '../util/ext-key.ts';
import { newId, nowIso } from '../util/ids.ts';
import type { Workspace } from '../workspace/open.ts';
import type { ImportSummary } from '../../shared/models/sync.ts';
export type { ImportSummary };

export interface ImportOptions {
  path: string;
  /** For lines without a `reviewer`; also the actor of the import's own audit events. */
  reviewer?: string;
  /** Lines per transaction (default 500). */
  batchSize?: number;
  maxLineBytes?: number;
  signal?: AbortSignal;
  /** After every committed batch (the CLI delivers from here with --sync; crash tests die here). */
  onBatch?: (summary: ImportSummary) => void | Promise<void>;
}

/** One line of a verdicts file. Unknown keys are ignored, so a results file can be imported. */
export const importLineSchema = z
  .object({
    item_id: z.string().trim().min(1).max(200),
    source: z.string().min(1).max(4096).optional(),
    decision: z.enum(DECISIONS),
    labels: z.array(z.string().trim().min(1).max(64)).max(100).optional(),
    severity: z.enum(['low', 'medium', 'high', 'critical']).nullish(),
    correction: z.string().max(1_000_000).nullish(),
    rationale: z.string().max(65_536).nullish(),
    route_to: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'route_to must be lowercase letters, digits, _ or -')
      .nullish(),
    // The results line's per-flag calls; checked against the item's flags by ReviewService, as in the app.
    flag_reviews: z.array(z.object({ flag: z.number().int().min(0).max(999), accepted: z.boolean() }).strict()).max(1000).optional(),
    reviewer: z.string().trim().min(1).max(120).optional(),
    decided_at: z.iso.datetime({ offset: true, message: 'decided_at must be an RFC 3339 date-time' }),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'escalate' && !v.route_to)
      ctx.addIssue({ code: 'custom', message: 'an escalation needs route_to', path: ['route_to'] });
  });

export type ImportLine = z.infer<typeof importLineSchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

type Bad = { error: string; jsonPath: string };
type Resolved = { itemId: string; input: ImportLine & { reviewer: string }; decidedAt: string };

/** Errors no other line could survive either (the disk, the lock, the file): the batch stops. */
function isFatal(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return /^SQLITE_(FULL|IOERR|BUSY|LOCKED|CORRUPT|NOTADB|READONLY|CANTOPEN|NOMEM)/.test(code);
}

export class VerdictImporter {
  private readonly st: ImportStatements;
  private readonly review: ReviewService;
  private readonly summary: ImportSummary = { read: 0, imported: 0, duplicates: 0, quarantined: 0, seconds: 0 };
  private readonly started = performance.now();
  private sources: SourceRow[] = [];
  private file = '';

  constructor(
    private readonly ws: Workspace,
    private readonly opts: ImportOptions,
  ) {
    this.st = importStatements(ws.sqlite);
    this.review = new ReviewService(ws);
  }

  async run(): Promise<ImportSummary> {
    this.file = resolve(this.opts.path);
    try {
      if (!statSync(this.file).isFile()) throw new Error('not a file');
    } catch {
      throw new UserError(`cannot read ${this.opts.path}: no such file`);
    }
    this.sources = listSources(this.ws.sqlite);
    const batchSize = Math.max(1, this.opts.batchSize ?? 500);
    const maxLineBytes = this.opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    let stream: Readable = createReadStream(this.file, { highWaterMark: 1 << 20 });
    if (this.file.toLowerCase().endsWith('.gz')) stream = stream.pipe(createGunzip());
    let batch: Line[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      this.commit(batch);
      batch = [];
      await this.opts.onBatch?.({ ...this.summary });
    };
    for await (const lines of readLines(stream, { maxLineBytes })) {
      for (const line of lines) {
        if (line.bytes.length <= 8 && line.bytes.toString('utf8').trim() === '') continue;
        batch.push(line);
        if (batch.length >= batchSize) await flush();
      }
      if (this.opts.signal?.aborted) break;
    }
    await flush();
    this.summary.seconds = (performance.now() - this.started) / 1000;
    return { ...this.summary };
  }

  private commit(batch: Line[]): void {
    const at = nowIso();
    const actor = this.opts.reviewer ?? 'system';
    writeTransaction(this.ws.sqlite, this.ws.path, () => {
      const counts = { read: 0, imported: 0, duplicates: 0, quarantined: 0 };
      const verdictDigest = createHash('sha256');
      const quarantineDigest = createHash('sha256');
      const quarantinedLines: number[] = [];
      for (const line of batch) {
        counts.read++;
        const outcome = this.prepare(line);
        if ('error' in outcome) {
          counts.quarantined++;
          const stored = this.quarantine(line, outcome, at);
          if (stored) {
            quarantineDigest.update(`${line.lineNo}:${stored}\n`);
            quarantinedLines.push(line.lineNo);
          }
          continue;
        }
        const key = `v1:${this.contentKey(outcome)}`;
        if (this.st.seen(key)) {
          counts.duplicates++;
          continue;
        }
        const { input } = outcome;
        let verdictId: string;
        try {
          verdictId = this.review.submit(
            {
              itemId: outcome.itemId,
              decision: input.decision,
              labels: input.labels ?? [],
              severity: input.severity ?? null,
              correction: input.correction ?? null,
              rationale: input.rationale ?? null,
              routeTo: input.route_to ?? null,
              flagReviews: input.flag_reviews ?? [],
              reviewer: input.reviewer,
              decidedAt: outcome.decidedAt,
            },
            'import',
          ).id;
        } catch (err) {
          // The line's savepoint is rolled back: whatever went wrong, it costs this line alone.
          if (isFatal(err)) throw err;
          counts.quarantined++;
          const message = err instanceof UserError ? err.message : `could not be recorded: ${(err as Error).message}`;
          const jsonPath = err instanceof UserError && err.code === 'invalid_flag_review' ? '$.flag_reviews' : '$';
          const stored = this.quarantine(line, { error: message.split('\n')[0]!, jsonPath }, at);
          if (stored) {
            quarantineDigest.update(`${line.lineNo}:${stored}\n`);
            quarantinedLines.push(line.lineNo);
          }
          continue;
        }
        this.st.record(key, verdictId, null, this.file, line.lineNo, at);
        verdictDigest.update(`${verdictId}:${key}\n`);
        counts.imported++;
      }
      const last = batch[batch.length - 1]!;
      this.ws.audit.append(
        'verdicts.import_batch',
        { file: this.file, to_line: last.lineNo, to_offset: last.end, ...counts, verdicts_sha256: verdictDigest.digest('hex') },
        { actor, at },
      );
      if (quarantinedLines.length > 0) {
        this.ws.audit.append(
          'verdicts.import_quarantine',
          { file: this.file, lines: quarantinedLines, raw_sha256: quarantineDigest.digest('hex') },
          { actor, at },
        );
      }
      for (const k of ['read', 'imported', 'duplicates', 'quarantined'] as const) this.summary[k] += counts[k];
    });
  }

  /** Validates one line and finds its item, or says precisely why not. */
  private prepare(line: Line): Resolved | Bad {
    if (line.oversized) return { error: `line is ${line.length} bytes, over the ${this.opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES}-byte limit`, jsonPath: '$' };
    let value: unknown;
    try {
      if (!isUtf8(line.bytes)) return { error: NOT_UTF8_ERROR, jsonPath: '$' };
      value = JSON.parse(line.bytes.toString('utf8'));
    } catch (err) {
      return { error: jsonErrorInWords(line.bytes.toString('utf8'), (err as Error).message), jsonPath: '$' };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
      return { error: `expected a JSON object, got ${kind}`, jsonPath: '$' };
    }
    const lone = loneSurrogatePath(value);
    if (lone) return { error: loneSurrogateError(lone), jsonPath: lone };
    const parsed = importLineSchema.safeParse(value);
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
      const path = jsonPathOf(first.path);
      return { error: `schema: ${first.message} at ${path}${more}`, jsonPath: path };
    }
    const v = parsed.data;
    const reviewer = v.reviewer ?? this.opts.reviewer;
    if (!reviewer) return { error: 'schema: reviewer is required (or import with --reviewer NAME) at $.reviewer', jsonPath: '$.reviewer' };
    const item = this.resolveItem(v.item_id, v.source);
    if ('error' in item) return item;
    return { itemId: item.id, input: { ...v, reviewer }, decidedAt: new Date(v.decided_at).toISOString() };
  }

  private resolveItem(ref: string, sourceRef: string | undefined): { id: string } | Bad {
    let candidates = this.sources;
    if (sourceRef !== undefined) {
      candidates = this.sources.filter((s) => s.id === sourceRef || s.uri === sourceRef || s.name === sourceRef);
      if (candidates.length === 0) return { error: `unknown source "${sourceRef}" (give a source id, name or uri)`, jsonPath: '$.source' };
    }
    if (UUID.test(ref)) {
      const byId = this.st.itemById(ref.toLowerCase());
      if (byId) {
        if (!candidates.some((s) => s.id === byId.sourceId))
          return { error: `item ${ref} does not come from source "${sourceRef}"`, jsonPath: '$.source' };
        return { id: byId.id };
      }
    }
    const found: { id: string; source: SourceRow }[] = [];
    for (const s of candidates) {
      const r = this.st.itemByExternal(extKey(ref), s.id, ref);
      if (r) found.push({ id: r.id, source: s });
    }
    if (found.length === 1) return { id: found[0]!.id };
    if (found.length === 0) {
      return {
        error: `unknown item "${ref}": no item has that id${sourceRef !== undefined ? ` or external id in source "${sourceRef}"` : ' or external id'}`,
        jsonPath: '$.item_id',
      };
    }
    return {
      error: `ambiguous item "${ref}": ${found.length} sources have that external id (${found.map((f) => f.source.name).join(', ')}); add "source"`,
      jsonPath: '$.source',
    };
  }

  /** The verdict's identity: what it says about which item, by whom and when, not how it was written. */
  private contentKey(r: Resolved): string {
    const v = r.input;
    return sha256(
      canonicalJson({
        item: r.itemId,
        decision: v.decision,
        labels: [...new Set(v.labels ?? [])].sort(),
        severity: v.severity ?? null,
        correction: v.correction ?? null,
        rationale: v.rationale ?? null,
        route_to: v.route_to ?? null,
        reviewer: v.reviewer,
        decided_at: r.decidedAt,
        // Only when present, so keys of lines imported before flag calls were carried stay the same.
        ...(v.flag_reviews?.length ? { flag_reviews: [...v.flag_reviews].sort((a, b) => a.flag - b.flag).map((f) => `${f.flag}:${f.accepted}`) } : {}),
      }),
    );
  }

  /** Stores the line in the quarantine unless this very line was already put there; returns its raw sha256 if stored. */
  private quarantine(line: Line, bad: Bad, at: string): string | null {
    const rawSha = sha256(line.bytes);
    const key = `q1:${sha256(`${this.file}\0${line.lineNo}\0${rawSha}\0${bad.error}`)}`;
    if (this.st.seen(key)) return null;
    const id = newId();
    const raw = line.bytes.subarray(0, RAW_KEEP_BYTES).toString('utf8');
    this.st.quarantine({ id, file: this.file, line: line.lineNo, byteOffset: line.offset, error: bad.error, jsonPath: bad.jsonPath, raw, rawBytes: line.length, rawSha256: rawSha, createdAt: at });
    this.st.record(key, null, id, this.file, line.lineNo, at);
    return rawSha;
  }
}

export function importVerdicts(ws: Workspace, opts: ImportOptions): Promise<ImportSummary> {
  return new VerdictImporter(ws, opts).run();
}
