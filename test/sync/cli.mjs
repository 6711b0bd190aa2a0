#!/usr/bin/env node
// The real CLI (electron/cli/main.ts) run from source, plus the crash tests' kill switches, which
// the production CLI does not have: --kill-after-batches N (SIGKILL right after the Nth
// committed batch of ingest or verdicts import) and --kill-after-writes N (right after the Nth
// fsynced append of sync, before its rows are marked delivered).
import { register } from 'tsx/esm/api';

register();
const { testHooks } = await import('../../electron/cli/test-hooks.ts');
const { main } = await import('../../electron/cli/main.ts');

const killAfter = (n) => {
  let seen = 0;
  return () => void (++seen >= n && process.kill(process.pid, 'SIGKILL'));
};
const args = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const hook = { '--kill-after-batches': 'afterBatch', '--kill-after-writes': 'afterWrite' }[argv[i]];
  if (hook) {
    const n = Number(argv[++i]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${argv[i - 1]} needs a whole number, got ${argv[i]}`);
    testHooks[hook] = killAfter(n);
  } else args.push(argv[i]);
}
process.exitCode = await main(args);
