#!/usr/bin/env node
// The CLI entry. It runs from a bundle that esbuild makes from the TypeScript sources on first
// use (and again when a source changes), so a fresh clone needs no build step, and the process
// and its worker threads run plain JavaScript (no TypeScript loader threads: less memory, faster
// start). Should bundling fail, it falls back to loading the sources through tsx.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// Bulk ingest and export allocate many short-lived objects; a small young generation keeps the
// process's peak memory down at a small cost in scavenges. Set before the heap has grown.
setFlagsFromString('--max-semi-space-size=4');

// The checkout: the bundle runs from dist/cli, so main() is told where db/ and renderer/ are.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const ENTRIES = {
  main: 'electron/cli/main.ts',
  'db-worker': 'electron/host/db-worker.ts',
  'parse-worker': 'electron/core/ingest/parse-worker.ts',
  'export-worker': 'electron/core/export/export-worker.ts',
  'fts-worker': 'electron/core/search/fts-worker.ts',
  'checkpoint-worker': 'electron/core/workspace/checkpoint-worker.ts',
};

/** A fingerprint of every source file the CLI may load: paths, sizes and mtimes. */
function fingerprint() {
  const h = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs|json)$/.test(e.name)) {
        const s = statSync(p);
        h.update(`${p}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  for (const d of ['electron', 'db', 'bench']) if (existsSync(join(root, d))) walk(join(root, d));
  return h.digest('hex').slice(0, 16);
}

async function bundle() {
  const out = join(root, 'dist', 'cli', fingerprint());
  if (existsSync(join(out, 'main.mjs'))) return out;
  const { build } = await import('esbuild');
  const tmp = `${out}.tmp-${process.pid}`;
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).filter(([, f]) => existsSync(join(root, f))).map(([k, f]) => [k, join(root, f)])),
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  });
  // Several processes may bundle at once (parallel tests): the first rename wins.
  try {
    renameSync(tmp, out);
  } catch {
    rmSync(tmp, { recursive: true, force: true });
  }
  // Older bundles are dead weight.
  for (const old of readdirSync(dirname(out))) {
    if (old !== out.split('/').pop() && !old.includes('.tmp-')) rmSync(join(dirname(out), old), { recursive: true, force: true });
  }
  return out;
}

let main;
if (process.env.VERDICT_FROM_SOURCE === '1') {
  main = await fromSource();
} else {
  try {
    mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
    const dir = await bundle();
    ({ main } = await import(pathToFileURL(join(dir, 'main.mjs')).href));
  } catch (err) {
    process.stderr.write(`verdict: running from source (bundling failed: ${err?.message ?? err})\n`);
    main = await fromSource();
  }
}
try {
  process.exitCode = await main(process.argv.slice(2), process.env, root);
} catch (err) {
  // main() reports its own errors; this is for one that escapes it (a broken install, say).
  const first = String(err?.message ?? err).split('\n')[0];
  const detail = process.env.VERDICT_DEBUG === '1' && err?.stack ? `\n${err.stack}` : ' (set VERDICT_DEBUG=1 for details)';
  process.stderr.write(`verdict: unexpected error: ${first}${detail}\n`);
  process.exitCode = 1;
}

async function fromSource() {
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('./main.ts')).main;
}
