/**
 * The core behind the contract: one object per open workspace. It imports neither Electron
 * nor React, so the desktop app, browser mode and tests run the same code. Inputs arrive
 * already validated against `contract`.
 */
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import { filteredStatusCounts, findItemSeq, getItem, itemFacets, queuePage, statusCounts } from '../../db/queries/items.ts';
import { eventsForSubject } from '../../db/queries/audit-events.ts';
import { settingValue, writeSetting } from '../../db/queries/settings.ts';
import { listQuarantine, quarantineCount } from '../../db/queries/quarantine.ts';
import { listSourceFiles, listSources, sourceCounts } from '../../db/queries/sources.ts';
import { currentVerdict, verdictsForItem } from '../../db/queries/verdicts.ts';
import { foldNewItems } from '../../db/queries/metrics.ts';
import type { ApiEvents, ApiOutputs, ApiParsedInput, EventName, Facets, ItemEvent, Job, Method } from '../shared/contract.ts';
import { exportDataset, verifyExport } from './export/index.ts';
import { APP_VERSION } from './version.ts';
import { ingest } from './ingest/ingest.ts';
import { metricHandlers } from './metrics/handlers.ts';
import { DEFAULT_TAXONOMY, routeFields, routeLabels, taxonomySchema, type Taxonomy } from './review/taxonomy.ts';
import { suggestLabels } from './review/suggestions.ts';
import { ReviewService } from './review/verdicts.ts';
import { pendingCount } from './search/fts.ts';
import { importVerdicts } from './sync/import.ts';
import { Syncer } from './sync/syncer.ts';
import { UserError } from './util/errors.ts';
import { checkLink, LINK_HOSTS_KEY, normalizeHost, parseHostList, type CheckedLink } from './links.ts';
import { newId, nowIso } from './util/ids.ts';
import { codeSchemaVersion, type Workspace } from './workspace/open.ts';
import type { EscalationRecord } from './record/schema.ts';


export type Handlers = { [M in Method]: (input: ApiParsedInput<M>) => ApiOutputs[M] | Promise<ApiOutputs[M]> };
export type Emit = <E extends EventName>(event: E, payload: ApiEvents[E]) => void;

export interface ServiceOptions {
  mode: 'desktop' | 'browser';
  emit: Emit;
  /** Opens a checked http(s) URL in the system browser (desktop only). */
  openExternal?: (link: CheckedLink) => Promise<boolean>;
}

function getSetting(ws: Workspace, key: string): string | undefined {
  return settingValue(ws.sqlite, key);
}

function putSetting(ws: Workspace, key: string, value: string, actor: string): void {
  ws.sqlite.transaction(() => {
    writeSetting(ws.sqlite, key, value, nowIso());
    ws.audit.append('settings.changed', { key, value_sha256: createHash('sha256').update(value).digest('hex') }, { actor });
  }).immediate();
}


export function createService(ws: Workspace, options: ServiceOptions): Handlers & { close(): void; syncer: Syncer } {
  const review = new ReviewService(ws);
  // One syncer per workspace: the DB worker's background loop shares it (startSyncLoop({ syncer })).
  const syncer = new Syncer(ws);
  const jobs = new Map<string, Job & { abort: AbortController }>();
  let facetsCache: Facets | null = null;
  const reviewer = () => getSetting(ws, 'reviewer') ?? safeUserName();

  const busyGuard = () => {
    for (const j of jobs.values())
      if (j.state === 'running') throw new UserError(`an ${j.kind} is already running; wait for it or cancel it`, 'busy');
  };

  /** Long work runs one at a time, reports through `job.updated`, and can be cancelled. */
  const startJob = (kind: Job['kind'], label: string, run: (job: Job, signal: AbortSignal) => Promise<void>): Job => {
    busyGuard();
    const abort = new AbortController();
    const job: Job & { abort: AbortController } = {
      id: newId(),
      kind,
      label,
      state: 'running',
      progress: null,
      summary: null,
      exportProgress: null,
      exportSummary: null,
      error: null,
      startedAt: nowIso(),
      abort,
    };
    jobs.set(job.id, job);
    run(job, abort.signal).then(
      () => {
        job.state = abort.signal.aborted ? 'cancelled' : 'done';
        options.emit('job.updated', publicJob(job));
      },
      (err: unknown) => {
        job.state = abort.signal.aborted ? 'cancelled' : 'failed';
        job.error = err instanceof UserError ? err.message : `${kind} failed: ${(err as Error).message}`;
        options.emit('job.updated', publicJob(job));
        if (kind === 'ingest') options.emit('workspace.changed', { reason: 'ingest' });
      },
    );
    return publicJob(job);
  };

  const publicJob = (j: Job): Job => {
    const { abort: _abort, ...rest } = j as Job & { abort?: AbortController };
    return rest;
  };

  const taxonomy = (): Taxonomy => {
    const raw = getSetting(ws, 'taxonomy');
    return raw ? (JSON.parse(raw) as Taxonomy) : DEFAULT_TAXONOMY;
  };

  const handlers: Handlers = {
    'workspace.info': () => {
      const counts = statusCounts(ws.sqlite);
      return {
        path: ws.path,
        id: ws.id,
        isDemo: ws.isDemo,
        schemaVersion: codeSchemaVersion(),
        appVersion: APP_VERSION,
        reviewer: reviewer(),
        items: Object.values(counts).reduce((a, b) => a + b, 0),
        counts,
        quarantined: quarantineCount(ws.sqlite),
        searchPending: pendingCount(ws.sqlite),
        auditHead: ws.audit.head(),
        mode: options.mode,
      };
    },
    'workspace.setReviewer': ({ reviewer: name }) => {
      putSetting(ws, 'reviewer', name, name);
      options.emit('workspace.changed', { reason: 'settings' });
      return { reviewer: name };
    },
    'queue.page': ({ filter, after, limit }) => {
      // A drill-down lists metric_items rows: fold in what landed since the dashboard read them.
      if (filter.oversight) foldNewItems(ws.sqlite);
      return queuePage(ws.sqlite, filter, after, limit);
    },
    'queue.counts': ({ filter }) => {
      if (filter.oversight) foldNewItems(ws.sqlite);
      const { counts, capped } = filteredStatusCounts(ws.sqlite, filter);
      return { counts, total: Object.values(counts).reduce((a, b) => a + b, 0), capped };
    },
    'queue.facets': () => {
      facetsCache ??= itemFacets(ws.sqlite);
      return facetsCache;
    },
    'item.get': ({ id }) => {
      const seq = findItemSeq(ws.sqlite, id);
      const item = seq === undefined ? undefined : getItem<EscalationRecord>(ws.sqlite, seq);
      if (!item || seq === undefined) throw new UserError(`no item ${id}`, 'not_found');
      const events = (
        eventsForSubject(ws.sqlite, item.id)
      ).map((r): ItemEvent => {
        const b = JSON.parse(r.body) as { type: string; at: string; actor: string; data: Record<string, unknown> };
        return { seq: r.seq, type: b.type, at: b.at, actor: b.actor, data: b.data };
      });
      const record = item.revisions.find((r) => r.revision === item.revision)?.record;
      const suggestedLabels = suggestLabels(record?.flags ?? [], taxonomy());
      const tax = taxonomy();
      const routeTaxonomy = { labels: routeLabels(tax, item.route), fields: routeFields(tax, item.route) };
      return { item, verdicts: verdictsForItem(ws.sqlite, seq), current: currentVerdict(ws.sqlite, seq) ?? null, events, suggestedLabels, routeTaxonomy };
    },
    'verdict.submit': (input) => {
      const v = review.submit({ ...input, reviewer: reviewer() });
      // An escalation can introduce a route the filters have not seen.
      if (v.routeTo) facetsCache = null;
      options.emit('workspace.changed', { reason: 'verdict' });
      return v;
    },
    'verdict.amend': ({ verdictId, ...rest }) => {
      const v = review.amend(verdictId, { ...rest, reviewer: reviewer() });
      if (v.routeTo) facetsCache = null;
      options.emit('workspace.changed', { reason: 'verdict' });
      return v;
    },
    'verdict.undo': () => {
      const r = review.undo(reviewer());
      if (r) options.emit('workspace.changed', { reason: 'verdict' });
      return r;
    },
    'taxonomy.get': () => taxonomy(),
    'taxonomy.set': ({ json }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch (err) {
        throw new UserError(`the taxonomy file is not valid JSON: ${(err as Error).message}`, 'invalid_taxonomy');
      }
      const t = taxonomySchema.safeParse(parsed);
      if (!t.success) {
        const i = t.error.issues[0]!;
        throw new UserError(`the taxonomy file is invalid: ${i.message} at ${i.path.join('.') || '(root)'}`, 'invalid_taxonomy');
      }
      putSetting(ws, 'taxonomy', JSON.stringify(t.data), reviewer());
      options.emit('workspace.changed', { reason: 'taxonomy' });
      return t.data;
    },
    'sources.list': () =>
      listSources(ws.sqlite).map((s) => ({
        ...s,
        ...sourceCounts(ws.sqlite, s.id),
        files: listSourceFiles(ws.sqlite, s.id),
      })),
    'ingest.start': ({ path, preset, mappingFile }) =>
      startJob('ingest', path, async (job, signal) => {
        job.summary = await ingest(ws, {
          path,
          // Small batches keep each commit short, so the reviewer's reads wait little behind it.
          batchSize: 500,
          preset,
          mappingFile,
          actor: reviewer(),
          signal,
          onProgress: (p) => {
            job.progress = p;
            options.emit('job.updated', publicJob(job));
          },
        });
        facetsCache = null;
        options.emit('workspace.changed', { reason: 'ingest' });
      }),
    'export.start': (input) =>
      startJob('export', `${input.format} → ${input.out}`, async (job, signal) => {
        job.exportSummary = await exportDataset(ws, {
          ...input,
          actor: reviewer(),
          signal,
          onProgress: (p) => {
            job.exportProgress = p;
            options.emit('job.updated', publicJob(job));
          },
        });
        options.emit('workspace.changed', { reason: 'export' });
      }),
    'export.verify': ({ dir }) => verifyExport(dir, ws),
    'jobs.list': () => [...jobs.values()].map(publicJob),
    'jobs.cancel': ({ jobId }) => {
      const j = jobs.get(jobId);
      if (!j) throw new UserError(`no job ${jobId}`, 'not_found');
      j.abort.abort();
      return publicJob(j);
    },
    'quarantine.list': ({ limit, beforeSeq }) => listQuarantine(ws.sqlite, limit, beforeSeq),
    'audit.head': () => ws.audit.head(),
    'audit.verify': () => ws.audit.verify(),
    'app.openExternal': async ({ url }) => {
      const link = checkLink(url, parseHostList(getSetting(ws, LINK_HOSTS_KEY)));
      return { opened: options.openExternal ? await options.openExternal(link) : false };
    },
    'links.check': ({ url }) => checkLink(url, parseHostList(getSetting(ws, LINK_HOSTS_KEY))),
    'links.hosts': () => ({ hosts: parseHostList(getSetting(ws, LINK_HOSTS_KEY)) }),
    'links.setHosts': ({ hosts }) => {
      const list = [...new Set(hosts.map(normalizeHost))].sort();
      putSetting(ws, LINK_HOSTS_KEY, JSON.stringify(list), reviewer());
      options.emit('workspace.changed', { reason: 'settings' });
      return { hosts: list };
    },
    'verdicts.import': async ({ path }) => {
      const summary = await importVerdicts(ws, { path, reviewer: reviewer() });
      options.emit('workspace.changed', { reason: 'verdict' });
      return summary;
    },
    'sync.status': () => syncer.status(),
    'sync.run': async ({ sourceId }) => ({ results: await syncer.run({ sourceId, force: true }), sources: syncer.status() }),
    'sync.retry': async ({ sourceId }) => {
      const reset = syncer.retry(sourceId, reviewer());
      await syncer.run({ sourceId, force: true });
      return { reset, sources: syncer.status() };
    },
    ...metricHandlers(ws),
  };

  return {
    ...handlers,
    syncer,
    close: () => {
      for (const j of jobs.values()) j.abort.abort();
    },
  };
}

function safeUserName(): string {
  try {
    return userInfo().username || 'reviewer';
  } catch {
    return 'reviewer';
  }
}
