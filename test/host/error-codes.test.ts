/**
 * Error codes are a closed list (electron/shared/models/errors.ts): every code a handler or a
 * transport produces is on it, and every code on it has an HTTP status and a CLI exit code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode, METHODS, type ApiInput, type Method } from '../../electron/shared/contract.ts';
import { STATUS_BY_CODE, statusFor } from '../../electron/host/status.ts';
import { EXIT_BY_CODE, exitCodeFor } from '../../electron/cli/exit-codes.ts';
import { WorkerClient } from '../../electron/host/worker-client.ts';
import { sqliteUserError, UsageError, UserError } from '../../electron/core/util/errors.ts';
import { sourceRoot } from '../../electron/core/config.ts';

const REPO_ROOT = sourceRoot();
import { tempDir } from '../helpers/workspace.ts';

const WORKER = new URL('../../electron/host/db-worker-entry.mjs', import.meta.url);

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* sources(full);
    else if (/\.(ts|tsx|mjs)$/.test(name)) yield full;
  }
}

describe('error codes', () => {
  it('every code has an HTTP status and an exit code, and nothing else does', () => {
    expect(Object.keys(STATUS_BY_CODE).sort()).toEqual([...ERROR_CODES].sort());
    expect(Object.keys(EXIT_BY_CODE).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      expect(statusFor(code), code).toBeGreaterThanOrEqual(400);
      expect([1, 2], code).toContain(EXIT_BY_CODE[code]);
    }
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new UserError('x', 'not_found'))).toBe(1);
    expect(exitCodeFor(new Error('bug'))).toBe(1);
  });

  it('every code literal in the product (UserError, refuse, error bodies) is on the list', () => {
    const found = new Set<string>();
    const patterns = [
      /new UserError\([^;]*?,\s*'([a-z_]+)'\s*,?\s*\)/gs,
      /refuse\([^;]*?,\s*'([a-z_]+)'\)/gs,
      /sendError\(res,\s*'([a-z_]+)'/g,
      /error:\s*\{\s*code:\s*'([a-z_]+)'/g,
    ];
    for (const top of ['electron', 'renderer']) {
      for (const file of sources(join(REPO_ROOT, top))) {
        const text = readFileSync(file, 'utf8');
        for (const re of patterns) for (const m of text.matchAll(re)) found.add(m[1]!);
      }
    }
    expect(found.size).toBeGreaterThan(15);
    expect([...found].filter((c) => !isErrorCode(c))).toEqual([]);
    for (const e of ['SQLITE_FULL', 'SQLITE_BUSY', 'SQLITE_CORRUPT', 'SQLITE_READONLY', 'SQLITE_IOERR'])
      expect(isErrorCode(sqliteUserError({ code: e })?.code), e).toBe(true);
  });

  describe('what the handlers answer', () => {
    const t = tempDir();
    let client: WorkerClient;
    beforeAll(async () => {
      client = await WorkerClient.start(WORKER, { workspacePath: join(t.dir, 'w.sqlite'), mode: 'browser', demoIfNew: 5 });
    });
    afterAll(async () => {
      await client.close();
      t.cleanup();
    });

    /** Inputs that pass the schema but break a rule, so the handler itself refuses. */
    const FAILING: { [M in Method]?: ApiInput<M> } = {
      'item.get': { id: 'no-such-item' },
      'verdict.submit': { itemId: 'no-such-item', revisionId: 'no-such-revision', decision: 'dismiss' },
      'verdict.amend': { verdictId: 'no-such-verdict', decision: 'dismiss' },
      'taxonomy.set': { json: '{not json' },
      'jobs.cancel': { jobId: 'no-such-job' },
      'links.check': { url: 'javascript:alert(1)' },
      'app.openExternal': { url: 'file:///etc/passwd' },
      'verdicts.import': { path: join(t.dir, 'missing.jsonl') },
      'sync.retry': { sourceId: 'no-such-source' },
      'export.verify': { dir: join(t.dir, 'missing-export') },
    };

    it('a refused call carries a code from the list, for every method that can refuse', async () => {
      const codes = new Map<string, string>();
      for (const m of METHODS) {
        const input = FAILING[m];
        if (input === undefined) continue;
        const r = await client.call(m, input);
        if (r.ok) continue;
        codes.set(m, r.error.code);
        expect(isErrorCode(r.error.code), `${m}: ${r.error.code}`).toBe(true);
        expect(r.error.code, `${m}: ${r.error.message}`).not.toBe('internal');
      }
      // Most of these must refuse (not silently succeed); export.verify may report a problem as data.
      expect(codes.size).toBeGreaterThanOrEqual(8);
      expect(codes.get('item.get')).toBe('not_found');
      expect(codes.get('taxonomy.set')).toBe('invalid_taxonomy');
    });
  });
});
