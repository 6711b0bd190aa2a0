/**
 * The dashboard's filter lists (db/queries/metric-facets.ts) walk index prefixes of
 * metric_cell_items (migration 0023) instead of seven DISTINCT scans of the cube: the same lists
 * as DISTINCT scans of the items counted, on the demo workspace with its reviews and after new
 * values arrive.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { foldNewItems } from '../../db/queries/metrics.ts';
import { metricFacets } from '../../db/queries/metric-facets.ts';
import { ingestDemo, recordDemoReviews } from '../../electron/core/demo/ingest-demo.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import type { Workspace } from '../../electron/core/workspace/open.ts';
import { Readable } from 'node:stream';
import { tempWorkspace } from '../helpers/workspace.ts';

/** The lists as plain DISTINCT scans of the items counted (metric_items) compute them. */
function scanned(ws: Workspace) {
  const d = (col: string, from = 'metric_items') => {
    return ws.sqlite.prepare(`SELECT DISTINCT ${col} FROM ${from} WHERE ${col} <> '' ORDER BY 1 LIMIT 200`).pluck().all();
  };
  return {
    route: d('route'),
    category: d('category'),
    policy: d('policy'),
    detector: d('detector'),
    model: d('model'),
    version: d('version'),
    deployment: d('deployment'),
    reviewer: d('reviewer', 'metric_reviewer_daily'),
  };
}

describe('dashboard filter lists', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('equal the DISTINCT scans and follow new values', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 600, 11);
    recordDemoReviews(t.ws, 600, 11);
    foldNewItems(t.ws.sqlite);
    const want = scanned(t.ws);
    // Not vacuous: the demo has several values in every list.
    for (const [k, v] of Object.entries(want)) expect(v.length, k).toBeGreaterThan(1);
    expect(metricFacets(t.ws.sqlite)).toEqual(want);
    // The demo's cells sit in the pending table until a merge: the lists read both.
    expect(t.ws.sqlite.prepare('SELECT count(*) FROM metric_cell_items_pending').pluck().get()).toBeGreaterThan(0);
    // A route, model, version and deployment the cube has not seen, then a read.
    const line = JSON.stringify({
      id: 'facet-new', created_at: '2026-10-20T10:00:00Z', priority: 'low', route: 'zz-new-route',
      input: { messages: [{ role: 'user', content: 'hi' }] }, output: { messages: [{ role: 'assistant', content: 'hello' }] }, flags: [],
      provenance: { 'gen_ai.request.model': 'aa-model', model_version: 'aa-1', deployment: 'aa-deploy' },
    });
    await ingest(t.ws, { path: '-', stream: Readable.from([`${line}\n`]), name: 'facet-probe' });
    foldNewItems(t.ws.sqlite);
    const grown = metricFacets(t.ws.sqlite);
    expect(grown).toEqual(scanned(t.ws));
    expect(grown.route).toContain('zz-new-route');
    expect(grown.model[0]).toBe('aa-model');
    expect(grown.deployment[0]).toBe('aa-deploy');
  });
});
