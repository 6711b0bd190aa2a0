/**
 * The metric upkeep (issue 14): brings metric_items and the sums kept from it (metric_cube,
 * metric_cell_items, metric_ttd, metric_reviewer_daily, metric_flag_items) up to date with the item and verdict
 * logs, by seq watermarks in `meta`. A verdict write does no metric work: the dashboard, report
 * and drill-down reads run this first (so a verdict just submitted is counted on the next read),
 * and the app runs it in the background once writes go idle.
 *
 * Since migration 0016 the sums are kept here, set-based, not by per-row triggers on
 * metric_items: a step stages the rows it removes (`fold_old`) and the rows it adds (`fold_new`)
 * in temp tables, writes metric_items, then appends the net difference per cell to the sums'
 * pending tables (applyCubeDeltas; migration 0021), which are merged into the sums once they
 * hold MERGE_PENDING_AT rows (mergePendingSums): a page of the sums is written once per merge,
 * not once per verdict. Readers sum the two (db/queries/metrics.ts).
 */
import type Database from 'better-sqlite3';
import { backfillProofs, proofOfRowSql } from './metrics-proof.ts';

const OUTCOME = ['state', 'reviewer', 'halluc', 'pii', 'first_ms', 'ttd_bucket', 'breached', 'overturned', 'overlap', 'agreed', 'verdict_seq'];
const DIMS = ['day', 'created_ms', 'route', 'priority', 'category', 'policy', 'detector', 'model', 'version', 'deployment', 'traced'];
/** metric_item_facts' columns, in order; metric_items adds the verdict's proof (audit_seq, audit_leaf) and `calls` (0021). */
const FACT_COLS = ['item_seq', ...DIMS, ...OUTCOME];
const ROW_COLS = [...FACT_COLS, 'audit_seq', 'audit_leaf', 'calls'];
/** The dimensions of a metric_cube cell, state last. */
export const CUBE_CELL = ['day', 'route', 'category', 'policy', 'detector', 'model', 'version', 'deployment', 'state'];
const TTD_CELL = ['day', 'route', 'priority', 'model', 'version', 'deployment', 'ttd_bucket'];
/** A metric_flag_items row (migration 0017): the item, the call's dimension and value, the item's cell, the call. */
const FLAG_CELL = ['dim', 'value', 'day', 'route', 'category', 'policy', 'detector', 'model', 'version', 'deployment', 'reviewer'];
const FLAG_COLS = ['item_seq', ...FLAG_CELL, 'false_pos', 'per_flag'];

/** What a fold did: items and verdicts folded, and rows written to the workspace's tables. */
export interface FoldStats {
  items: number;
  verdicts: number;
  rows: number;
}
export interface FoldProgress {
  phase: 'items' | 'verdicts';
  done: number;
  total: number;
}
export interface FoldOptions {
  chunk?: number;
  /** Called after each committed step (at most `chunk` items or verdicts). */
  onProgress?: (p: FoldProgress) => void;
  /** Accumulates what the fold wrote (the bench's figures). */
  stats?: FoldStats;
  /** Pending rows at which a step merges them into the sums (default MERGE_PENDING_AT). */
  mergeAt?: number;
}

/**
 * Prepared statements per connection: the upkeep runs before every metric read, often with one
 * verdict to fold, where preparing its ~20 statements each time would cost more than the work.
 */
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function stmt(sqlite: Database.Database, sql: string): Database.Statement {
  let m = cache.get(sqlite);
  if (!m) cache.set(sqlite, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = sqlite.prepare(sql)));
  return st;
}

/**
 * Staging tables that may hold rows, per connection: a step empties only those (a read after a
 * single verdict runs a whole step, where five DELETEs of empty tables were a tenth of its statements).
 */
const staged = new WeakMap<Database.Database, Set<string>>();
function stage(sqlite: Database.Database, table: string): void {
  let s = staged.get(sqlite);
  if (!s) staged.set(sqlite, (s = new Set()));
  s.add(table);
}
function clearStage(sqlite: Database.Database): void {
  const s = staged.get(sqlite);
  if (!s) return;
  for (const t of s) stmt(sqlite, `DELETE FROM ${t}`).run();
  s.clear();
}
/** After a step rolled back, its DELETEs did too: every staging table may hold rows again. */
function stageAll(sqlite: Database.Database): void {
  for (const t of ['fold_old', 'fold_new', 'flag_seqs']) stage(sqlite, t);
}

/**
 * Connections whose staging tables exist (creating them, even IF NOT EXISTS, cost more than a
 * one-verdict step). Not noted when created inside a caller's transaction, which may roll them back.
 */
const hasStage = new WeakSet<Database.Database>();
function stageTables(sqlite: Database.Database): void {
  if (hasStage.has(sqlite)) return;
  if (!sqlite.inTransaction) hasStage.add(sqlite);
  const cols = ROW_COLS.join(', ');
  sqlite.exec(`CREATE TEMP TABLE IF NOT EXISTS fold_old (${cols});
    CREATE TEMP TABLE IF NOT EXISTS fold_new (${cols});
    CREATE TEMP TABLE IF NOT EXISTS flag_seqs (item_seq INTEGER PRIMARY KEY);`);
}

const SUM_COLS = ['n', 'traced', 'decided', 'breached', 'overturned', 'overlap', 'agreed', 'halluc', 'pii', 'ttd_ms', 'calls'];
/**
 * Per staged row, its signed contribution to its state's cube row (same definitions as 0006's
 * triggers; calls: 0021). An open item counts in n and traced only in metric_cell_items
 * (migration 0023), so a verdict on it adds nothing to the open row.
 */
const SUM_EXPRS = ["s * (state <> 'open')", "s * traced * (state <> 'open')", 's * (first_ms IS NOT NULL)', 's * breached', 's * overturned', 's * overlap', 's * agreed', 's * halluc', 's * pii', 's * coalesce(first_ms - created_ms, 0)', 's * calls'];
/** A metric_cell_items cell (migration 0023): the cube's cell without its state. */
const ITEM_CELL = CUBE_CELL.filter((c) => c !== 'state');

/**
 * The sum tables, each with its cell, its sums and its table of pending differences (migration
 * 0021): a step appends there; mergePendingSums adds them to the sums in one pass.
 */
const SUM_TABLES = [
  { table: 'metric_cube', cell: CUBE_CELL, sums: SUM_COLS },
  { table: 'metric_ttd', cell: TTD_CELL.map((c) => (c === 'ttd_bucket' ? 'bucket' : c)), sums: ['n', 'breached'] },
  // Every item per cell (migration 0023): written when items are counted in, never for a verdict.
  { table: 'metric_cell_items', cell: ITEM_CELL, sums: ['n', 'traced'] },
];
/** Pending rows (all three tables) at which the upkeep merges them: a panel reads at most about this many more rows. */
export const MERGE_PENDING_AT = 20_000;
/** The most pending rows of one table a merge step takes (its own transaction, so a submit waits for one such step). */
const MERGE_STEP_ROWS = 10_000;

/**
 * Adds the oldest `limit` pending differences of each table (all by default) to the sums, one
 * upsert per cell in key order (a cell's pending rows summed first; a cell whose total is zero
 * is not written), and removes them. Pending rows are appended only, so their rowids run without
 * gaps from the oldest. The caller holds the write transaction. Returns rows written.
 */
export function mergePendingSums(sqlite: Database.Database, limit = Number.MAX_SAFE_INTEGER): number {
  let written = 0;
  for (const t of SUM_TABLES) {
    const oldest = stmt(sqlite, `SELECT min(rowid) FROM ${t.table}_pending`).pluck().get() as number | null;
    if (oldest === null) continue;
    const upTo = Math.min(Number.MAX_SAFE_INTEGER, oldest + limit - 1);
    const cell = t.cell.join(', ');
    const sums = t.sums.map((c) => `sum(${c}) AS ${c}`).join(', ');
    const nonZero = t.sums.map((c) => `${c} <> 0`).join(' OR ');
    const set = t.sums.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
    written += stmt(sqlite, `INSERT INTO ${t.table} (${cell}, ${t.sums.join(', ')})
      SELECT * FROM (SELECT ${cell}, ${sums} FROM ${t.table}_pending WHERE rowid <= ? GROUP BY ${cell}) WHERE ${nonZero}
      ON CONFLICT DO UPDATE SET ${set}`).run(upTo).changes;
    written += stmt(sqlite, `DELETE FROM ${t.table}_pending WHERE rowid <= ?`).run(upTo).changes;
  }
  return written;
}

/** Rows in the pending tables (appended only, removed oldest first: their rowids run without gaps). */
function pendingRows(sqlite: Database.Database): number {
  const count = (t: string) => `coalesce((SELECT max(rowid) - min(rowid) + 1 FROM ${t}_pending), 0)`;
  return stmt(sqlite, `SELECT ${SUM_TABLES.map((t) => count(t.table)).join(' + ')}`).pluck().get() as number;
}

function cubeAppend(table: string, cell: string[], where: string): string {
  const sums = SUM_EXPRS.map((e, i) => `sum(${e}) AS ${SUM_COLS[i]}`).join(', ');
  const nonZero = SUM_COLS.map((c) => `${c} <> 0`).join(' OR ');
  return `INSERT INTO ${table}_pending (${cell.join(', ')}, ${SUM_COLS.join(', ')})
    SELECT * FROM (SELECT ${cell.join(', ')}, ${sums} FROM fold_rows WHERE ${where} GROUP BY ${cell.join(', ')}) WHERE ${nonZero}`;
}

/**
 * Adds the staged difference to the sums' pending rows: +1 per fold_new row, -1 per fold_old row,
 * summed per cell; a cell whose difference is zero is not written. Returns rows written.
 */
function applyCubeDeltas(sqlite: Database.Database): number {
  const rows = `WITH fold_rows AS (SELECT 1 AS s, * FROM fold_new UNION ALL SELECT -1 AS s, * FROM fold_old) `;
  const ttd = `INSERT INTO metric_ttd_pending (${TTD_CELL.join(', ').replace('ttd_bucket', 'bucket')}, n, breached)
    SELECT * FROM (SELECT ${TTD_CELL.join(', ')}, sum(s) AS n, sum(s * breached) AS breached FROM fold_rows WHERE ttd_bucket >= 0
      GROUP BY ${TTD_CELL.join(', ')}) WHERE n <> 0 OR breached <> 0`;
  let written = 0;
  for (const sql of [cubeAppend('metric_cube', CUBE_CELL, 'true'), ttd])
    written += stmt(sqlite, rows + sql).run().changes;
  return written;
}

/** The items added (fold_new) to their cells in metric_cell_items (migration 0023), as pending rows. Returns rows written. */
function appendItemCells(sqlite: Database.Database): number {
  const cell = ITEM_CELL.join(', ');
  return stmt(sqlite, `INSERT INTO metric_cell_items_pending (${cell}, n, traced) SELECT ${cell}, count(*), sum(traced) FROM fold_new GROUP BY ${cell}`).run().changes;
}

/**
 * The flag calls (migration 0017) of the items in flag_seqs (those a step added with per-flag
 * calls, or whose verdict in force, state or reviewer it changed while they had calls before or
 * after), after their metric_items rows are written: their metric_flag_items rows are rebuilt
 * from the view metric_flag_calls. The panels sum those rows (no flag cube since 0021). Items
 * without per-flag calls have no rows there and are not looked at (`calls` = 0, migration 0021).
 * Returns rows written.
 */
function refoldFlags(sqlite: Database.Database, seqs: number): number {
  if (seqs === 0) return 0;
  const cols = FLAG_COLS.join(', ');
  const inSeqs = 'item_seq IN (SELECT item_seq FROM flag_seqs)';
  let rows = stmt(sqlite, `DELETE FROM metric_flag_items WHERE ${inSeqs}`).run().changes;
  rows += stmt(sqlite, `INSERT INTO metric_flag_items (${cols}) SELECT item_seq, ${FLAG_CELL.join(', ')}, min(false_pos), max(per_flag)
    FROM metric_flag_calls WHERE ${inSeqs} GROUP BY item_seq, dim, value`).run().changes;
  return rows;
}

/**
 * The staged rows' proof (audit seq and checked leaf of the verdict in force, metrics-proof.ts), from
 * their stored verdict_seq: selected together with the outcome, the in-force subquery (SQLite
 * inlines the views) ran twice more per item, once for each proof column. And `calls` (0021): the
 * item is reviewed and its verdict in force has per-flag calls (it then has metric_flag_items rows).
 * One row-valued subquery: the verdict's row is sought once for the three (three scalar subqueries
 * sought it three times).
 */
function stageProofs(sqlite: Database.Database): void {
  stmt(sqlite, `UPDATE fold_new SET (audit_seq, audit_leaf, calls) = (SELECT ${proofOfRowSql('v')},
      fold_new.state IN ('violation', 'dismiss') AND coalesce(json_array_length(v.flag_reviews), 0) > 0
      FROM verdicts v WHERE v.seq = fold_new.verdict_seq)
    WHERE verdict_seq IS NOT NULL`).run();
  stmt(sqlite, 'UPDATE fold_new SET calls = 0 WHERE calls IS NULL').run();
}

/** Items ingested in (from, to] not yet in metric_items: staged with their facts and outcome, then added. */
function addItems(sqlite: Database.Database, from: number, to: number): { added: number; existing: number; rows: number } {
  clearStage(sqlite);
  stage(sqlite, 'fold_new');
  // With each verdict in force, its audit seq and checked leaf (metrics-proof.ts): the report's proof.
  const added = stmt(sqlite, 
      `INSERT INTO fold_new (${FACT_COLS.join(', ')}) SELECT f.* FROM metric_item_facts f
       WHERE f.item_seq > ? AND f.item_seq <= ? AND NOT EXISTS (SELECT 1 FROM metric_items m WHERE m.item_seq = f.item_seq)`,
    )
    .run(from, to).changes;
  if (added > 0) stageProofs(sqlite);
  const existing = stmt(sqlite, 'SELECT count(*) FROM metric_items WHERE item_seq > ? AND item_seq <= ?').pluck().get(from, to) as number;
  if (added === 0) return { added, existing, rows: 0 };
  const cols = ROW_COLS.join(', ');
  const rows = stmt(sqlite, `INSERT INTO metric_items (${cols}) SELECT ${cols} FROM fold_new`).run().changes;
  stage(sqlite, 'flag_seqs');
  const seqs = stmt(sqlite, 'INSERT INTO flag_seqs SELECT item_seq FROM fold_new WHERE calls = 1').run().changes;
  return { added, existing, rows: rows + applyCubeDeltas(sqlite) + appendItemCells(sqlite) + refoldFlags(sqlite, seqs) };
}

/**
 * The per-verdict aggregation: every item a verdict with seq in (from, to] touched gets its
 * outcome recomputed (views of 0006/0015/0017, metric_item_verdicts since 0025) and its proof re-checked; its counts move between
 * cells by the difference. Then the reviewer days of those verdicts. Items in `skip` (added by
 * this same fold, after these verdicts landed) are current already. Returns rows written.
 */
function foldVerdicts(sqlite: Database.Database, from: number, to: number, skip: { above: number; upTo: number }): number {
  const touched = 'SELECT item_seq FROM verdicts WHERE seq > @from AND seq <= @to AND NOT (item_seq > @above AND item_seq <= @upTo)';
  const range = { from, to, ...skip };
  // Touched items are almost always folded already (items fold first): only an item that landed
  // between the two marks is built from its facts.
  let rows = 0;
  if (stmt(sqlite, `SELECT 1 FROM (${touched}) t WHERE NOT EXISTS (SELECT 1 FROM metric_items m WHERE m.item_seq = t.item_seq) LIMIT 1`).get(range)) {
    const missing = stmt(sqlite, `SELECT DISTINCT t.item_seq FROM (${touched}) t WHERE NOT EXISTS (SELECT 1 FROM metric_items m WHERE m.item_seq = t.item_seq)`).pluck().all(range) as number[];
    for (const seq of missing) rows += addItems(sqlite, seq - 1, seq).rows;
  }
  clearStage(sqlite);
  stage(sqlite, 'fold_old');
  stage(sqlite, 'fold_new');
  const cols = ROW_COLS.join(', ');
  stmt(sqlite, `INSERT INTO fold_old (${cols}) SELECT ${cols} FROM metric_items WHERE item_seq IN (${touched})`).run(range);
  const dims = DIMS.map((c) => `d.${c}`).join(', ');
  const outcome = OUTCOME.map((c) => `o.${c}`).join(', ');
  stmt(sqlite, 
      `INSERT INTO fold_new (${FACT_COLS.join(', ')}) SELECT d.item_seq, ${dims}, ${outcome}
       FROM fold_old d JOIN metric_item_outcome_cols o ON o.item_seq = d.item_seq`,
    )
    .run();
  stageProofs(sqlite);
  const changed = [...OUTCOME, 'audit_seq', 'audit_leaf', 'calls'];
  const set = changed.map((c) => `${c} = n.${c}`).join(', ');
  // A verdict that leaves the item's row as it was (a skip, a second reviewer's call on an item
  // whose outcome stays) writes nothing: no row, no index entry.
  const same = changed.map((c) => `metric_items.${c} IS n.${c}`).join(' AND ');
  rows += stmt(sqlite, `UPDATE metric_items SET ${set} FROM fold_new n WHERE metric_items.item_seq = n.item_seq AND NOT (${same})`).run().changes;
  rows += applyCubeDeltas(sqlite);
  stage(sqlite, 'flag_seqs');
  // Only items with per-flag calls before or after have flag rows to rebuild (0021: no `top:` rows for the others).
  const seqs = stmt(sqlite, `INSERT INTO flag_seqs SELECT n.item_seq FROM fold_new n JOIN fold_old o ON o.item_seq = n.item_seq
    WHERE (n.calls = 1 OR o.calls = 1) AND (n.verdict_seq IS NOT o.verdict_seq OR n.state IS NOT o.state OR n.reviewer IS NOT o.reviewer)`).run().changes;
  rows += refoldFlags(sqlite, seqs);
  rows += stmt(sqlite, 
      `INSERT INTO metric_reviewer_daily SELECT day, reviewer, count(*), sum(timed), sum(active_ms) FROM metric_verdict_work
       WHERE seq > ? AND seq <= ? GROUP BY day, reviewer
       ON CONFLICT DO UPDATE SET decisions = decisions + excluded.decisions, timed = timed + excluded.timed, active_ms = active_ms + excluded.active_ms`,
    )
    .run(from, to).changes;
  return rows;
}

/**
 * The verdicts not yet counted, counted inside the caller's write transaction, when there are at
 * most `most` of them (else nothing is done: the batched catch-up counts them). The same step as
 * foldSteps' verdict step (foldVerdicts, the same SQL), with the same mark, read and moved under
 * the caller's lock, so a verdict is counted once, here or there; merges are left to the upkeep.
 * The app does not count this way (docs/metrics.md, "How it stays fast": at 200k items it adds
 * about 70 % to the desk's write, against ~20 % for the batch): bench/oversight-inwrite.ts weighs
 * it. Returns whether the verdict log is counted up to its top.
 */
export function countVerdictsInWrite(sqlite: Database.Database, most: number): boolean {
  if (!sqlite.inTransaction) throw new Error('countVerdictsInWrite runs inside a write transaction');
  const [topVerdict, from] = stmt(
    sqlite,
    `SELECT coalesce((SELECT max(seq) FROM verdicts), 0), coalesce((SELECT CAST(value AS integer) FROM meta WHERE key = 'metrics_folded_verdict_seq'), 0)`,
  )
    .raw()
    .get() as [number, number];
  if (from >= topVerdict) return true;
  if (topVerdict - from > most) return false;
  stageTables(sqlite);
  try {
    foldVerdicts(sqlite, from, topVerdict, { above: 0, upTo: 0 });
  } catch (e) {
    stageAll(sqlite);
    throw e;
  }
  stmt(sqlite, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run('metrics_folded_verdict_seq', String(topVerdict));
  return true;
}

/** Aims a step's write transaction at about this long, so a reviewer's submit waits at most that. */
const STEP_TARGET_MS = 100;

/**
 * The upkeep as committed steps: each `next()` runs one short write transaction (lock taken up
 * front) and yields the progress (null after a step that merges pending sums). Items ingested
 * since the last fold first, then every item a newer verdict touched, then reviewer days from
 * those verdicts; then the 0013 proof backfill.
 * Without a fixed `chunk`, a step's size adapts so it takes about STEP_TARGET_MS.
 */
export function* foldSteps(sqlite: Database.Database, o: FoldOptions = {}): Generator<FoldProgress | null, FoldStats> {
  const stats = o.stats ?? { items: 0, verdicts: 0, rows: 0 };
  const mergeAt = o.mergeAt ?? MERGE_PENDING_AT;
  const mark = (key: string) => Number(stmt(sqlite, 'SELECT value FROM meta WHERE key = ?').pluck().get(key) ?? 0);
  // Where the logs end and where the fold stands, in one statement (most folds find little to do).
  const meta = (key: string) => `coalesce((SELECT CAST(value AS integer) FROM meta WHERE key = '${key}'), 0)`;
  const [topItem, topVerdict, itemsFrom, verdictsFrom, backfillAt, backfillTo] = stmt(
    sqlite,
    `SELECT coalesce((SELECT max(seq) FROM items), 0), coalesce((SELECT max(seq) FROM verdicts), 0), ${meta('metrics_folded_seq')},
      ${meta('metrics_folded_verdict_seq')}, ${meta('metrics_proof_backfill_at')}, ${meta('metrics_proof_backfill_to')}`,
  )
    .raw()
    .get() as [number, number, number, number, number, number];
  if (itemsFrom < topItem || verdictsFrom < topVerdict) {
    stageTables(sqlite);
    const save = stmt(sqlite, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    let size = o.chunk ?? 1000;
    const sized = (run: () => void) => {
      const t = performance.now();
      run();
      if (o.chunk !== undefined) return;
      const ms = performance.now() - t;
      if (ms < STEP_TARGET_MS / 2) size = Math.min(50_000, size * 2);
      else if (ms > STEP_TARGET_MS * 2) size = Math.max(100, Math.floor(size / 2));
    };
    // Items this fold adds already reflect every verdict up to topVerdict (all committed before
    // it began): the verdict steps need not recompute them, unless a row in the range was there before.
    let fresh = true;
    const guarded = (run: () => void) => {
      try {
        run();
      } catch (e) {
        stageAll(sqlite);
        throw e;
      }
    };
    // Another fold on this connection may have run between two steps (a synchronous one from a
    // drill-down while this one waits for its turn): it started later and went further, so this
    // one stops rather than count the same verdicts twice.
    const moved = (key: string, at: number) => mark(key) !== at;
    let overtaken = false;
    // Merge steps (null progress): once MERGE_PENDING_AT rows are pending, each takes the oldest
    // MERGE_STEP_ROWS of each table in a transaction of its own, so a step stays short.
    const mergeStep = sqlite.transaction(() => {
      stats.rows += mergePendingSums(sqlite, MERGE_STEP_ROWS);
    });
    function* merges(): Generator<null> {
      while (pendingRows(sqlite) >= mergeAt) {
        guarded(() => mergeStep.immediate());
        yield null;
      }
    }
    const itemStep = sqlite.transaction((from: number, to: number) => {
      if ((overtaken = moved('metrics_folded_seq', from))) return;
      const r = addItems(sqlite, from, to);
      if (r.existing > 0) fresh = false;
      stats.items += r.added;
      stats.rows += r.rows + save.run('metrics_folded_seq', String(to)).changes;
    });
    for (let at = itemsFrom; at < topItem; ) {
      const to = Math.min(topItem, at + size);
      sized(() => guarded(() => itemStep.immediate(at, to)));
      if (overtaken) return stats;
      at = to;
      yield { phase: 'items', done: at - itemsFrom, total: topItem - itemsFrom };
      yield* merges();
    }
    const skip = fresh && topItem > itemsFrom ? { above: itemsFrom, upTo: topItem } : { above: 0, upTo: 0 };
    const verdictStep = sqlite.transaction((from: number, to: number) => {
      if ((overtaken = moved('metrics_folded_verdict_seq', from))) return;
      stats.rows += foldVerdicts(sqlite, from, to, skip) + save.run('metrics_folded_verdict_seq', String(to)).changes;
      stats.verdicts += to - from;
    });
    for (let at = verdictsFrom; at < topVerdict; ) {
      const to = Math.min(topVerdict, at + size);
      sized(() => guarded(() => verdictStep.immediate(at, to)));
      if (overtaken) return stats;
      at = to;
      yield { phase: 'verdicts', done: at - verdictsFrom, total: topVerdict - verdictsFrom };
      yield* merges();
    }
  }
  if (backfillAt < backfillTo) backfillProofs(sqlite, o.chunk ?? 20_000);
  return stats;
}

/**
 * Brings the metric tables up to date with the item and verdict logs in committed steps (see
 * foldSteps), synchronously. Returns items and verdicts folded.
 */
export function foldNewItems(sqlite: Database.Database, chunkOrOptions: number | FoldOptions = {}): number {
  const o: FoldOptions = typeof chunkOrOptions === 'number' ? { chunk: chunkOrOptions } : { ...chunkOrOptions };
  const stats = o.stats ?? { items: 0, verdicts: 0, rows: 0 };
  const before = stats.items + stats.verdicts;
  const steps = foldSteps(sqlite, { ...o, stats });
  for (let r = steps.next(); !r.done; r = steps.next()) if (r.value) o.onProgress?.(r.value);
  return stats.items + stats.verdicts - before;
}

/** The same steps, giving the event loop a turn between them: other calls (a reviewer's submit) run in between. */
export async function foldNewItemsAsync(sqlite: Database.Database, o: FoldOptions = {}): Promise<number> {
  const stats = o.stats ?? { items: 0, verdicts: 0, rows: 0 };
  const before = stats.items + stats.verdicts;
  const steps = foldSteps(sqlite, { ...o, stats });
  for (let r = steps.next(); !r.done; r = steps.next()) {
    if (r.value) o.onProgress?.(r.value);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return stats.items + stats.verdicts - before;
}
