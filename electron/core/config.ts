/**
 * Verdict's configuration: one plain object, built once by each entry point (Electron main, the
 * CLI — which also hosts browser mode and the bench — and, from what their parent sends in
 * workerData, each worker thread) and installed here. Only entry files read process.env (a lint
 * rule enforces it); everything below reads `config()`. Nothing is passed through environment
 * variables between modules: a worker thread gets the parent's object, not its env.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VerdictConfig {
  /** The folder holding package.json, db/ and dist/ (bundles live elsewhere than the sources). */
  readonly root: string;
  /** The SQLite migrations the workspace is brought up to. */
  readonly migrationsDir: string;
  /** How long a writer waits for another one's lock before giving up. */
  readonly busyTimeoutMs: number;
  /** A writer runs quick_check on open up to this file size (see workspace/file-check.ts). */
  readonly quickCheckMaxBytes: number;
  /** The same folder Electron's app.getPath('userData') gives for an app named Verdict. */
  readonly userDataDir: string;
  /** The workspace used when a command names none. */
  readonly defaultWorkspace: string;
  /** Stack traces in error lines (VERDICT_DEBUG=1). */
  readonly debug: boolean;
  /** Team mode's PostgreSQL URL when a command names none. */
  readonly teamUrl: string | null;
  /** `verdict start` serves browser mode even where Electron is installed (VERDICT_BROWSER=1). */
  readonly browserOnly: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The source checkout this module sits in (right from source; a bundle's entry names its root). */
export function sourceRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

/**
 * Every knob with its default, from the variables an entry point hands in (its process.env).
 * `root` is what the entry point knows about where it runs; VERDICT_ROOT overrides it.
 */
export function buildConfig(env: Env, root: string, platform: NodeJS.Platform = process.platform, home: string = homedir()): VerdictConfig {
  const appRoot = env.VERDICT_ROOT || root;
  const userDataDir = env.VERDICT_HOME || userDataFolder(env, platform, home);
  return {
    root: appRoot,
    migrationsDir: env.VERDICT_MIGRATIONS_DIR || join(appRoot, 'db', 'migrations'),
    busyTimeoutMs: numberOr(env.VERDICT_BUSY_TIMEOUT_MS, 30_000),
    // 256 MiB costs about 1.3 s of quick_check on this machine; bigger files leave it to `audit verify`.
    quickCheckMaxBytes: numberOr(env.VERDICT_QUICK_CHECK_MAX_BYTES, 256 * 1024 ** 2),
    userDataDir,
    defaultWorkspace: env.VERDICT_WORKSPACE || join(userDataDir, 'workspace.verdict.sqlite'),
    debug: env.VERDICT_DEBUG === '1',
    teamUrl: env.VERDICT_TEAM_URL || null,
    browserOnly: env.VERDICT_BROWSER === '1',
  };
}

function userDataFolder(env: Env, platform: NodeJS.Platform, home: string): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Verdict');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Verdict');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Verdict');
}

function numberOr(v: string | undefined, fallback: number): number {
  const n = v === undefined || v === '' ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

let current: VerdictConfig | null = null;

/** Called once by an entry point (again only by tests that need another knob). */
export function installConfig(c: VerdictConfig): VerdictConfig {
  current = Object.freeze({ ...c });
  return current;
}

/**
 * The installed configuration. Code loaded without an entry point (unit tests importing a module
 * directly) gets the defaults for this checkout: no environment variable is consulted.
 */
export function config(): VerdictConfig {
  return current ?? installConfig(buildConfig({}, sourceRoot()));
}

/** What a worker thread is started with: its own data plus the parent's configuration. */
export interface WithConfig {
  readonly verdictConfig?: VerdictConfig;
}

export function withConfig<T>(data: T): T & WithConfig {
  return { ...(data as object), verdictConfig: config() } as T & WithConfig;
}

/** A worker's first step: take the configuration its parent sent. */
export function installWorkerConfig(data: unknown): void {
  const c = (data as WithConfig | null)?.verdictConfig;
  if (c) installConfig(c);
}
