import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json, db/ and dist/. Bundles (the CLI's, the desktop app's) live
 * elsewhere than the sources, so their launcher names it in VERDICT_ROOT.
 */
export const REPO_ROOT: string = process.env.VERDICT_ROOT ?? fileURLToPath(new URL('../../../', import.meta.url));
