/**
 * `verdict team init|user|route|inbox` and the --team forms of ingest and audit verify. Parses
 * arguments and prints; the handlers in core/team do the work.
 */
import { readFileSync } from 'node:fs';
import { addTeamMember, initTeamDatabase, listTeamMembers, setTeamRoute } from '../core/team/admin.ts';
import { ingestFileToTeam, processInbox, type TeamIngestSummary } from '../core/team/ingest.ts';
import { verifyTeam } from '../core/team/verify.ts';
import type { TreeHead } from '../core/audit/merkle.ts';
import { UsageError } from '../core/util/errors.ts';
import { config } from '../core/config.ts';
import { intOption, out, parse } from './args.ts';
import { watchAndPull } from './watch.ts';
import { teamAgreementCmd } from './expert-commands.ts';
import { TEAM_EXPERT_COMMANDS, TEAM_EXPERT_STEPS } from './team-expert-commands.ts';

function dbUrl(v: unknown, flag = '--db'): string {
  const url = typeof v === 'string' && v !== '' ? v : config().teamUrl;
  if (!url) throw new UsageError(`give the team database as ${flag} postgres://USER@HOST/DB (or set VERDICT_TEAM_URL); the password can come from PGPASSWORD`);
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError(`${flag} must be a postgres:// URL, got "${url.slice(0, 40)}"`);
  return url;
}

function readStdinLine(): string {
  return readFileSync(0, 'utf8').split('\n')[0]!.trim();
}

const summaryLine = (s: TeamIngestSummary) =>
  `read ${s.read}, ingested ${s.ingested}, duplicates ${s.duplicates}, revisions ${s.revisions}, quarantined ${s.quarantined}\n`;

export async function teamCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  // Agreement works over a local workspace as well as a team's (issue 13): its own command file.
  if (sub === 'agreement') return teamAgreementCmd(argv);
  // The expert steps over a team database (issue 13): their own command file.
  const step = TEAM_EXPERT_STEPS.find((x) => x === sub);
  if (step) return TEAM_EXPERT_COMMANDS[step](rest);
  if (sub === 'init') {
    const { values } = parse(rest, { db: { type: 'string' } });
    const res = await initTeamDatabase(dbUrl(values.db));
    out(values.json, res, () =>
      res.applied.length
        ? `team database ready (schema version ${res.version}; applied ${res.applied.join(', ')})\nadd people with "verdict team user add NAME --role reviewer --routes trust_safety --db URL"\n`
        : `team database already at schema version ${res.version}; nothing to do\n`,
    );
    return 0;
  }
  if (sub === 'user') {
    const [action, ...more] = rest;
    if (action === 'list') {
      const { values } = parse(more, { db: { type: 'string' } });
      const users = await listTeamMembers(dbUrl(values.db));
      out(values.json, users, () => (users.length ? users.map((u) => `${u.user.padEnd(20)} ${u.role.padEnd(12)} ${u.routes.join(',')}\n`).join('') : 'no team members yet\n'));
      return 0;
    }
    if (action !== 'add') throw new UsageError('use "team user add NAME --role ROLE --routes a,b" or "team user list"');
    const { values, positionals } = parse(
      more,
      { db: { type: 'string' }, role: { type: 'string' }, routes: { type: 'string' }, 'password-stdin': { type: 'boolean', default: false } },
      1,
    );
    const name = positionals[0];
    if (!name) throw new UsageError('give the person\'s user name: "team user add NAME --role reviewer --routes trust_safety"');
    if (!values.role) throw new UsageError('give --role reviewer|expert|adjudicator|lead|data');
    const routes = (values.routes ?? '').split(',').map((r) => r.trim()).filter(Boolean);
    const password = values['password-stdin'] ? readStdinLine() : null;
    const res = await addTeamMember(dbUrl(values.db), { name, role: values.role, routes, password });
    out(values.json, res, () =>
      `${res.created ? 'created' : 'updated'} ${res.user} (${res.role}; routes: ${res.routes.join(', ') || 'none'})\n` +
      (res.generatedPassword ? `password (shown once; give it to ${res.user} through a safe channel): ${res.generatedPassword}\n` : ''),
    );
    return 0;
  }
  if (sub === 'route') {
    const [action, ...more] = rest;
    if (action !== 'set') throw new UsageError('use "team route set NAME [--reviews N] [--lease-seconds S] [--blind|--no-blind]"');
    const { values, positionals } = parse(
      more,
      { db: { type: 'string' }, reviews: { type: 'string' }, 'lease-seconds': { type: 'string' }, blind: { type: 'boolean' }, 'no-blind': { type: 'boolean' } },
      1,
    );
    const route = positionals[0];
    if (!route) throw new UsageError('give the route name: "team route set clinical --reviews 2"');
    if (values.blind && values['no-blind']) throw new UsageError('give --blind or --no-blind, not both');
    const reviews = intOption(values.reviews, 'reviews', { min: 1, max: 20 });
    const leaseSeconds = intOption(values['lease-seconds'], 'lease-seconds', { min: 1, max: 604_800 });
    const blind = values.blind ? true : values['no-blind'] ? false : null;
    await setTeamRoute(dbUrl(values.db), route, { reviews, leaseSeconds, blind });
    out(values.json, { route, reviews: reviews ?? null, leaseSeconds: leaseSeconds ?? null, blind }, () => `route ${route} updated (items already in the queue keep the review count they were ingested with)\n`);
    return 0;
  }
  if (sub === 'inbox') {
    const [action, ...more] = rest;
    if (action !== 'process') throw new UsageError('use "team inbox process --db URL"');
    const { values } = parse(more, { db: { type: 'string' }, 'batch-size': { type: 'string' } });
    const batchSize = intOption(values['batch-size'], 'batch-size', { min: 1, max: 100_000, fallback: 1000 });
    const s = await processInbox(dbUrl(values.db), { batchSize });
    out(values.json, s, () => summaryLine(s));
    return 0;
  }
  throw new UsageError('use "team init", "team user add|list", "team route set" or "team inbox process"');
}

/** `verdict ingest PATH --team URL [--preset P | --mapping FILE] [--watch]`: the local ingest's options. */
export async function teamIngest(
  path: string,
  url: string,
  options: { name?: string; batchSize?: number; json: boolean; preset?: string; mappingFile?: string; watch?: boolean; interval?: number },
): Promise<number> {
  const target = dbUrl(url, '--team');
  // Watching: each file is read from where the last run stopped.
  const positions = options.watch ? new Map<string, { offset: number; line: number }>() : undefined;
  const run = () => ingestFileToTeam(target, path, { name: options.name, batchSize: options.batchSize, preset: options.preset, mappingFile: options.mappingFile, positions });
  const s = await run();
  out(options.json, s, () => summaryLine(s));
  if (!options.watch) return 0;
  await watchAndPull(path, options.interval ?? 2, async () => {
    const more = await run();
    if (more.read > 0) out(options.json, more, () => summaryLine(more));
  });
  return 0;
}

/** `verdict audit verify --team URL [--head FILE]`: exit 1 on failure. */
export async function teamVerify(url: string, saved: TreeHead | undefined, json: boolean): Promise<number> {
  const res = await verifyTeam(dbUrl(url, '--team'), saved);
  if (res.ok) {
    out(json, res, () => `team audit log ok: ${res.head.size} events, root ${res.head.root}; state replayed and matches${res.pending ? ` (${res.pending} events still queued for the sequencer)` : ''}\n`);
    return 0;
  }
  out(json, res, () => `team audit ${res.stage} FAILED: ${res.reason}\n`);
  if (!json) process.stderr.write(`verdict audit: team verification failed (${res.stage}): ${res.reason}\n`);
  return 1;
}
