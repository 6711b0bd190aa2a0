/**
 * What every domain handler module sees. The modules (workspace, queue, review, jobs, links,
 * sync, audit, metrics) each return the contract methods they own; `createService` combines
 * them into the one map that the Electron IPC, the browser-mode host and the CLI all call.
 */
import type { ApiEvents, ApiOutputs, ApiParsedInput, EventName, Method } from '../../shared/contract.ts';
import type { CheckedLink } from '../links.ts';
import type { JobRunner } from '../jobs/runner.ts';
import type { ReviewService } from '../review/verdicts.ts';
import type { Taxonomy } from '../review/taxonomy.ts';
import type { Syncer } from '../sync/syncer.ts';
import type { Workspace } from '../workspace/open.ts';
import type { ConnectPort } from '../team-client/port.ts';
import type { QueueReads } from '../storage/queue-reads.ts';
import type { ChangeSink } from './changes.ts';

export type Handler<M extends Method> = (input: ApiParsedInput<M>) => ApiOutputs[M] | Promise<ApiOutputs[M]>;
export type Handlers = { [M in Method]: Handler<M> };
/** The handlers of one domain module. */
export type HandlerGroup<M extends Method> = { [K in M]: Handler<K> };
export type Emit = <E extends EventName>(event: E, payload: ApiEvents[E]) => void;

export type ServiceMode = 'desktop' | 'browser' | 'cli';

export interface ServiceOptions {
  mode: ServiceMode;
  emit: Emit;
  /** Opens a checked http(s) URL in the system browser (desktop only). */
  openExternal?: (link: CheckedLink) => Promise<boolean>;
  /** How team sessions are opened (the team core's connectTeam by default). */
  connectTeam?: ConnectPort;
  /** First pause before a team reconnect (ms; doubles up to 30 s). Tests shorten it. */
  teamRetryMs?: number;
}

export interface HandlerContext extends ServiceOptions {
  ws: Workspace;
  review: ReviewService;
  syncer: Syncer;
  jobs: JobRunner;
  /** The desk's reads (queue page, counts, facets, item) from the store behind them. */
  reads: QueueReads;
  /** Where writes are announced (./changes.ts announce; the handler map is wrapped with it). */
  changes: ChangeSink;
  /** The reviewer every write is attributed to (the workspace setting, else the OS user). */
  reviewer(): string;
  taxonomy(): Taxonomy;
}
