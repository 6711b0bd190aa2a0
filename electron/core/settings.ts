/** Workspace settings as the handlers use them: a read, and a write with its audit event in one transaction. */
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import { settingValue, writeSetting } from '../../db/queries/settings.ts';
import { nowIso } from './util/ids.ts';
import type { Workspace } from './workspace/open.ts';

export function getSetting(ws: Workspace, key: string): string | undefined {
  return settingValue(ws.sqlite, key);
}

/** The value itself stays out of the audit log (it may be long); its hash proves what was set. */
export function putSetting(ws: Workspace, key: string, value: string, actor: string): void {
  ws.sqlite.transaction(() => {
    writeSetting(ws.sqlite, key, value, nowIso());
    ws.audit.append('settings.changed', { key, value_sha256: createHash('sha256').update(value).digest('hex') }, { actor });
  }).immediate();
}

/** The workspace's reviewer name, else the OS user's. */
export function reviewerName(ws: Workspace): string {
  return getSetting(ws, 'reviewer') ?? osUserName('reviewer');
}

export function osUserName(fallback: string): string {
  try {
    return userInfo().username || fallback;
  } catch {
    return fallback;
  }
}
