/**
 * The core behind the contract: one handler map per open workspace, combined from the domain
 * modules in ./handlers. It imports neither Electron nor React, so the desktop app, browser
 * mode, the CLI and tests run the same code. Inputs arrive already validated against `contract`.
 */
import { createJobRunner } from './jobs/runner.ts';
import { metricHandlers } from './metrics/handlers.ts';
import { DEFAULT_TAXONOMY, type Taxonomy } from './review/taxonomy.ts';
import { ReviewService } from './review/verdicts.ts';
import { Syncer } from './sync/syncer.ts';
import { getSetting, reviewerName } from './settings.ts';
import type { Workspace } from './workspace/open.ts';
import { auditHandlers } from './handlers/audit.ts';
import { jobHandlers } from './handlers/jobs.ts';
import { linkHandlers } from './handlers/links.ts';
import { FacetsCache, queueHandlers } from './handlers/queue.ts';
import { reviewHandlers } from './handlers/review.ts';
import { syncHandlers } from './handlers/sync.ts';
import type { HandlerContext, Handlers, ServiceOptions } from './handlers/types.ts';
import { workspaceHandlers } from './handlers/workspace.ts';

export type { Emit, Handlers, ServiceMode, ServiceOptions } from './handlers/types.ts';

export type Service = Handlers & { close(): void; syncer: Syncer };

export function createService(ws: Workspace, options: ServiceOptions): Service {
  const ctx: HandlerContext = {
    ...options,
    ws,
    review: new ReviewService(ws),
    // One syncer per workspace: the DB worker's background loop shares it (startSyncLoop({ syncer })).
    syncer: new Syncer(ws),
    jobs: createJobRunner(options.emit),
    facets: new FacetsCache(ws),
    reviewer: () => reviewerName(ws),
    taxonomy: (): Taxonomy => {
      const raw = getSetting(ws, 'taxonomy');
      return raw ? (JSON.parse(raw) as Taxonomy) : DEFAULT_TAXONOMY;
    },
  };
  const handlers: Handlers = {
    ...workspaceHandlers(ctx),
    ...queueHandlers(ctx),
    ...reviewHandlers(ctx),
    ...jobHandlers(ctx),
    ...linkHandlers(ctx),
    ...syncHandlers(ctx),
    ...auditHandlers(ctx),
    ...metricHandlers(ws),
  };
  return { ...handlers, syncer: ctx.syncer, close: () => ctx.jobs.abortAll() };
}
