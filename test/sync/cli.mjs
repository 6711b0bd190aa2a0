#!/usr/bin/env node
// The real CLI (electron/cli/main.ts) with the sync commands added, whether or not
// commands.ts wires them in yet: what the sync tests spawn.
import { register } from 'tsx/esm/api';

register();
const { COMMANDS } = await import('../../electron/cli/commands.ts');
const { SYNC_COMMANDS } = await import('../../electron/cli/sync-commands.ts');
for (const [name, command] of Object.entries(SYNC_COMMANDS)) COMMANDS[name] ??= command;
const { main } = await import('../../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
