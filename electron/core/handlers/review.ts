/** verdict.* and verdicts.import: every write of a decision goes through ReviewService or the importer. */
import { importVerdicts } from '../sync/import.ts';
import type { HandlerContext, HandlerGroup } from './types.ts';

type Methods = 'verdict.submit' | 'verdict.amend' | 'verdict.undo' | 'verdicts.import';

export function reviewHandlers(ctx: HandlerContext): HandlerGroup<Methods> {
  const { review, emit } = ctx;
  return {
    'verdict.submit': (input) => {
      const v = review.submit({ ...input, reviewer: ctx.reviewer() });
      // An escalation can introduce a route the filters have not seen.
      if (v.routeTo) ctx.facets.invalidate();
      emit('workspace.changed', { reason: 'verdict' });
      return v;
    },
    'verdict.amend': ({ verdictId, ...rest }) => {
      const v = review.amend(verdictId, { ...rest, reviewer: ctx.reviewer() });
      if (v.routeTo) ctx.facets.invalidate();
      emit('workspace.changed', { reason: 'verdict' });
      return v;
    },
    'verdict.undo': () => {
      const r = review.undo(ctx.reviewer());
      if (r) emit('workspace.changed', { reason: 'verdict' });
      return r;
    },
    'verdicts.import': async ({ path }) => {
      const summary = await importVerdicts(ctx.ws, { path, reviewer: ctx.reviewer() });
      emit('workspace.changed', { reason: 'verdict' });
      return summary;
    },
  };
}
