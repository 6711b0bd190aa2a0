// `npm test`: every stage runs even when an earlier one fails, so a red unit suite still shows
// what the end-to-end suite says; the closing "N passed, N failed" line always prints and the
// exit code is non-zero when any stage failed.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const stages = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['unit', 'npm', ['run', '--silent', 'test:unit']],
  ['e2e', 'npm', ['run', '--silent', 'test:e2e']],
];
rmSync('test-results/vitest.json', { force: true });
rmSync('test-results/playwright.json', { force: true });
const failedStages = [];
for (const [name, cmd, args] of stages) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) failedStages.push(name);
}
const summary = spawnSync(process.execPath, ['test/summary.mjs'], { stdio: 'inherit' });
if (failedStages.length > 0) console.log(`failed stages: ${failedStages.join(', ')}`);
process.exitCode = failedStages.length > 0 || summary.status !== 0 ? 1 : 0;
