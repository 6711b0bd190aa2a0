import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Layers (issue 11), bottom up: db/ → electron/shared → electron/core → transports (cli, host,
// main, preload, bench) and renderer/. scripts/layers.mjs checks the whole graph; these rules
// put the message on the offending line.
const TEST = { group: ['**/test/**'], message: 'production code imports nothing from test/.' };
const restrict = (...patterns) => ['error', { patterns }];

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
    files: ['electron/{cli,host,main,preload,shared}/**/*.{ts,mjs}', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(TEST) },
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
