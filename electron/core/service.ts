/**
 * The core behind the contract: one handler map per open workspace, combined from the domain
 * modules in ./handlers. It imports neither Electron nor React, so the desktop app, browser
 * mode, the CLI and tests run the same code. Inputs arrive already validated against `contract`.
 */
import { createJobRunner } from './jobs/runner.ts';
import { metricHandlers } from './metrics/handlers.ts';
import { createMetricUpkeep } from './metrics/upkeep.ts';
import { expertHandlers } from './review/expert-handlers.ts';
import { DEFAULT_TAXONOMY, type Taxonomy } from './review/taxonomy.ts';
import { ReviewService } from './review/verdicts.ts';
import { Syncer } from './sync/syncer.ts';
import { getSetting, putSetting, reviewerName } from './settings.ts';
import { TeamClient } from './team-client/client.ts';
import { teamHandlers } from './team-client/handlers.ts';
import { teamExpertHandlers } from './team-client/expert-handlers.ts';
import { connectSession } from './team-client/session.ts';
import type { Workspace } from './workspace/open.ts';
import { auditHandlers } from './handlers/audit.ts';
import { searchHandlers } from './handlers/search.ts';
import { jobHandlers } from './handlers/jobs.ts';
import { linkHandlers } from './handlers/links.ts';
import { queueHandlers } from './handlers/queue.ts';
import { sqliteQueueReads } from './storage/queue-reads.ts';
import { reviewHandlers } from './handlers/review.ts';
import { syncHandlers } from './handlers/sync.ts';
import type { HandlerContext, Handlers, ServiceOptions } from './handlers/types.ts';
import { withChangeEvents, writtenBy } from './handlers/changes.ts';
import { workspaceHandlers } from './handlers/workspace.ts';

export type { Emit, Handlers, ServiceMode, ServiceOptions } from './handlers/types.ts';

export type Service = Handlers & { close(): Promise<void>; syncer: Syncer; team: TeamClient };

const TEAM_URL_KEY = 'team.url';
const TEAM_USER_KEY = 'team.user';

export function createService(ws: Workspace, options: ServiceOptions): Service {
  const reads = sqliteQueueReads(ws, () => reviewerName(ws));
  // The metrics catch up with writes before each oversight read, and in the background once about
  // a thousand items and verdicts wait to be counted (metrics/upkeep.ts). Every event from the write
  // paths (change events, job progress) has the pending count looked at once writes settle (four
  // index reads; not while only this process's verdicts, each counted from its change event, have
  // landed since the last look). The CLI never catches up in the background: its command would not
  // exit until the catch-up did; the app's next look or read counts what it wrote.
  // A catch-up on a large backlog reports each step (not through `emit`: it is not a write).
  const upkeep = createMetricUpkeep(ws, { background: options.mode !== 'cli', onProgress: (p) => options.emit('metrics.catchUp', p) });
  const emit: ServiceOptions['emit'] = (event, payload) => {
    upkeep.wrote(writtenBy(event, payload));
    options.emit(event, payload);
  };
  const ctx: HandlerContext = {
    ...options,
    emit,
    ws,
    review: new ReviewService(ws),
    // One syncer per workspace: the DB worker's background loop shares it (startSyncLoop({ syncer })).
    syncer: new Syncer(ws),
    jobs: createJobRunner(emit),
    reads,
    changes: { emit, invalidateFacets: () => reads.invalidateFacets() },
    reviewer: () => reviewerName(ws),
    taxonomy: (): Taxonomy => {
      const raw = getSetting(ws, 'taxonomy');
      return raw ? (JSON.parse(raw) as Taxonomy) : DEFAULT_TAXONOMY;
    },
  };
  const team = new TeamClient(ws, {
    connect: options.connectTeam ?? connectSession,
    // Browser mode has no keychain: the password lives only in this process, for this session.
    defaultKeeping: 'memory',
    retryMs: options.teamRetryMs,
    emit: (change) => options.emit('team.changed', change),
    settings: {
      read: () => {
        const url = getSetting(ws, TEAM_URL_KEY);
        const user = getSetting(ws, TEAM_USER_KEY);
        return url && user ? { url, user } : null;
      },
      write: (t) => {
        putSetting(ws, TEAM_URL_KEY, t?.url ?? '', ctx.reviewer());
        putSetting(ws, TEAM_USER_KEY, t?.user ?? '', ctx.reviewer());
      },
    },
  });
  const all: Handlers = {
    ...workspaceHandlers(ctx),
    ...queueHandlers(ctx),
    ...reviewHandlers(ctx),
    ...jobHandlers(ctx),
    ...linkHandlers(ctx),
    ...syncHandlers(ctx),
    ...auditHandlers(ctx),
    ...searchHandlers(ctx),
    ...metricHandlers(ws, upkeep),
    ...teamHandlers(team),
    ...teamExpertHandlers(team),
    ...expertHandlers(
      ws,
      ctx.review,
      ctx.reviewer,
      (key, value) => putSetting(ws, key, value, ctx.reviewer()),
    ),
  };
  // Every write announces itself from one wrapper (handlers/changes.ts), not from each handler.
  const handlers = withChangeEvents(all, ctx.changes);
  return {
    ...handlers,
    syncer: ctx.syncer,
    team,
    close: async () => {
      upkeep.close();
      ctx.jobs.abortAll();
      await team.close();
    },
  };
}
