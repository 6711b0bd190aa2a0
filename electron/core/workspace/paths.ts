import { homedir } from 'node:os';
import { join } from 'node:path';

/** The same folder Electron's app.getPath('userData') gives for an app named Verdict. */
export function userDataDir(): string {
  if (process.env.VERDICT_HOME) return process.env.VERDICT_HOME;
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Verdict');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Verdict');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Verdict');
}

export function defaultWorkspacePath(): string {
  return process.env.VERDICT_WORKSPACE ?? join(userDataDir(), 'workspace.verdict.sqlite');
}
