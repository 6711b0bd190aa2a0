import { config } from '../config.ts';

/** The same folder Electron's app.getPath('userData') gives for an app named Verdict. */
export function userDataDir(): string {
  return config().userDataDir;
}

export function defaultWorkspacePath(): string {
  return config().defaultWorkspace;
}
