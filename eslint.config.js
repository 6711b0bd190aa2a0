import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Layers (issue 11), bottom up: db/ → electron/shared → electron/core → transports (cli, host,
// main, preload, bench) and renderer/. scripts/layers.mjs checks the whole graph; these rules
// put the message on the offending line.
const TEST = { group: ['**/test/**'], message: 'production code imports nothing from test/.' };
const restrict = (...patterns) => ['error', { patterns }];
/** The entry points, the only files that read process.env. */
export const ENV_ENTRY_FILES = ['electron/cli/bin.mjs', 'electron/cli/main.ts', 'electron/main/main.ts'];

export const layerRules = [
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict(
        {
          group: ['**/db/**', '**/electron/*/**', '!**/electron/shared/**'],
          message: 'renderer code imports only electron/shared (the contract and model types) and its own modules.',
        },
        { regex: '^(electron|better-sqlite3|drizzle-orm|node:.*|fs|path|child_process|worker_threads)(/.*)?$', message: 'renderer code runs in the page: no Node, Electron or database modules.' },
        TEST,
      ),
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        { regex: '^(electron|react|react-dom)(/.*)?$', message: 'core is plain Node: no Electron, React or DOM modules (it runs in workers and the CLI).' },
        { group: ['**/renderer/**', '**/cli/**', '**/host/**', '**/main/**', '**/preload/**', '**/bench/**'], message: 'core imports nothing above it (transports and the renderer call core, not the reverse).' },
        TEST,
      ),
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        { regex: '^(?!(better-sqlite3|drizzle-orm|pg$|node:)|\\.)', message: 'db/ imports only drivers (better-sqlite3, drizzle-orm, pg, node:*) and itself.' },
        { group: ['**/electron/**', '**/renderer/**', '**/bench/**', '**/test/**'], message: 'db/ is the ground floor: ids, keys, canonical JSON and FTS queries live in db/util or come in as parameters.' },
      ),
    },
  },
  {
    files: ['electron/{cli,host,main,preload}/**/*.{ts,mjs}'],
    rules: {
      'no-restricted-imports': restrict(
        { group: ['**/db/**'], message: 'transports call the handlers (electron/core/service.ts via the contract), not db/: a CLI command uses withHandlers (electron/cli/handlers.ts).' },
        TEST,
      ),
    },
  },
  {
    files: ['electron/shared/**/*.{ts,mjs}'],
    rules: {
      'no-restricted-imports': restrict(
        { group: ['**/db/**', '**/core/**', '**/cli/**', '**/host/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/bench/**'], message: 'electron/shared holds the contract and plain model types (electron/shared/models): no db/ row types or core result types, not even as types.' },
        { regex: '^(electron|react|react-dom|better-sqlite3|drizzle-orm|node:.*)(/.*)?$', message: 'electron/shared is read by the renderer too: no Node, Electron, React or database modules.' },
        TEST,
      ),
    },
  },
  {
    files: ['bench/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(TEST) },
  },
  {
    // Configuration is one object built by each entry point (electron/core/config.ts) and handed
    // to workers in workerData: only the entry files read the environment.
    files: ['electron/**/*.{ts,tsx,mjs}', 'db/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ENV_ENTRY_FILES,
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration from config() (electron/core/config.ts); only the entry points (electron/cli/bin.mjs, electron/cli/main.ts, electron/main/main.ts) read process.env.' }],
    },
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'release/', 'test-results/', 'playwright-report/', 'bench-out/', 'db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  ...layerRules,
);
