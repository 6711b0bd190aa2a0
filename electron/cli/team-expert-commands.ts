/**
 * The team expert steps from the command line (issue 13): adjudicate, escalate, expert
 * pool/claim/answer (verdict or consult), hold/release, reopen, gold mark/accuracy, history and
 * agreement, each as `verdict team STEP … --team URL`. Adjudicate, expert pool/claim/answer,
 * reopen, gold mark, history and agreement go through the app's handlers
 * (core/team-client/expert-handlers.ts) over one team session, inputs checked by the contract's
 * schema. Escalate and hold take the lease token (the app's form takes its outbox row), and
 * release and gold accuracy answer without the lead view the app's handler returns (a reviewer
 * releases their own hold): those call the same session API the handlers wrap.
 */
import { contract, type ApiOutputs, type ApiParsedInput, type Method } from '../shared/contract.ts';
import { connectTeam, type TeamSession } from '../core/team/api.ts';
import { teamExpertHandlers, type TeamExpertHandlers } from '../core/team-client/expert-handlers.ts';
import { UsageError, UserError } from '../core/util/errors.ts';
import { config } from '../core/config.ts';
import { out, parse } from './args.ts';

type Command = (argv: string[]) => Promise<number>;
type ExpertMethod = keyof TeamExpertHandlers;

export const TEAM_EXPERT_STEPS = ['claim', 'adjudicate', 'escalate', 'expert', 'hold', 'release', 'reopen', 'gold', 'history'] as const;

const teamOption = { team: { type: 'string' } } as const;

function teamUrl(v: unknown): string {
  const url = typeof v === 'string' && v !== '' ? v : config().teamUrl;
  if (!url) throw new UsageError('give the team database as --team postgres://USER@HOST/DB (or set VERDICT_TEAM_URL); the password can come from PGPASSWORD');
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError(`--team must be a postgres:// URL, got "${url.slice(0, 40)}"`);
  return url;
}

const labelList = (v: string | undefined): string[] => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

/** Opens one session as the person in the URL; every call runs through the app's handlers. */
export async function withTeamSteps<T>(
  url: unknown,
  fn: (call: <M extends ExpertMethod>(method: M, input: unknown) => Promise<ApiOutputs[M]>, session: TeamSession) => Promise<T>,
): Promise<T> {
  const session = await connectTeam(teamUrl(url), { applicationName: 'verdict cli' });
  const handlers = teamExpertHandlers({
    expert: (f) => f(session.expert),
    handOver: () => Promise.reject(new UsageError('escalate and hold take --token from the CLI')),
  });
  const call = <M extends ExpertMethod>(method: M, input: unknown): Promise<ApiOutputs[M]> => {
    const parsed = contract[method as Method].safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UserError(`${method}: ${issue.message} at ${issue.path.join('.') || 'input'}`, 'invalid_input');
    }
    const h = handlers[method] as (i: ApiParsedInput<M>) => Promise<ApiOutputs[M]>;
    return h(parsed.data as ApiParsedInput<M>);
  };
  try {
    return await fn(call, session);
  } finally {
    await session.close();
  }
}

const claimCmd: Command = async (argv) => {
  const { values } = parse(argv, { ...teamOption, route: { type: 'string' } });
  return withTeamSteps(values.team, async (_call, s) => {
    const l = await s.claimMixed(values.route);
    out(values.json, l, () => (l ? `claimed item ${l.itemId} (${l.item.externalId}, route ${l.route}) with token ${l.token} until ${l.expiresAt}\n` : 'nothing to claim on your routes\n'));
    return 0;
  });
};

const adjudicateCmd: Command = async (argv) => {
  const { values, positionals } = parse(
    argv,
    { ...teamOption, token: { type: 'string' }, decision: { type: 'string' }, labels: { type: 'string' }, severity: { type: 'string' }, rationale: { type: 'string' } },
    1,
  );
  const itemId = positionals[0];
  return withTeamSteps(values.team, async (call) => {
    if (!itemId) {
      const c = await call('team.adjudication.claim', {});
      out(values.json, c, () =>
        c
          ? `adjudicating item ${c.itemId} (${c.externalId}, route ${c.route}) with token ${c.token} until ${c.expiresAt}\n` +
            c.sides.map((v) => `  ${v.reviewer}: ${v.decision}${v.labels.length ? ` [${v.labels.join(', ')}]` : ''}${v.rationale ? ` — ${v.rationale}` : ''}\n`).join('')
          : 'nothing waits for adjudication on your routes\n',
      );
      return 0;
    }
    if (!values.token || !values.decision) throw new UsageError('give --token (from "team adjudicate") and --decision violation|dismiss');
    const r = await call('team.adjudication.decide', {
      itemId, token: values.token, decision: values.decision, labels: labelList(values.labels), severity: values.severity ?? null, rationale: values.rationale ?? null,
    });
    if (r.status !== 'accepted') throw new UserError(r.message, 'conflict');
    out(values.json, r, () => `${r.message}\n`);
    return 0;
  });
};

const escalateCmd: Command = async (argv) => {
  const { values, positionals } = parse(argv, { ...teamOption, token: { type: 'string' }, to: { type: 'string' }, question: { type: 'string' }, decision: { type: 'string' }, labels: { type: 'string' } }, 1);
  const itemId = positionals[0];
  if (!itemId || !values.token || !values.to || !values.question || !values.decision)
    throw new UsageError('give ITEM --token T (from "team claim") --to ROUTE --question TEXT --decision violation|dismiss');
  const input = { toRoute: values.to, question: values.question, firstDecision: values.decision, firstLabels: labelList(values.labels) };
  return withTeamSteps(values.team, async (_call, s) => {
    const parsed = contract['team.escalate'].safeParse({ seq: 1, ...input });
    if (!parsed.success) throw new UserError(`team.escalate: ${parsed.error.issues[0]!.message} at ${parsed.error.issues[0]!.path.join('.')}`, 'invalid_input');
    const { seq: _seq, ...a } = parsed.data;
    const id = await s.expert.escalate({ itemId, token: values.token! }, a);
    out(values.json, { escalationId: id }, () => `item ${itemId} escalated to ${a.toRoute} (escalation ${id}); your lease ended\n`);
    return 0;
  });
};

const expertCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, { ...teamOption, token: { type: 'string' }, decision: { type: 'string' }, labels: { type: 'string' }, note: { type: 'string' }, consult: { type: 'string' } }, 1);
  return withTeamSteps(values.team, async (call) => {
    if (sub === 'pool') {
      const { rows } = await call('team.expert.pool', {});
      out(values.json, rows, () => (rows.length ? rows.map((r) => `${r.escalationId}  item ${r.itemId} (${r.extId})  ${r.fromRoute} -> ${r.toRoute}  due ${r.dueAt}${r.overdue ? '  OVERDUE' : ''}${r.held ? '  claimed' : ''}  ${r.question.slice(0, 60)}\n`).join('') : 'the expert pool is empty\n'));
      return 0;
    }
    if (sub === 'claim') {
      const c = await call('team.expert.claim', {});
      out(values.json, c, () => (c ? `escalation ${c.escalationId} on item ${c.itemId} with token ${c.token}: ${c.question} (first line: ${c.firstDecision}, asked by ${c.askedBy})\n` : 'nothing waits in the expert pool for you\n'));
      return 0;
    }
    if (sub === 'answer') {
      const escalationId = positionals[0];
      if (!escalationId || !values.token || (!values.decision && values.consult === undefined)) throw new UsageError('give ESCALATION --token T and --decision violation|dismiss [--labels] [--note], or --consult TEXT');
      if (values.decision && values.consult !== undefined) throw new UsageError('give --decision or --consult, not both');
      const input = values.consult !== undefined
        ? { escalationId, token: values.token, kind: 'consult', note: values.consult }
        : { escalationId, token: values.token, kind: 'verdict', decision: values.decision, labels: labelList(values.labels), note: values.note };
      const r = await call('team.expert.answer', input);
      if (r.status !== 'accepted') throw new UserError(r.message, 'conflict');
      out(values.json, r, () => `${r.message}${r.overturned ? ' (overturns the first-line verdict)' : ''}\n`);
      return 0;
    }
    throw new UsageError('use "team expert pool", "team expert claim" or "team expert answer ESCALATION …"');
  });
};

const holdCmd: Command = async (argv) => {
  const { values, positionals } = parse(argv, { ...teamOption, token: { type: 'string' }, reason: { type: 'string' }, 'review-by': { type: 'string' } }, 1);
  const itemId = positionals[0];
  if (!itemId || !values.reason || !values['review-by']) throw new UsageError('give ITEM --reason TEXT --review-by 2026-12-31T12:00:00Z [--token T: your lease; a lead may leave it out]');
  const parsed = contract['team.hold'].safeParse({ seq: 1, reason: values.reason, reviewBy: values['review-by'] });
  if (!parsed.success) throw new UserError(`team.hold: ${parsed.error.issues[0]!.message} at ${parsed.error.issues[0]!.path.join('.')}`, 'invalid_input');
  return withTeamSteps(values.team, async (_call, s) => {
    const id = await s.expert.hold(itemId, values.token ?? null, parsed.data.reason, parsed.data.reviewBy);
    out(values.json, { holdId: id }, () => `item ${itemId} on hold until ${parsed.data.reviewBy} (hold ${id})\n`);
    return 0;
  });
};

const releaseCmd: Command = async (argv) => {
  const { values, positionals } = parse(argv, teamOption, 1);
  if (!positionals[0]) throw new UsageError('give the item: team release ITEM');
  return withTeamSteps(values.team, async (_call, s) => {
    const to = await s.expert.releaseHold(positionals[0]!);
    out(values.json, { itemId: positionals[0], status: to }, () => `item ${positionals[0]} released from hold; it is ${to} again\n`);
    return 0;
  });
};

const reopenCmd: Command = async (argv) => {
  const { values, positionals } = parse(argv, { ...teamOption, reason: { type: 'string' } }, 1);
  if (!positionals[0] || !values.reason) throw new UsageError('give ITEM --reason TEXT');
  return withTeamSteps(values.team, async (call) => {
    await call('team.lead.reopen', { itemId: positionals[0], reason: values.reason });
    out(values.json, { itemId: positionals[0], status: 'adjudication' }, () => `item ${positionals[0]} reopened; it waits for adjudication\n`);
    return 0;
  });
};

const goldCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, { ...teamOption, decision: { type: 'string' }, labels: { type: 'string' } }, 1);
  return withTeamSteps(values.team, async (call, s) => {
    if (sub === 'mark') {
      if (!positionals[0] || !values.decision) throw new UsageError('give ITEM --decision violation|dismiss [--labels a,b]');
      await call('team.lead.markGold', { itemId: positionals[0], decision: values.decision, labels: labelList(values.labels) });
      out(values.json, { itemId: positionals[0], decision: values.decision }, () => `item ${positionals[0]} is gold: ${values.decision}\n`);
      return 0;
    }
    if (sub === 'accuracy') {
      const rows = await s.expert.goldAccuracy();
      out(values.json, rows, () => (rows.length ? rows.map((r) => `${r.reviewer}  ${r.route}  ${r.month}  ${r.correct}/${r.answered} correct (${r.served} served)\n`).join('') : 'no gold items served yet\n'));
      return 0;
    }
    throw new UsageError('use "team gold mark ITEM --decision D" or "team gold accuracy"');
  });
};

const historyCmd: Command = async (argv) => {
  const { values, positionals } = parse(argv, teamOption, 1);
  if (!positionals[0]) throw new UsageError('give the item: team history ITEM');
  return withTeamSteps(values.team, async (call) => {
    const { rows } = await call('team.history', { itemId: positionals[0] });
    out(values.json, rows, () => rows.map((r) => `${r.at}  ${r.kind}  ${r.actor ?? ''}${r.decision ? `  ${r.decision}` : ''}${r.detail ? `  ${r.detail}` : ''}\n`).join('') || 'no history\n');
    return 0;
  });
};

export const TEAM_EXPERT_COMMANDS: Record<(typeof TEAM_EXPERT_STEPS)[number], Command> = {
  claim: claimCmd,
  adjudicate: adjudicateCmd,
  escalate: escalateCmd,
  expert: expertCmd,
  hold: holdCmd,
  release: releaseCmd,
  reopen: reopenCmd,
  gold: goldCmd,
  history: historyCmd,
};
