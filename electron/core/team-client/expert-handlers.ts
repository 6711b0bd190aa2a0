/** The contract's team expert-review methods (issue 13) over one TeamClient; rules live in db/team. */
import type { ApiOutputs, ApiParsedInput } from '../../shared/contract.ts';
import type { TeamLeadView } from '../../shared/models/team-expert.ts';
import { nowIso } from '../util/ids.ts';
import { UserError } from '../util/errors.ts';
import type { TeamExpertApi } from '../team/api.ts';
import type { TeamClient } from './client.ts';

type Method =
  | 'team.adjudication.claim'
  | 'team.adjudication.decide'
  | 'team.escalate'
  | 'team.hold'
  | 'team.expert.pool'
  | 'team.expert.claim'
  | 'team.expert.answer'
  | 'team.lead.view'
  | 'team.lead.releaseHold'
  | 'team.lead.reopen'
  | 'team.lead.markGold'
  | 'team.lead.route'
  | 'team.history'
  | 'team.lead.agreement';
export type TeamExpertHandlers = { [M in Method]: (input: ApiParsedInput<M>) => Promise<ApiOutputs[M]> };

async function leadView(api: TeamExpertApi): Promise<TeamLeadView> {
  const [routes, holds, gold, overturns, items, pool] = [
    await api.routeSettings(),
    await api.holds(),
    await api.goldAccuracy(),
    await api.overturns(),
    await api.leadItems(200),
    await api.expertPool(),
  ];
  return { routes, holds, gold, overturns, items, pool };
}

/** What the handlers need of a connection: the desktop's TeamClient, or the CLI's session (electron/cli/team-expert-commands.ts). */
export type ExpertHost = Pick<TeamClient, 'expert' | 'handOver'>;

export function teamExpertHandlers(team: ExpertHost): TeamExpertHandlers {
  const x = <T>(fn: (api: TeamExpertApi) => Promise<T>) => team.expert(fn);
  return {
    'team.adjudication.claim': () =>
      x(async (api) => {
        const c = await api.claimAdjudication();
        if (!c) return null;
        const sides = await api.itemVerdicts(c.itemId);
        return { itemId: c.itemId, externalId: c.extId, route: c.route, blind: c.blind, token: c.token, expiresAt: c.expiresAt, record: c.recordText, sides };
      }),
    'team.adjudication.decide': ({ itemId, token, decision, labels, severity, rationale }) =>
      x(async (api) => {
        const r = await api.decideAdjudication(itemId, token, { decision, labels, severity, rationale });
        // Decided: the names are shown now (the database unblinds them).
        return { ...r, sides: await api.itemVerdicts(itemId) };
      }),
    'team.escalate': ({ seq, toRoute, question, firstDecision, firstLabels }) =>
      team.handOver(seq, (api, itemId, token) => api.escalate({ itemId, token }, { toRoute, question, firstDecision, firstLabels }), `escalated to ${toRoute}: ${question}`),
    'team.hold': ({ seq, reason, reviewBy }) =>
      team.handOver(seq, (api, itemId, token) => api.hold(itemId, token, reason, reviewBy), `on hold until ${reviewBy}: ${reason}`),
    'team.expert.pool': () => x(async (api) => ({ rows: await api.expertPool(), now: nowIso() })),
    'team.expert.claim': () =>
      x(async (api) => {
        const c = await api.claimExpert();
        if (!c) return null;
        const { recordText, serverNow: _now, ...rest } = c;
        return { ...rest, record: recordText };
      }),
    'team.expert.answer': ({ escalationId, token, kind, decision, labels, note }) =>
      x((api) => {
        if (kind === 'verdict') {
          if (!decision) throw new UserError('an expert verdict needs a decision: violation or dismiss', 'invalid_input');
          return api.answerExpert(escalationId, token, { kind, decision, labels, severity: null, note: note || null });
        }
        if (!note) throw new UserError('a consult note needs its text', 'invalid_input');
        return api.answerExpert(escalationId, token, { kind, note });
      }),
    'team.lead.view': () => x(leadView),
    'team.lead.releaseHold': ({ itemId }) =>
      x(async (api) => {
        await api.releaseHold(itemId);
        return leadView(api);
      }),
    'team.lead.reopen': ({ itemId, reason }) =>
      x(async (api) => {
        await api.reopen(itemId, reason);
        return leadView(api);
      }),
    'team.lead.markGold': ({ itemId, decision, labels }) =>
      x(async (api) => {
        await api.markGold(itemId, decision, labels);
        return leadView(api);
      }),
    'team.lead.route': ({ route, goldRate, slaHours }) =>
      x(async (api) => {
        await api.setRoute(route, goldRate, Math.round(slaHours * 3600));
        return leadView(api);
      }),
    'team.history': ({ itemId }) => x(async (api) => ({ rows: await api.history(itemId) })),
    'team.lead.agreement': ({ route, from, to, resamples, seed }) => x((api) => api.agreement({ route, from, to }, { resamples, seed })),
  };
}
