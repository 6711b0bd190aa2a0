/** workspace.* and taxonomy.*: what the workspace holds and its settings. */
import { quarantineCount } from '../../../db/queries/quarantine.ts';
import { itemsByRoute, statusCounts } from '../../../db/queries/items.ts';
import { taxonomySchema } from '../review/taxonomy.ts';
import { pendingCount } from '../search/fts.ts';
import { putSetting } from '../settings.ts';
import { UserError } from '../util/errors.ts';
import { APP_VERSION } from '../version.ts';
import { codeSchemaVersion } from '../workspace/open.ts';
import type { HandlerContext, HandlerGroup } from './types.ts';

type Methods = 'workspace.info' | 'workspace.routes' | 'workspace.setReviewer' | 'taxonomy.get' | 'taxonomy.set';

export function workspaceHandlers(ctx: HandlerContext): HandlerGroup<Methods> {
  const { ws } = ctx;
  return {
    'workspace.info': () => {
      const counts = statusCounts(ws.sqlite);
      return {
        path: ws.path,
        id: ws.id,
        isDemo: ws.isDemo,
        schemaVersion: codeSchemaVersion(),
        appVersion: APP_VERSION,
        reviewer: ctx.reviewer(),
        items: Object.values(counts).reduce((a, b) => a + b, 0),
        counts,
        quarantined: quarantineCount(ws.sqlite),
        searchPending: pendingCount(ws.sqlite),
        auditHead: ws.audit.head(),
        mode: ctx.mode,
      };
    },
    'workspace.routes': () => itemsByRoute(ws.sqlite),
    'workspace.setReviewer': ({ reviewer: name }) => {
      putSetting(ws, 'reviewer', name, name);
      return { reviewer: name };
    },
    'taxonomy.get': () => ctx.taxonomy(),
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
      putSetting(ws, 'taxonomy', JSON.stringify(t.data), ctx.reviewer());
      return t.data;
    },
  };
}
