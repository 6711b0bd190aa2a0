/**
 * `verdict team agreement` (agreement statistics over the workspace's verdicts, imported ones
 * included) and `verdict adjudication list|decide` (the adjudication queue of a local
 * workspace). Merged into the COMMANDS map of commands.ts.
 */
import type { AgreementReport, Figure } from '../shared/contract.ts';
import { UsageError } from '../core/util/errors.ts';
import { intOption, out, parse, workspacePath } from './args.ts';
import { withHandlers } from './handlers.ts';
import { withTeamSteps } from './team-expert-commands.ts';

type Command = (argv: string[]) => Promise<number>;

export const EXPERT_HELP = `  team agreement                agreement over the verdicts (imported ones included): Krippendorff's alpha, Cohen's kappa
                                per reviewer pair, Fleiss' kappa per route, with bootstrap intervals and item counts
  adjudication list|decide      items whose reviewers disagree; decide one as the adjudicator
`;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (v: unknown, name: string): string | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !DAY.test(v)) throw new UsageError(`--${name} must be a UTC day as YYYY-MM-DD`);
  return v;
};

const fig = (f: Figure): string =>
  f.value === null ? `n/a (${f.items} items)` : `${f.value.toFixed(3)} [${f.ci ? `${f.ci[0].toFixed(3)}, ${f.ci[1].toFixed(3)}` : 'no interval'}] (${f.items} items)`;

function agreementText(r: AgreementReport): string {
  const lines = [
    `${r.items} items with 2+ reviewers, ${r.ratings} ratings, ${r.reviewers} reviewers; ${r.method.interval}`,
    `alpha (decision)  ${fig(r.overall.alpha)}`,
    `Fleiss kappa      ${fig(r.overall.fleiss)}`,
  ];
  for (const x of r.byRoute) lines.push(`route ${x.route}: alpha ${fig(x.alpha)}; Fleiss ${fig(x.fleiss)}`);
  for (const x of r.byLabel) lines.push(`label ${x.label}: alpha ${fig(x.alpha)}`);
  for (const x of r.byPair) lines.push(`pair ${x.a} / ${x.b}: Cohen kappa ${fig(x.kappa)}`);
  for (const x of r.byPeriod) lines.push(`period ${x.period}: alpha ${fig(x.alpha)}`);
  return `${lines.join('\n')}\n`;
}

const teamCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub !== 'agreement') throw new UsageError('use "team agreement"');
  const { values } = parse(rest, { route: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, resamples: { type: 'string' }, seed: { type: 'string' }, team: { type: 'string' } });
  const resamples = intOption(values.resamples, 'resamples', { min: 0, max: 10_000, fallback: 200 });
  const seed = intOption(values.seed, 'seed', { min: 0, max: 2 ** 31 - 1, fallback: 20111 });
  const filter = { route: values.route, from: day(values.from, 'from'), to: day(values.to, 'to') };
  // --team: the same statistics over the team database's verdicts (leads and data roles).
  if (values.team !== undefined)
    return withTeamSteps(values.team, async (call) => {
      const report = await call('team.lead.agreement', { ...filter, resamples, seed });
      out(values.json, report, () => agreementText(report));
      return 0;
    });
  return withHandlers(workspacePath(values.workspace), async (call) => {
    const report = await call('agreement.report', { ...filter, resamples, seed });
    out(values.json, report, () => agreementText(report));
    return 0;
  });
};

const adjudicationCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub === 'list') {
    const { values } = parse(rest, { limit: { type: 'string' } });
    const limit = intOption(values.limit, 'limit', { min: 1, max: 10_000, fallback: 50 });
    return withHandlers(workspacePath(values.workspace), async (call) => {
      const { rows, disputed } = await call('adjudication.queue', { limit: Math.min(limit, 500) });
      out(values.json, { disputed, rows }, () => `${disputed} items need adjudication\n${rows.map((r) => `${r.id}  ${r.route}  ${r.reviewers} reviewers  ${r.snippet.slice(0, 60)}`).join('\n')}\n`);
      return 0;
    });
  }
  if (sub === 'decide') {
    const { values, positionals } = parse(rest, { decision: { type: 'string' }, labels: { type: 'string' }, rationale: { type: 'string' } }, 1);
    const itemId = positionals[0];
    if (!itemId) throw new UsageError('give the item: adjudication decide ITEM --decision violation|dismiss');
    const decision = values.decision;
    if (decision !== 'violation' && decision !== 'dismiss') throw new UsageError('--decision must be violation or dismiss');
    // The adjudicator is the workspace's reviewer (as in the app), else the OS user.
    return withHandlers(workspacePath(values.workspace), async (call) => {
      const view = await call('adjudication.decide', {
        itemId,
        decision,
        labels: values.labels ? values.labels.split(',').map((s) => s.trim()).filter(Boolean) : [],
        rationale: values.rationale ?? null,
      });
      const v = view.adjudication!;
      out(values.json, v, () => `adjudicated ${itemId}: ${v.decision} (verdict ${v.id})\n`);
      return 0;
    });
  }
  throw new UsageError('use "adjudication list" or "adjudication decide ITEM --decision D"');
};

export const EXPERT_COMMANDS: Record<string, Command> = { adjudication: adjudicationCmd };
/** `verdict team agreement`: the team command hands this subcommand over. */
export const teamAgreementCmd = teamCmd;
