/**
 * verdict.* and verdicts.import: every write of a decision goes through ReviewService or the
 * importer. The change events are announced by the wrapper (./changes.ts).
 */
import { importVerdicts } from '../sync/import.ts';
import type { HandlerContext, HandlerGroup } from './types.ts';

type Methods = 'verdict.submit' | 'verdict.amend' | 'verdict.undo' | 'verdicts.import';

export function reviewHandlers(ctx: HandlerContext): HandlerGroup<Methods> {
  const { review } = ctx;
  return {
    'verdict.submit': (input) => review.submit({ ...input, reviewer: ctx.reviewer() }),
    'verdict.amend': ({ verdictId, ...rest }) => review.amend(verdictId, { ...rest, reviewer: ctx.reviewer() }),
    'verdict.undo': () => review.undo(ctx.reviewer()),
    'verdicts.import': ({ path }) => importVerdicts(ctx.ws, { path, reviewer: ctx.reviewer() }),
  };
}
