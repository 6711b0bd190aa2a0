/**
 * `verdict <command>`: exit 0 on success, 1 on failure (a failed audit verification included),
 * 2 on bad usage; errors are one actionable line on stderr, with the stack only when
 * VERDICT_DEBUG=1.
 */
import { sqliteUserError, UserError } from '../core/util/errors.ts';
import { exitCodeFor } from './exit-codes.ts';
import { COMMANDS, HELP } from './commands.ts';
import { helpKeyFor, helpText, HELP_ENTRIES } from './help.ts';
import { APP_VERSION } from '../core/version.ts';
import { buildConfig, config, installConfig, sourceRoot, type Env } from '../core/config.ts';

const debug = () => config().debug;

/** One line for any error; the stack too under VERDICT_DEBUG=1. */
export function errorLine(prefix: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const first = message.split('\n')[0]!.trim() || 'unknown error';
  if (err instanceof UserError) return `${prefix}: ${first}\n`;
  const detail = debug() && err instanceof Error && err.stack ? `\n${err.stack}` : ' (set VERDICT_DEBUG=1 for details)';
  return `${prefix}: unexpected error: ${first}${detail}\n`;
}

/**
 * The CLI's entry (bin.mjs calls it with its environment and the checkout it runs from: the
 * bundle lives in dist/cli, away from db/ and renderer/). The only place the CLI — and browser
 * mode and the bench, which it starts — reads environment variables.
 */
export async function main(argv: string[], env: Env = {}, root: string = sourceRoot()): Promise<number> {
  installConfig(buildConfig(env, root));
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  if (name === 'help') {
    const key = rest.join(' ');
    if (!key) {
      process.stdout.write(HELP);
      return 0;
    }
    if (!HELP_ENTRIES[key]) {
      process.stderr.write(`verdict help: no command "${key}"; run "verdict help" for the list\n`);
      return 2;
    }
    process.stdout.write(helpText(key));
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`verdict ${APP_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`verdict: unknown command "${name}"; run "verdict help" for the list\n`);
    return 2;
  }
  const helpKey = helpKeyFor(argv);
  if (helpKey) {
    process.stdout.write(helpText(helpKey));
    return 0;
  }
  try {
    return await command(rest);
  } catch (err) {
    // SQLite failures a user can act on (disk full, lock timeout, damage) become one known line.
    const known = err instanceof UserError ? err : (sqliteUserError(err) ?? err);
    process.stderr.write(errorLine(`verdict ${name}`, known));
    return exitCodeFor(known);
  }
}
