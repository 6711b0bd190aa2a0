/**
 * Team connections in the desktop shell: the password the reviewer types goes to the database
 * worker once and, after a successful connect, into the OS keychain (keychain.ts); at start the
 * saved connection reconnects with it. The renderer never receives it. No Electron import.
 */
import type { ApiResult, Method } from '../shared/contract.ts';
import type { TeamStatus } from '../shared/models/team.ts';
import { teamTarget } from '../core/team-client/url.ts';
import type { Keychain } from './keychain.ts';

interface Worker {
  call(method: Method, input: unknown): Promise<ApiResult<Method>>;
}

export async function teamCall(worker: Worker, keychain: Keychain, method: 'team.connect' | 'team.disconnect', input: unknown): Promise<ApiResult<Method>> {
  if (method === 'team.disconnect') {
    const before = await worker.call('team.status', {});
    const result = await worker.call(method, input);
    const status = before.ok ? (before.value as TeamStatus) : null;
    if ((input as { forget?: boolean }).forget && status?.url && status.user) keychain.forget(teamTarget(status.url, status.user).key);
    return result;
  }
  const { url, user, password } = input as { url: string; user: string; password?: string };
  let key: string;
  try {
    key = teamTarget(url, user).key;
  } catch {
    return worker.call(method, input);
  }
  const typed = password !== undefined;
  const secret = typed ? password : keychain.load(key);
  const keptBy = keychain.available ? 'keychain' : 'memory';
  const result = await worker.call(method, { url, user, ...(secret !== null && secret !== undefined ? { password: secret, keptBy } : {}) });
  // Only a password the database accepted is kept.
  if (result.ok && typed && (result.value as TeamStatus).online) keychain.save(key, password);
  return result;
}

export async function reconnectTeam(worker: Worker, keychain: Keychain): Promise<void> {
  const s = await worker.call('team.status', {});
  if (!s.ok) return;
  const { url, user } = s.value as TeamStatus;
  if (!url || !user) return;
  const password = keychain.load(teamTarget(url, user).key);
  if (password !== null) await worker.call('team.connect', { url, user, password, keptBy: 'keychain' });
}
