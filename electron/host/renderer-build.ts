/** Builds the renderer with Vite when its output is missing or older than its sources. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { config } from '../core/config.ts';

export function rendererDist(): string {
  return join(config().root, 'dist', 'renderer');
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function rendererIsStale(): boolean {
  const index = join(rendererDist(), 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const root = config().root;
  const sources = Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'electron', 'shared')));
  return sources > built;
}

export async function ensureRendererBuilt(log: (s: string) => void = () => {}): Promise<void> {
  if (!rendererIsStale()) return;
  log('building the interface (first start only)…');
  const { build } = await import('vite');
  await build({ configFile: join(config().root, 'vite.config.ts'), logLevel: 'warn' });
}
