/**
 * Lint probes: the layer rules in eslint.config.js must reject a file that crosses a layer.
 * Each probe is linted as if it lived at the given path (nothing is written to the tree).
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { sourceRoot } from '../../electron/core/config.ts';

const REPO_ROOT = sourceRoot();

const eslint = new ESLint({ cwd: REPO_ROOT });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${filePath}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

async function envReads(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${filePath}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-properties').length;
}

describe('layer rules', () => {
  it('rejects process.env outside the entry points, and allows it in them', async () => {
    const code = "export const probe = process.env.VERDICT_HOME;\nconst { env } = process;\nexport const probe2 = env;\n";
    expect(await envReads('electron/core/workspace/probe.ts', code)).toBe(2);
    expect(await envReads('electron/host/probe.ts', code)).toBe(2);
    expect(await envReads('db/queries/probe.ts', code)).toBe(2);
    expect(await envReads('renderer/item/probe.tsx', code)).toBe(2);
    expect(await envReads('electron/cli/main.ts', code)).toBe(0);
    expect(await envReads('electron/main/main.ts', code)).toBe(0);
  });

  it('rejects a renderer file that imports core, db, Electron or test code', async () => {
    const errors = await restrictedImports(
      'renderer/item/probe.tsx',
      [
        "import { newId } from '../../electron/core/util/ids.ts';",
        "import { getItem } from '../../db/queries/items.ts';",
        "import { ipcRenderer } from 'electron';",
        "import { tempWorkspace } from '../../test/helpers/workspace.ts';",
        'export const probe = [newId, getItem, ipcRenderer, tempWorkspace];',
      ].join('\n'),
    );
    expect(errors).toHaveLength(4);
  });

  it('lets a renderer file import the contract and its own modules', async () => {
    const errors = await restrictedImports(
      'renderer/item/probe.tsx',
      "import type { ItemDetail } from '../../electron/shared/contract.ts';\nimport { api } from '../api.ts';\nexport const probe = (i: ItemDetail) => [i, api];\n",
    );
    expect(errors).toEqual([]);
  });

  it('rejects a core file that imports React, react-dom or Electron', async () => {
    const errors = await restrictedImports(
      'electron/core/review/probe.ts',
      "import { useState } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport { app } from 'electron';\nexport const probe = [useState, createRoot, app];\n",
    );
    expect(errors).toHaveLength(3);
  });

  it('rejects a core file that imports a transport', async () => {
    const errors = await restrictedImports('electron/core/review/probe.ts', "import { run } from '../../cli/main.ts';\nexport const probe = run;\n");
    expect(errors).toHaveLength(1);
  });

  it('rejects a db file that imports core or a non-driver package, and allows drivers', async () => {
    const bad = await restrictedImports(
      'db/queries/probe.ts',
      "import { extKey } from '../../electron/core/util/ext-key.ts';\nimport { z } from 'zod';\nexport const probe = [extKey, z];\n",
    );
    expect(bad).toHaveLength(2);
    const good = await restrictedImports(
      'db/queries/probe.ts',
      "import type Database from 'better-sqlite3';\nimport { sql } from 'drizzle-orm';\nimport { hash } from 'node:crypto';\nimport { newId } from '../util/ids.ts';\nexport const probe = (d: Database.Database) => [d, sql, hash, newId];\n",
    );
    expect(good).toEqual([]);
  });

  it('rejects a CLI or host file that imports db/, and lets it call the handlers', async () => {
    for (const path of ['electron/cli/probe.ts', 'electron/host/probe.ts']) {
      const bad = await restrictedImports(path, "import { statusCounts } from '../../db/queries/items.ts';\nexport const probe = statusCounts;\n");
      expect(bad, path).toHaveLength(1);
    }
    const good = await restrictedImports('electron/cli/probe.ts', "import { withHandlers } from './handlers.ts';\nexport const probe = withHandlers;\n");
    expect(good).toEqual([]);
  });

  it('rejects a contract or model file that names a db/ row type or a core type, and allows zod and other models', async () => {
    const bad = await restrictedImports(
      'electron/shared/models/probe.ts',
      "import type { QueueRow } from '../../../db/queries/items.ts';\nimport type { Dashboard } from '../../core/metrics/dashboard.ts';\nexport type Probe = [QueueRow, Dashboard];\n",
    );
    expect(bad).toHaveLength(2);
    const good = await restrictedImports(
      'electron/shared/models/probe.ts',
      "import type { z } from 'zod';\nimport type { TreeHead } from './audit.ts';\nimport type { statusSchema } from '../contract.ts';\nexport type Probe = [TreeHead, z.infer<typeof statusSchema>];\n",
    );
    expect(good).toEqual([]);
  });

  it('rejects production code that imports test/', async () => {
    const errors = await restrictedImports('electron/cli/probe.ts', "import { tempWorkspace } from '../../test/helpers/workspace.ts';\nexport const probe = tempWorkspace;\n");
    expect(errors).toHaveLength(1);
  });
});
