/** The contract's team.* methods over one TeamClient (see client.ts). */
import type { ApiOutputs, ApiParsedInput } from '../../shared/contract.ts';
import type { PasswordKeeping } from '../../shared/models/team.ts';
import type { TeamClient } from './client.ts';

type TeamMethod =
  | 'team.status'
  | 'team.connect'
  | 'team.disconnect'
  | 'team.claim'
  | 'team.item'
  | 'team.heartbeat'
  | 'team.release'
  | 'team.submit'
  | 'team.submitNext'
  | 'team.push'
  | 'team.exportBatch';
export type TeamHandlers = { [M in TeamMethod]: (input: ApiParsedInput<M>) => ApiOutputs[M] | Promise<ApiOutputs[M]> };

export function teamHandlers(team: TeamClient): TeamHandlers {
  return {
    'team.status': () => team.status(),
    // The desktop shell adds `keptBy: 'keychain'` after it encrypted the password (electron/main).
    'team.connect': (input) => team.connect(input.url, input.user, input.password, (input as { keptBy?: PasswordKeeping }).keptBy),
    'team.disconnect': ({ forget }) => team.disconnect(forget),
    'team.claim': ({ count }) => team.claim(count),
    'team.item': ({ seq }) => team.item(seq),
    'team.heartbeat': ({ seq }) => team.heartbeat(seq),
    'team.release': ({ seq }) => team.release(seq),
    'team.submit': ({ seq, decision, labels, severity, correction, rationale, routeTo }) =>
      team.submit(seq, { decision, labels, severity, correction, rationale, routeTo }),
    'team.submitNext': ({ seq, decision, labels, severity, correction, rationale, routeTo }) =>
      team.submitNext(seq, { decision, labels, severity, correction, rationale, routeTo }),
    'team.push': async () => {
      await team.push();
      return team.status();
    },
    'team.exportBatch': ({ out }) => team.exportNotAccepted(out),
  };
}
