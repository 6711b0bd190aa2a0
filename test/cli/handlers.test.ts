/**
 * The CLI is a transport over the same handler map as the app: what a command reads comes from
 * the contract method (inputs checked by its schema), not from a second copy of the query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../electron/core/service.ts';
import { UserError } from '../../electron/core/util/errors.ts';
import { ingestDemo } from '../../electron/core/demo/ingest-demo.ts';
import { withHandlers } from '../../electron/cli/handlers.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

describe('CLI transport', () => {
  const t = tempWorkspace();
  beforeAll(async () => {
    await ingestDemo(t.ws, 30, 3);
    t.ws.close();
  });
  afterAll(() => t.cleanup());

  it('returns what the app handlers return for the same call', async () => {
    const viaCli = await withHandlers(t.path, async (call) => ({
      page: await call('queue.page', { filter: { status: ['new'] }, after: null, limit: 5 }),
      sources: await call('sources.list', {}),
      info: await call('workspace.info', {}),
    }));
    const ws = openWorkspace(t.path, { create: false });
    const app = createService(ws, { mode: 'browser', emit: () => {} });
    try {
      expect(viaCli.page).toEqual(await app['queue.page']({ filter: { status: ['new'] }, after: null, limit: 5 }));
      expect(viaCli.sources).toEqual(await app['sources.list']({}));
      expect(viaCli.info).toEqual({ ...(await app['workspace.info']({})), mode: 'cli' });
      expect(viaCli.info.items).toBe(30);
    } finally {
      app.close();
      ws.close();
    }
  });

  it('checks inputs with the contract schema and keeps the handler error code', async () => {
    await withHandlers(t.path, async (call) => {
      await expect(call('queue.page', { filter: {}, after: null, limit: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
      const err = await call('item.get', { id: 'no-such-item' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).code).toBe('not_found');
    });
  });
});
