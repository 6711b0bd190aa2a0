/**
 * `verdict hold|release|reopen ITEM` and `verdict gold mark|unmark|list`, `verdict holds list`:
 * the expert-review item actions of a local workspace, through the handlers (each one audited
 * there, in the same transaction as its item_actions row). Merged into COMMANDS by commands.ts.
 */
import { UsageError } from '../core/util/errors.ts';
import { out, parse, workspacePath } from './args.ts';
import { withHandlers } from './handlers.ts';
import { table } from './table.ts';

type Command = (argv: string[]) => Promise<number>;

export const HOLD_GOLD_HELP = `  hold ITEM                     put an item on hold with a reason and a review-by date
  release ITEM                  take an item off hold
  reopen ITEM                   reopen a decided item with a reason (its verdicts stay in the record)
  holds list                    the items on hold, overdue ones marked
  gold mark|unmark|list         gold items (known answers) and each reviewer's accuracy on them
  gold rate [ROUTE RATE|off]    the share of each route's desk queue that is gold items
`;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A review-by date: a UTC day (YYYY-MM-DD, meaning its start) or an ISO date-time with offset. */
function reviewBy(v: string | undefined): string {
  if (v === undefined) throw new UsageError('give --review-by YYYY-MM-DD (or an ISO date-time with offset): when the hold is due for review');
  if (DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))) return `${v}T00:00:00Z`;
  if (DATETIME.test(v) && !Number.isNaN(Date.parse(v))) return v;
  throw new UsageError('--review-by must be YYYY-MM-DD or an ISO date-time with offset, e.g. 2026-12-10T09:00:00Z');
}

function itemArg(positionals: string[], usage: string): string {
  const id = positionals[0];
  if (!id) throw new UsageError(`give the item: ${usage}`);
  return id;
}

function reasonArg(v: string | undefined, usage: string): string {
  if (v === undefined || v.trim() === '') throw new UsageError(`give --reason TEXT: ${usage}`);
  return v;
}


const holdCmd: Command = async (argv) => {
  const usage = 'hold ITEM --reason TEXT --review-by YYYY-MM-DD';
  const { values, positionals } = parse(argv, { reason: { type: 'string' }, 'review-by': { type: 'string' } }, 1);
  const itemId = itemArg(positionals, usage);
  const input = { itemId, reason: reasonArg(values.reason, usage), reviewBy: reviewBy(values['review-by']) };
  return withHandlers(workspacePath(values.workspace), async (call) => {
    const a = await call('item.hold', input);
    out(values.json, a, () => `held ${itemId} until ${a.dueAt ?? input.reviewBy} (action ${a.id}, audit #${a.auditSeq})\n`);
    return 0;
  });
};

const releaseCmd: Command = async (argv) => {
  const { values, positionals } = parse(argv, {}, 1);
  const itemId = itemArg(positionals, 'release ITEM');
  return withHandlers(workspacePath(values.workspace), async (call) => {
    const a = await call('item.release', { itemId });
    out(values.json, a, () => `released ${itemId} (action ${a.id}, audit #${a.auditSeq})\n`);
    return 0;
  });
};

const reopenCmd: Command = async (argv) => {
  const usage = 'reopen ITEM --reason TEXT';
  const { values, positionals } = parse(argv, { reason: { type: 'string' } }, 1);
  const itemId = itemArg(positionals, usage);
  const reason = reasonArg(values.reason, usage);
  return withHandlers(workspacePath(values.workspace), async (call) => {
    const a = await call('item.reopen', { itemId, reason });
    out(values.json, a, () => `reopened ${itemId} (action ${a.id}, audit #${a.auditSeq})\n`);
    return 0;
  });
};

const holdsCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub !== 'list') throw new UsageError('use "holds list"');
  const { values } = parse(rest, {});
  return withHandlers(workspacePath(values.workspace), async (call) => {
    const r = await call('holds.list', {});
    out(values.json, r, () =>
      r.holds.length === 0
        ? 'no items on hold\n'
        : table(r.holds, [
            { header: 'item', value: (h) => h.itemId },
            { header: 'route', value: (h) => h.route, max: 24 },
            { header: 'review by', value: (h) => `${h.reviewBy}${h.overdue ? ' OVERDUE' : ''}` },
            { header: 'held by', value: (h) => h.heldBy, max: 24 },
            { header: 'reason', value: (h) => h.reason, max: 60 },
          ]),
    );
    return 0;
  });
};

const RATE_USAGE = 'gold rate [ROUTE RATE|off]';

/** A gold rate: a share from 0 to 1 (0.05) or a percentage (5%); "off" (or 0) takes the route's rate away. */
function rateArg(v: string): number | null {
  const pct = /^(\d+(\.\d+)?)%$/.exec(v);
  const share = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(v) ? Number(v) : pct ? Number(pct[1]) / 100 : NaN;
  if (v === 'off') return null;
  if (!(share >= 0 && share <= 1)) throw new UsageError(`RATE must be a share from 0 to 1 (0.05), a percentage from 0% to 100% (5%) or "off", got "${v}": ${RATE_USAGE}`);
  return share === 0 ? null : share;
}

const rateText = (r: number) => `${+(r * 100).toFixed(2)}% (about 1 item in ${Math.round(1 / r)})`;

/**
 * `gold rate`: the per-route gold rates (expert settings goldRates); with ROUTE RATE, sets one
 * through expert.setSettings, which writes the settings and their audit event in one transaction.
 */
async function goldRate(rest: string[]): Promise<number> {
  const { values, positionals } = parse(rest, {}, 2);
  const [route, rate] = positionals;
  if (route !== undefined && rate === undefined) throw new UsageError(`give the rate too: ${RATE_USAGE}`);
  if (route !== undefined && (route.trim() === '' || route.length > 64)) throw new UsageError(`ROUTE must be 1 to 64 characters: ${RATE_USAGE}`);
  const next = rate === undefined ? null : rateArg(rate);
  return withHandlers(workspacePath(values.workspace), async (call) => {
    const settings = await call('expert.settings', {});
    if (route === undefined) {
      const rows = Object.entries(settings.goldRates).filter(([, r]) => r > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      out(values.json, { goldRates: settings.goldRates }, () =>
        rows.length === 0 ? 'no gold rates: gold items are not mixed into any queue\n' : table(rows, [{ header: 'route', value: ([r]) => r, max: 40 }, { header: 'gold rate', value: ([, r]) => rateText(r) }]),
      );
      return 0;
    }
    const was = settings.goldRates[route];
    const goldRates = { ...settings.goldRates };
    if (next === null) delete goldRates[route];
    else goldRates[route] = next;
    const saved = await call('expert.setSettings', { ...settings, goldRates });
    out(values.json, { route, rate: next, was: was ?? null, goldRates: saved.goldRates }, () =>
      `gold rate on route ${route}: ${next === null ? 'off' : rateText(next)} (was ${was ? rateText(was) : 'off'}); audited as settings.changed\n`,
    );
    return 0;
  });
}

const goldCmd: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub === 'mark') {
    const usage = 'gold mark ITEM --decision violation|dismiss|escalate [--labels A,B]';
    const { values, positionals } = parse(rest, { decision: { type: 'string' }, labels: { type: 'string' } }, 1);
    const itemId = itemArg(positionals, usage);
    const decision = values.decision;
    if (decision !== 'violation' && decision !== 'dismiss' && decision !== 'escalate') throw new UsageError(`--decision must be violation, dismiss or escalate: ${usage}`);
    const labels = values.labels ? values.labels.split(',').map((s) => s.trim()).filter(Boolean) : [];
    return withHandlers(workspacePath(values.workspace), async (call) => {
      const a = await call('gold.mark', { itemId, decision, labels });
      out(values.json, a, () => `marked ${itemId} gold: ${decision}${labels.length ? ` (${labels.join(', ')})` : ''} (action ${a.id}, audit #${a.auditSeq})\n`);
      return 0;
    });
  }
  if (sub === 'unmark') {
    const { values, positionals } = parse(rest, {}, 1);
    const itemId = itemArg(positionals, 'gold unmark ITEM');
    return withHandlers(workspacePath(values.workspace), async (call) => {
      const a = await call('gold.unmark', { itemId });
      out(values.json, a, () => `unmarked ${itemId} (action ${a.id}, audit #${a.auditSeq})\n`);
      return 0;
    });
  }
  if (sub === 'list') {
    const { values } = parse(rest, {});
    return withHandlers(workspacePath(values.workspace), async (call) => {
      const r = await call('gold.list', {});
      out(values.json, r, () => {
        const items =
          r.items.length === 0
            ? 'no gold items\n'
            : table(r.items, [
                { header: 'item', value: (g) => g.itemId },
                { header: 'route', value: (g) => g.route, max: 24 },
                { header: 'gold', value: (g) => `${g.decision}${g.labels.length ? ` ${g.labels.join(',')}` : ''}`, max: 40 },
                { header: 'marked by', value: (g) => g.markedBy, max: 24 },
              ]);
        const acc =
          r.accuracy.length === 0
            ? ''
            : `\n${table(r.accuracy, [
                { header: 'reviewer', value: (a) => a.reviewer, max: 24 },
                { header: 'month', value: (a) => a.period },
                { header: 'items', value: (a) => String(a.items) },
                { header: 'correct', value: (a) => String(a.correct) },
                { header: 'exact', value: (a) => String(a.exact) },
              ])}`;
        return items + acc;
      });
      return 0;
    });
  }
  if (sub === 'rate') return goldRate(rest);
  throw new UsageError('use "gold mark ITEM --decision D", "gold unmark ITEM", "gold list" or "gold rate [ROUTE RATE|off]"');
};

export const HOLD_GOLD_COMMANDS: Record<string, Command> = { hold: holdCmd, release: releaseCmd, reopen: reopenCmd, holds: holdsCmd, gold: goldCmd };
