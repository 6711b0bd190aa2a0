/** audit.*: the log's head and its verification. */
import type { HandlerContext, HandlerGroup } from './types.ts';

export function auditHandlers({ ws }: HandlerContext): HandlerGroup<'audit.head' | 'audit.verify'> {
  return {
    'audit.head': () => ws.audit.head(),
    'audit.verify': () => ws.audit.verify(),
  };
}
