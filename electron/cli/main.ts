/**
 * `verdict <command>`: exit 0 on success, 1 on failure (a failed audit verification included),
 * 2 on bad usage; errors are one actionable line on stderr.
 */
import { sqliteUserError, UsageError, UserError } from '../core/util/errors.ts';
import { COMMANDS, HELP } from './commands.ts';

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return name ? 0 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write('verdict 0.1.0\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`verdict: unknown command "${name}"; run "verdict help" for the list\n`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`verdict ${name}: ${err.message}\n`);
      return 2;
    }
    const known = err instanceof UserError ? err : sqliteUserError(err);
    if (known) {
      process.stderr.write(`verdict ${name}: ${known.message}\n`);
      return 1;
    }
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e === 'object' && 'code' in e && e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`verdict ${name}: ${e.message}\n`);
      return 2;
    }
    if (e && typeof e === 'object' && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`verdict ${name}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`verdict ${name}: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  }
}
