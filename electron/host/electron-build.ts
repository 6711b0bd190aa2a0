/** Bundles the Electron main process, preload and database worker with esbuild. */
import { join } from 'node:path';
import { config } from '../core/config.ts';
import { WORKER_SOURCES } from '../core/util/workers.ts';


export async function buildElectron(): Promise<string> {
  const REPO_ROOT = config().root;
  const ELECTRON_DIST = join(REPO_ROOT, 'dist', 'electron');
  const { build } = await import('esbuild');
  const common = {
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    external: ['electron', 'better-sqlite3'],
    logLevel: 'warning' as const,
  };
  await build({
    ...common,
    entryPoints: {
      main: join(REPO_ROOT, 'electron/main/main.ts'),
      // One bundle per worker, named as workerEntry() looks for it.
      ...Object.fromEntries(Object.entries(WORKER_SOURCES).map(([name, file]) => [name, join(REPO_ROOT, 'electron', file)])),
    },
    outdir: ELECTRON_DIST,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  // A sandboxed preload must be a single CommonJS script.
  await build({ ...common, entryPoints: [join(REPO_ROOT, 'electron/preload/preload.ts')], outfile: join(ELECTRON_DIST, 'preload.cjs'), format: 'cjs' });
  return join(ELECTRON_DIST, 'main.mjs');
}
