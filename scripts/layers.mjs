#!/usr/bin/env node
// Import-graph check: prints how many imports cross each layer edge and fails
// on an import that points upward (or sideways where the layering forbids it).
// Run by `npm run lint`; `--report` prints the counts without failing.
//
// Layers, bottom up:
//   db         SQL behind typed functions; drivers and node:* only
//   shared     electron/shared: the contract and model types (may name db row types)
//   core       electron/core: domain handlers; no Electron, React or DOM
//   transport  electron/{cli,host,main,preload} and bench/: ways into core
//   renderer   React UI; sees only electron/shared and itself
//   test       may import anything; nothing imports it
//
// Known debt, reported but not failing: the contract (electron/shared/contract.ts) borrows
// result types from core with `import type` (erased at build time, so no core code reaches the
// renderer). Moving them to model types in shared is issue 11 item 4; a value import fails.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const report = process.argv.includes('--report');

const RANK = { db: 0, shared: 1, core: 2, transport: 3, renderer: 3, test: 9 };
/** Extra rules beyond "no upward edge". */
const ALLOWED = {
  renderer: new Set(['renderer', 'shared']),
};
const DB_PACKAGES = /^(better-sqlite3|drizzle-orm(\/.*)?|pg|node:.*)$/;
const CORE_FORBIDDEN = /^(electron|react|react-dom)(\/.*)?$/;

function layerOf(rel) {
  const p = rel.split(sep).join('/');
  if (p.startsWith('db/')) return 'db';
  if (p.startsWith('electron/shared/')) return 'shared';
  if (p.startsWith('electron/core/')) return 'core';
  if (/^electron\/(cli|host|main|preload)\//.test(p) || p.startsWith('bench/')) return 'transport';
  if (p.startsWith('renderer/')) return 'renderer';
  if (p.startsWith('test/')) return 'test';
  return null;
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'migrations' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) yield full;
  }
}

// Static imports, re-exports, side-effect imports and dynamic import('...').
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

export function scan(dirs = ['db', 'electron', 'renderer', 'bench', 'test']) {
  const edges = new Map();
  const violations = [];
  const typeOnlyDebt = [];
  for (const top of dirs) {
    let files;
    try { files = [...walk(join(root, top))]; } catch { continue; }
    for (const file of files) {
      const from = layerOf(relative(root, file));
      if (!from) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1];
        const line = text.slice(0, m.index).split('\n').length;
        const where = `${relative(root, file)}:${line}`;
        if (!spec.startsWith('.')) {
          if (from === 'db' && !DB_PACKAGES.test(spec)) violations.push(`${where} db imports '${spec}' (drivers and node:* only)`);
          if (from === 'core' && CORE_FORBIDDEN.test(spec)) violations.push(`${where} core imports '${spec}'`);
          continue;
        }
        const to = layerOf(relative(root, resolve(dirname(file), spec)));
        if (!to) continue;
        const key = `${from} -> ${to}`;
        edges.set(key, (edges.get(key) ?? 0) + 1);
        if (from === to) continue;
        const allowed = ALLOWED[from];
        if ((allowed && !allowed.has(to)) || RANK[to] > RANK[from]) {
          const message = `${where} ${from} imports ${to}: '${spec}'`;
          if (from === 'shared' && isTypeOnly(text, m.index)) typeOnlyDebt.push(message);
          else violations.push(message);
        }
      }
    }
  }
  return { edges, violations, typeOnlyDebt };
}

/** Whether the import or export statement around `at` is `import type` / `export type`. */
function isTypeOnly(text, at) {
  const start = Math.max(text.lastIndexOf('\nimport', at), text.lastIndexOf('\nexport', at)) + 1;
  return /^(import|export)\s+type\s/.test(text.slice(start, at));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { edges, violations, typeOnlyDebt } = scan();
  for (const [edge, n] of [...edges].sort()) console.log(`${edge.padEnd(26)} ${n}`);
  console.log(`type-only upward imports (known debt, contract -> core types): ${typeOnlyDebt.length}`);
  if (report) for (const v of typeOnlyDebt) console.log(`  ${v}`);
  console.log(`upward imports: ${violations.length}`);
  for (const v of violations) console.log(`  ${v}`);
  if (violations.length && !report) {
    console.error('layers: fix the imports above (see scripts/layers.mjs for the layering)');
    process.exit(1);
  }
}
