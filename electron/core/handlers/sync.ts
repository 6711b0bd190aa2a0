/** sync.*: verdicts delivered back to their sources. */
import type { HandlerContext, HandlerGroup } from './types.ts';

type Methods = 'sync.status' | 'sync.run' | 'sync.retry';

export function syncHandlers(ctx: HandlerContext): HandlerGroup<Methods> {
  const { syncer } = ctx;
  return {
    'sync.status': () => syncer.status(),
    'sync.run': async ({ sourceId }) => ({ results: await syncer.run({ sourceId, force: true }), sources: syncer.status() }),
    'sync.retry': async ({ sourceId }) => {
      const reset = syncer.retry(sourceId, ctx.reviewer());
      await syncer.run({ sourceId, force: true });
      return { reset, sources: syncer.status() };
    },
  };
}
