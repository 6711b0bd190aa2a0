import { HELP } from '../cli/commands.ts';

/** The app shell arrives with the review desk; until then `start` shows what the CLI can do. */
export async function start(_argv: string[], _mode: 'start' | 'serve'): Promise<number> {
  process.stdout.write(HELP);
  return 0;
}
