import { readFileSync, writeFileSync } from 'node:fs';
import { watchAndPull } from './watch.ts';
import { statusSchema, type Cursor, type ItemStatus, type QuarantineRow } from '../shared/contract.ts';
import type { ReindexProgress } from '../shared/models/ingest.ts';
import type { Emit } from '../core/handlers/types.ts';
import { verifyInclusion, verifyConsistency, type TreeHead } from '../core/audit/merkle.ts';
import { verifyWorkspace } from '../core/audit/verify-workspace.ts';
import { generateDemoRecords } from '../core/demo/generate.ts';
import { ingestDemo } from '../core/demo/ingest-demo.ts';
import { ingest, type IngestProgress, type IngestSummary } from '../core/ingest/ingest.ts';
import { UsageError, UserError } from '../core/util/errors.ts';
import { openWorkspace } from '../core/workspace/open.ts';
import { defaultWorkspacePath } from '../core/workspace/paths.ts';
import { intOption, out, parse, withWorkspace, workspacePath } from './args.ts';
import { withHandlers } from './handlers.ts';
import { itemView } from './item-view.ts';
import { table } from './table.ts';
import { testHooks } from './test-hooks.ts';
import { EXPORT_HELP, exportCommand } from './export-commands.ts';
import { linksCommand } from './links-commands.ts';
import { teamCommand, teamIngest, teamVerify } from './team-commands.ts';
import { SYNC_COMMANDS, SYNC_HELP } from './sync-commands.ts';
import { OVERSIGHT_COMMANDS, OVERSIGHT_HELP } from './oversight-commands.ts';
import { EXPERT_COMMANDS, EXPERT_HELP } from './expert-commands.ts';
import { HOLD_GOLD_COMMANDS, HOLD_GOLD_HELP } from './hold-gold-commands.ts';

export const HELP = `Verdict: a review desk for AI safety escalations.

Usage: verdict <command> [options]     (every command takes --workspace PATH and --json)

  start                         open the app (desktop window, or browser mode where Electron cannot run)
  serve                         serve the app on 127.0.0.1 and print its URL (browser mode)
  ingest PATH|-                 pull escalations from a JSONL file, folder, .gz or stdin
      --preset hh-rlhf | --mapping FILE   read foreign JSONL
      --name NAME  --watch  --interval SECONDS  --batch-size N
  demo [--count N] [--seed S] [--out FILE] [--reviews]   write N synthetic escalations (to the workspace, or a JSONL file);
                                --reviews adds a simulated review history and screened volumes
${OVERSIGHT_HELP}${EXPERT_HELP}${HOLD_GOLD_HELP}  stats                         counts per status, sources, quarantine, search index, audit head
  reindex [--all]               rebuild the search index of items indexed in an older format (--all: every item)
  items list [--status S] [--route R] [--search Q] [--limit N] [--after CURSOR]
  items show ID                 one item with its revisions
  sources list
  quarantine list [--limit N]
${EXPORT_HELP}${SYNC_HELP}  audit verify [--head FILE [--incremental]]   check the file, recompute the audit log and replay it against the rows;
                                with --head, prove it still extends a saved head; --incremental: only what changed since it
  audit head                    print {"size":N,"root":"<hex>"}
  audit proof --leaf N | --from-size M   inclusion or consistency proof
  links list | allow HOST… | remove HOST…   hosts whose links (from content) open without a second, system dialog
  team init | user add|list | route set | inbox process --db URL   a team queue on PostgreSQL;
                                ingest PATH --team URL, audit verify --team URL work on it
  bench                         run the benchmark (prints figures)

Workspace: --workspace PATH, else $VERDICT_WORKSPACE, else ${defaultWorkspacePath()}
Run "verdict <command> --help" for a command's options and an example. Set VERDICT_DEBUG=1 for stack traces.
`;

type Command = (argv: string[]) => Promise<number>;

function progressPrinter(enabled: boolean): ((p: IngestProgress) => void) | undefined {
  if (!enabled) return undefined;
  return (p) => {
    // "~": a .gz total is the trailer's estimate until the file is read through.
    const pct = p.bytesTotal > 0 ? ` ${p.totalEstimated ? '~' : ''}${Math.min(100, (100 * p.bytesDone) / p.bytesTotal).toFixed(0)}%` : '';
    const eta = p.etaSeconds !== null && p.phase === 'reading' ? `  ETA ${Math.ceil(p.etaSeconds)}s` : '';
    const line =
      p.phase === 'indexing'
        ? `indexing for search ${p.indexed ?? 0}/${p.toIndex ?? 0}`
        : `${p.read.toLocaleString()} read  ${p.ingested.toLocaleString()} new  ${p.quarantined} quarantined  ${Math.round(p.itemsPerSecond).toLocaleString()} items/s${pct}${eta}`;
    process.stderr.write(`\r\x1b[2K${line}`);
    if (p.phase === 'done') process.stderr.write('\r\x1b[2K');
  };
}

function summaryText(s: IngestSummary): string {
  const extra = [
    s.rewrittenFiles.length ? `rewritten in place: ${s.rewrittenFiles.join(', ')}` : '',
    s.pendingPartialLines ? `${s.pendingPartialLines} incomplete last line left for the next pull` : '',
  ].filter(Boolean);
  return (
    `read ${s.read}, ingested ${s.ingested}, duplicates ${s.duplicates}, revisions ${s.revisions}, quarantined ${s.quarantined}` +
    ` (${s.files} files read, ${s.skippedFiles} unchanged, ${s.seconds.toFixed(1)} s, ${s.searchable ? 'all searchable' : 'search index pending'})\n` +
    extra.map((e) => `${e}\n`).join('')
  );
}

function publicSummary(s: IngestSummary) {
  return {
    read: s.read,
    ingested: s.ingested,
    duplicates: s.duplicates,
    revisions: s.revisions,
    quarantined: s.quarantined,
    files: s.files,
    skipped_files: s.skippedFiles,
    rewritten_files: s.rewrittenFiles,
    pending_partial_lines: s.pendingPartialLines,
    searchable: s.searchable,
    seconds: Number(s.seconds.toFixed(3)),
    // How long writers that signalled (a reviewer's submit) waited for this ingest to give way, in ms.
    ...(s.yields ? { gave_way: Object.fromEntries(Object.entries(s.yields).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v])) } : {}),
  };
}

const ingestCmd: Command = async (argv) => {
  const { values, positionals } = parse(
    argv,
    {
      preset: { type: 'string' },
      mapping: { type: 'string' },
      name: { type: 'string' },
      watch: { type: 'boolean', default: false },
      interval: { type: 'string' },
      'batch-size': { type: 'string' },
      team: { type: 'string' },
    },
    1,
  );
  const path = positionals[0];
  if (!path) throw new UsageError('give a JSONL file, a folder, or - for stdin');
  const batchSize = intOption(values['batch-size'], 'batch-size', { min: 1, max: 1_000_000 });
  const interval = intOption(values.interval, 'interval', { min: 1, max: 86_400, fallback: 2 });
  if (values.watch && path === '-') throw new UsageError('--watch needs a file or folder, not stdin');
  if (values.preset && values.mapping) throw new UsageError('use either --preset or --mapping, not both');
  if (values.team !== undefined)
    return teamIngest(path, values.team, { name: values.name, batchSize, json: values.json, preset: values.preset, mappingFile: values.mapping, watch: values.watch, interval });
  const ws = openWorkspace(workspacePath(values.workspace));
  const run = () =>
    ingest(ws, {
      path,
      stream: path === '-' ? process.stdin : undefined,
      preset: values.preset,
      mappingFile: values.mapping,
      name: values.name,
      // The CLI's connection is the ingest's alone.
      exclusive: true,
      batchSize,
      onProgress: progressPrinter(process.stderr.isTTY === true && !values.json),
      onBatch: testHooks.afterBatch,
    });
  try {
    const summary = await run();
    out(values.json, publicSummary(summary), () => summaryText(summary));
    if (!values.watch) return 0;
    await watchAndPull(path, interval, async () => {
      const s = await run();
      if (s.read > 0 || s.rewrittenFiles.length > 0) out(values.json, publicSummary(s), () => summaryText(s));
    });
    return 0;
  } finally {
    ws.close();
  }
};

const demoCmd: Command = async (argv) => {
  const { values } = parse(argv, { count: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, reviews: { type: 'boolean', default: false } });
  const count = intOption(values.count, 'count', { min: 1, max: 10_000_000, fallback: 500 });
  const seed = intOption(values.seed, 'seed', { min: 0, max: 2 ** 32 - 1, fallback: 1 });
  if (values.out) {
    const lines: string[] = [];
    for (const r of generateDemoRecords(count, seed)) lines.push(JSON.stringify(r));
    writeFileSync(values.out, lines.length ? `${lines.join('\n')}\n` : '');
    out(values.json, { written: count, file: values.out }, () => `wrote ${count} escalations to ${values.out}\n`);
    return 0;
  }
  const ws = openWorkspace(workspacePath(values.workspace), { demo: true });
  try {
    const summary = await ingestDemo(ws, count, seed, { reviews: values.reviews });
    out(values.json, publicSummary(summary), () => `demo: ${summaryText(summary)}this workspace is marked DEMO (synthetic escalations); use another --workspace for real work\n`);
    return 0;
  } finally {
    ws.close();
  }
};

const STATUSES = statusSchema.options;

const statsCmd: Command = async (argv) => {
  const { values } = parse(argv, {});
  return withHandlers(workspacePath(values.workspace), async (call) => {
    const info = await call('workspace.info', {});
    const byRoute = await call('workspace.routes', {});
    const sources = (await call('sources.list', {})).length;
    const { counts, auditHead: head } = info;
    const stats = {
      workspace: info.path,
      demo: info.isDemo,
      items: info.items,
      status: counts,
      routes: byRoute,
      sources,
      quarantined: info.quarantined,
      search_pending: info.searchPending,
      audit_head: head,
    };
    out(values.json, stats, () =>
      [
        `workspace ${info.path}${info.isDemo ? '  (DEMO: synthetic escalations)' : ''}`,
        `items ${info.items}: ${STATUSES.map((s) => `${s} ${counts[s]}`).join(', ')}`,
        `routes: ${byRoute.map((r) => `${r.route} ${r.n}`).join(', ') || '-'}`,
        `sources ${sources}, quarantined ${info.quarantined}, waiting for search index ${stats.search_pending}`,
        `audit head: size ${head.size}, root ${head.root}`,
        '',
      ].join('\n'),
    );
    return 0;
  });
};

const reindexCmd: Command = async (argv) => {
  const { values } = parse(argv, { all: { type: 'boolean' } });
  const tty = process.stderr.isTTY === true && !values.json;
  // Progress comes as the handler's events, one per rebuilt chunk.
  const emit: Emit = (event, payload) => {
    if (!tty || event !== 'search.reindexProgress') return;
    const p = payload as ReindexProgress;
    process.stderr.write(`\r\x1b[2Kreindexing ${p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100}%`);
  };
  return withHandlers(
    workspacePath(values.workspace),
    async (call) => {
      const r = await call('search.reindex', { all: values.all === true });
      if (tty) process.stderr.write('\r\x1b[2K');
      out(values.json, r, () =>
        r.rebuilt
          ? `rebuilt the search index of ${r.reindexed} items (format ${r.format}), indexed ${r.indexed} new (${r.seconds.toFixed(1)} s)\n`
          : `the search index is already in format ${r.format}; indexed ${r.indexed} new (use --all to rebuild every item)\n`,
      );
      return 0;
    },
    { emit },
  );
};

function encodeCursor(c: Cursor | null): string | null {
  return c ? Buffer.from(JSON.stringify(c)).toString('base64url') : null;
}

function decodeCursor(s: string | undefined): Cursor | null {
  if (!s) return null;
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    if (typeof c.p !== 'number' || typeof c.c !== 'number' || typeof c.s !== 'number') throw new Error('bad cursor');
    return c;
  } catch {
    throw new UsageError(`--after "${s}" is not a cursor printed by "items list"`);
  }
}

const PRIORITY_NAMES = ['critical', 'high', 'normal', 'low'];

const itemsCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub === 'list') {
    const { values } = parse(rest, {
      status: { type: 'string', multiple: true },
      route: { type: 'string', multiple: true },
      search: { type: 'string' },
      limit: { type: 'string' },
      after: { type: 'string' },
    });
    for (const s of values.status ?? [])
      if (!(STATUSES as readonly string[]).includes(s)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
    const limit = intOption(values.limit, 'limit', { min: 1, max: 1000, fallback: 50 });
    return withHandlers(workspacePath(values.workspace), async (call) => {
      const page = await call('queue.page', {
        filter: { status: values.status as ItemStatus[] | undefined, route: values.route, search: values.search },
        after: decodeCursor(values.after),
        limit,
      });
      const next = encodeCursor(page.next);
      out(values.json, { items: page.rows, next }, () => {
        if (!page.rows.length) return values.after ? 'no more items\n' : 'no items match; "verdict stats" shows what the workspace holds\n';
        return (
          table(page.rows, [
            { header: 'id', value: (r) => r.id },
            { header: 'priority', value: (r) => PRIORITY_NAMES[r.priority] ?? String(r.priority) },
            { header: 'status', value: (r) => r.status },
            { header: 'route', value: (r) => r.route, max: 16 },
            { header: 'flag', value: (r) => r.topFlagCategory ?? '-', max: 24 },
            { header: 'created', value: (r) => r.createdAt.slice(0, 16).replace('T', ' ') },
            { header: 'text', value: (r) => r.snippet, max: 60 },
          ]) + (next ? `more: verdict items list --after ${next}${values.workspace ? ` --workspace ${values.workspace}` : ''}\n` : '')
        );
      });
      return 0;
    });
  }
  if (sub === 'show') {
    const { values, positionals } = parse(rest, {}, 1);
    const id = positionals[0];
    if (!id) throw new UsageError('give an item id');
    const path = workspacePath(values.workspace);
    return withHandlers(path, async (call) => {
      const view = await call('item.get', { id }).catch((err: unknown) => {
        if (err instanceof UserError && err.code === 'not_found') throw new UserError(`no item "${id}" in ${path}; "verdict items list" shows the ids`, 'not_found');
        throw err;
      });
      out(values.json, view.item, () => itemView(view.item, view.verdicts));
      return 0;
    });
  }
  throw new UsageError('use "items list" or "items show ID"');
};

const sourcesCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub !== 'list') throw new UsageError('use "sources list"');
  const { values } = parse(rest, {});
  return withHandlers(workspacePath(values.workspace), async (call) => {
    // The listing keeps its columns; the counts and files sources.list adds stay out of --json too.
    const rows = (await call('sources.list', {})).map(({ items: _i, quarantined: _q, files: _f, ...row }) => row);
    out(values.json, rows, () =>
      rows.length
        ? table(rows, [
            { header: 'id', value: (r) => r.id },
            { header: 'kind', value: (r) => r.kind },
            { header: 'name', value: (r) => r.name, max: 40 },
            { header: 'added', value: (r) => r.createdAt.slice(0, 16).replace('T', ' ') },
            { header: 'read from', value: (r) => r.uri, max: 80 },
          ])
        : 'no sources yet; add one with "verdict ingest PATH"\n',
    );
    return 0;
  });
};

const QUARANTINE_PAGE = 500;

const quarantineCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub !== 'list') throw new UsageError('use "quarantine list"');
  const { values } = parse(rest, { limit: { type: 'string' } });
  const limit = intOption(values.limit, 'limit', { min: 1, max: 100_000, fallback: 100 });
  return withHandlers(workspacePath(values.workspace), async (call) => {
    // The contract serves pages of at most QUARANTINE_PAGE rows (the UI scrolls); the CLI walks them.
    const rows: QuarantineRow[] = [];
    while (rows.length < limit) {
      const page = await call('quarantine.list', { limit: Math.min(QUARANTINE_PAGE, limit - rows.length), beforeSeq: rows.at(-1)?.seq });
      rows.push(...page);
      if (page.length < QUARANTINE_PAGE) break;
    }
    out(values.json, rows, () =>
      rows.length
        ? table(rows, [
            { header: 'file', value: (r) => `${r.file}:${r.line}`, max: 60 },
            { header: 'byte', value: (r) => String(r.byteOffset) },
            { header: 'reason', value: (r) => r.error, max: 70 },
            { header: 'at', value: (r) => r.jsonPath, max: 30 },
          ])
        : 'quarantine is empty\n',
    );
    return 0;
  });
};

function readHead(file: string): TreeHead {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as TreeHead;
    if (!Number.isInteger(h.size) || typeof h.root !== 'string' || !/^[0-9a-f]{64}$/.test(h.root)) throw new Error('not a tree head');
    return h;
  } catch (err) {
    throw new UserError(`cannot read saved head ${file}: ${(err as Error).message}; expected {"size":N,"root":"<hex>"}`);
  }
}

const auditCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub === 'head') {
    const { values } = parse(rest, {});
    return withWorkspace(workspacePath(values.workspace), (ws) => {
      const head = ws.audit.head();
      out(values.json, head, () => `audit head: size ${head.size}, root ${head.root}\nsave it with "verdict audit head --json > head.json"; check later with "verdict audit verify --head head.json"\n`);
      return 0;
    });
  }
  if (sub === 'verify') {
    const { values } = parse(rest, { head: { type: 'string' }, incremental: { type: 'boolean', default: false }, team: { type: 'string' } });
    const saved = values.head ? readHead(values.head) : undefined;
    if (values.team !== undefined) return teamVerify(values.team, saved, values.json);
    if (values.incremental && !saved) throw new UsageError('--incremental needs --head FILE: a head saved after a full "audit verify"');
    return withWorkspace(workspacePath(values.workspace), (ws) => {
      const res = verifyWorkspace(ws, saved, { incremental: values.incremental });
      if (res.ok && saved) {
        // Independent check with an RFC 6962 consistency proof.
        const p = ws.audit.consistencyProof(saved.size);
        const ok = verifyConsistency(
          saved.size,
          p.head.size,
          Buffer.from(saved.root, 'hex'),
          Buffer.from(p.head.root, 'hex'),
          p.proof.map((h) => Buffer.from(h, 'hex')),
        );
        if (!ok) {
          out(values.json, { ok: false, reason: 'consistency proof failed' }, () => 'audit log FAILED: consistency proof failed\n');
          return 1;
        }
      }
      if (res.ok) {
        const c = res.counts;
        out(values.json, { ok: true, head: res.head, extends: saved ?? null, state: c, seconds: res.seconds }, () =>
          `audit log ok: ${res.head.size} events, root ${res.head.root}${saved ? `; extends the saved head of size ${saved.size}` : ''}\n` +
          `state ok: ${c.items} items, ${c.revisions} revisions, ${c.verdicts} verdicts, ${c.sources} sources match the log${values.incremental ? ` (incremental: what changed since event ${saved!.size})` : ''}\n`,
        );
        return 0;
      }
      const m = res.mismatch;
      out(
        values.json,
        { ok: false, stage: res.stage, first_bad_event: res.badEvent, reason: res.reason, table: m?.table ?? null, row: m?.row ?? null },
        () => `audit ${res.stage === 'state' ? 'state' : res.stage === 'integrity' ? 'file' : 'log'} FAILED: ${res.reason}\n`,
      );
      if (!values.json) {
        const where = m ? `table ${m.table}, row ${m.row}, event ${m.event ?? '-'}` : `event ${res.badEvent ?? '-'}`;
        process.stderr.write(`verdict audit: verification failed (${where}): ${res.reason}\n`);
      }
      return 1;
    });
  }
  if (sub === 'proof') {
    const { values } = parse(rest, { leaf: { type: 'string' }, 'from-size': { type: 'string' } });
    return withWorkspace(workspacePath(values.workspace), (ws) => {
      if (values.leaf !== undefined) {
        const leaf = intOption(values.leaf, 'leaf', { min: 0, fallback: 0 });
        let p;
        try {
          p = ws.audit.inclusionProof(leaf);
        } catch (err) {
          throw new UserError((err as Error).message);
        }
        const ok = verifyInclusion(
          Buffer.from(p.leafHash, 'hex'),
          leaf,
          p.head.size,
          p.proof.map((h) => Buffer.from(h, 'hex')),
          Buffer.from(p.head.root, 'hex'),
        );
        out(values.json, { leaf_index: leaf, leaf_hash: p.leafHash, tree_head: p.head, proof: p.proof, verified: ok }, () =>
          `event ${leaf} (leaf hash ${p.leafHash}) ${ok ? 'is' : 'could NOT be proven to be'} in the log of size ${p.head.size}, root ${p.head.root}\n` +
          `inclusion proof (${p.proof.length} hashes):\n${p.proof.map((h) => `  ${h}\n`).join('')}`,
        );
        return ok ? 0 : 1;
      }
      if (values['from-size'] !== undefined) {
        const from = intOption(values['from-size'], 'from-size', { min: 0, fallback: 0 });
        let p;
        try {
          p = ws.audit.consistencyProof(from);
        } catch (err) {
          throw new UserError((err as Error).message);
        }
        out(values.json, { from_size: from, tree_head: p.head, proof: p.proof }, () =>
          `consistency proof from size ${from} to size ${p.head.size}, root ${p.head.root} (${p.proof.length} hashes):\n${p.proof.map((h) => `  ${h}\n`).join('')}`,
        );
        return 0;
      }
      throw new UsageError('give --leaf N or --from-size M');
    });
  }
  throw new UsageError('use "audit verify", "audit head" or "audit proof"');
};

const benchCmd: Command = async (argv) => {
  const { runBench } = await import('../../bench/bench.ts');
  return runBench(argv);
};

const startCmd: Command = async (argv) => {
  const { start } = await import('../host/start.ts');
  return start(argv, 'start');
};

const serveCmd: Command = async (argv) => {
  const { start } = await import('../host/start.ts');
  return start(argv, 'serve');
};

const buildDesktopCmd: Command = async () => {
  const { ensureRendererBuilt } = await import('../host/renderer-build.ts');
  const { buildElectron } = await import('../host/electron-build.ts');
  await ensureRendererBuilt((s) => process.stderr.write(`${s}\n`));
  process.stdout.write(`built ${await buildElectron()}\n`);
  return 0;
};

export const COMMANDS: Record<string, Command> = {
  'build-desktop': buildDesktopCmd,
  ingest: ingestCmd,
  demo: demoCmd,
  stats: statsCmd,
  reindex: reindexCmd,
  items: itemsCmd,
  sources: sourcesCmd,
  quarantine: quarantineCmd,
  audit: auditCmd,
  bench: benchCmd,
  start: startCmd,
  serve: serveCmd,
  ...SYNC_COMMANDS,
  ...OVERSIGHT_COMMANDS,
  ...EXPERT_COMMANDS,
  ...HOLD_GOLD_COMMANDS,
  export: exportCommand,
  links: linksCommand,
  team: teamCommand,
};
