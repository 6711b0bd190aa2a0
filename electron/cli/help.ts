/**
 * `verdict <command> [subcommand] --help`: usage, options and an example for every command and
 * subcommand, in the manner of `git <cmd> --help` and cargo. One entry per command path.
 */
import { defaultWorkspacePath } from '../core/workspace/paths.ts';

export interface HelpEntry {
  usage: string;
  summary: string;
  options?: [string, string][];
  /** Subcommand names, for a command that groups them. */
  subcommands?: string[];
  examples: string[];
  /** Commands that do not open a workspace or have no JSON output say so. */
  noCommon?: boolean;
}

const NUMBER_NOTE = 'Numbers are whole numbers written in digits (no signs, exponents or fractions).';

export const HELP_ENTRIES: Record<string, HelpEntry> = {
  start: {
    usage: 'verdict start [--workspace PATH] [--port N] [--demo N]',
    summary: 'Open the app: the desktop window where the Electron binary can run, otherwise browser mode (prints the URL).',
    options: [
      ['--port N', 'browser mode: the port on 127.0.0.1 (default: any free port)'],
      ['--demo N', 'a new workspace starts with N synthetic escalations (default 1000 without --workspace, else 0)'],
    ],
    examples: ['verdict start', 'verdict start --workspace ~/reviews/oct.sqlite'],
  },
  serve: {
    usage: 'verdict serve [--workspace PATH] [--port N] [--demo N] [--json]',
    summary: 'Serve the app on 127.0.0.1 in browser mode and print its URL. The URL holds a per-launch key after the #: open it as printed.',
    options: [
      ['--port N', 'the port on 127.0.0.1 (default: any free port)'],
      ['--demo N', 'a new workspace starts with N synthetic escalations (default 1000 without --workspace, else 0)'],
    ],
    examples: ['verdict serve --workspace reviews.sqlite --port 8765'],
  },
  ingest: {
    usage: 'verdict ingest PATH|- [--preset hh-rlhf | --mapping FILE] [--name NAME] [--watch [--interval SECONDS]] [--batch-size N]',
    summary:
      'Pull escalations from a JSONL file, a folder of them, a .gz file or stdin (-). Lines already seen are skipped; lines that cannot be read are quarantined with their reason and location.',
    options: [
      ['--preset hh-rlhf', 'read a known foreign format'],
      ['--mapping FILE', 'read foreign JSONL through a field mapping (JSON)'],
      ['--name NAME', 'the source name (default: the file or folder name)'],
      ['--watch', 'keep pulling new lines and files until Ctrl+C'],
      ['--interval SECONDS', 'with --watch: how often to look (default 2)'],
      ['--batch-size N', 'rows per transaction (default: chosen for the input)'],
      ['--team URL', 'into a team database (postgres:// URL; password from PGPASSWORD) instead of the workspace; --preset, --mapping and --watch work the same'],
    ],
    examples: ['verdict ingest escalations.jsonl', 'zcat dump.jsonl.gz | verdict ingest - --name nightly', 'verdict ingest esc.jsonl --team postgres://ingest@db.example.org/verdict'],
  },
  demo: {
    usage: 'verdict demo [--count N] [--seed S] [--out FILE] [--reviews]',
    summary: 'Write N deterministic synthetic escalations into the workspace (marked DEMO), or into a JSONL file with --out.',
    options: [
      ['--count N', 'how many (default 500)'],
      ['--seed S', 'the same seed gives the same records (default 1)'],
      ['--out FILE', 'write JSONL to FILE instead of a workspace'],
      ['--reviews', 'also record a simulated review history (verdicts, escalations, volumes) for the Oversight screen'],
    ],
    examples: ['verdict demo --count 2000 --workspace demo.sqlite', 'verdict demo --count 50 --seed 7 --out sample.jsonl'],
  },
  stats: {
    usage: 'verdict stats',
    summary: 'Counts per status and route, sources, quarantine, search index backlog and the audit head.',
    examples: ['verdict stats --workspace reviews.sqlite'],
  },
  reindex: {
    usage: 'verdict reindex [--all]',
    summary: 'Rebuild the full-text search index (and the filter counts) of items indexed in an older format, in short write transactions.',
    options: [['--all', 'rebuild every item, even when the index is in the current format']],
    examples: ['verdict reindex', 'verdict reindex --all --json'],
  },
  items: {
    usage: 'verdict items list|show …',
    summary: 'The queue and its items.',
    subcommands: ['list', 'show'],
    examples: ['verdict items list --status new --limit 20'],
  },
  'items list': {
    usage: 'verdict items list [--status S]… [--route R]… [--search Q] [--limit N] [--after CURSOR]',
    summary: 'The queue in review order, as a table. A longer queue ends with the --after CURSOR for the next page.',
    options: [
      ['--status S', 'new, in_review, decided, escalated, conflict or skipped (repeatable)'],
      ['--route R', 'only this route (repeatable)'],
      ['--search Q', 'full-text search'],
      ['--limit N', 'rows per page, 1 to 1000 (default 50)'],
      ['--after CURSOR', 'the next page, as printed by the previous one'],
    ],
    examples: ['verdict items list --status new --search "credit card" --limit 20'],
  },
  'items show': {
    usage: 'verdict items show ID',
    summary: 'One item: its conversation, flags, provenance, revisions and verdicts, as a readable view (the full record with --json).',
    examples: ['verdict items show esc-000042', 'verdict items show esc-000042 --json | jq .record'],
  },
  sources: {
    usage: 'verdict sources list',
    summary: 'Registered sources.',
    subcommands: ['list'],
    examples: ['verdict sources list'],
  },
  'sources list': {
    usage: 'verdict sources list',
    summary: 'Registered sources as a table: id, kind, name and where they are read from.',
    examples: ['verdict sources list --workspace reviews.sqlite'],
  },
  quarantine: {
    usage: 'verdict quarantine list',
    summary: 'Lines that could not be ingested.',
    subcommands: ['list'],
    examples: ['verdict quarantine list --limit 20'],
  },
  'quarantine list': {
    usage: 'verdict quarantine list [--limit N]',
    summary: 'Lines that could not be ingested, with file, line, byte offset, reason and JSON path.',
    options: [['--limit N', 'how many, 1 to 100000 (default 100)']],
    examples: ['verdict quarantine list --limit 20'],
  },
  audit: {
    usage: 'verdict audit verify|head|proof …',
    summary: 'The tamper-evident audit log (a Merkle tree over every change, RFC 6962).',
    subcommands: ['verify', 'head', 'proof'],
    examples: ['verdict audit verify'],
  },
  'audit verify': {
    usage: 'verdict audit verify [--head FILE] [--team URL]',
    summary: 'Recompute the audit log. With a head saved earlier (audit head --json > FILE), also prove the log still extends it. Exit 1 on failure.',
    options: [
      ['--head FILE', 'a saved head: {"size":N,"root":"<hex>"}'],
      ['--team URL', 'verify a team database instead: sequence queued events, recompute the tree, replay the log against the tables (a lead or admin login)'],
    ],
    examples: ['verdict audit verify --head head-2026-11-01.json', 'verdict audit verify --team postgres://lead@db.example.org/verdict?sslmode=verify-full'],
  },
  'audit head': {
    usage: 'verdict audit head',
    summary: 'The audit log head: its size and root hash. Save it with --json to check later with audit verify --head.',
    examples: ['verdict audit head --json > head.json'],
  },
  'audit proof': {
    usage: 'verdict audit proof --leaf N | --from-size M',
    summary: 'An RFC 6962 inclusion proof for event N, or a consistency proof from an earlier size M to now.',
    options: [
      ['--leaf N', 'the event (leaf index, from 0)'],
      ['--from-size M', 'an earlier size of the log'],
    ],
    examples: ['verdict audit proof --leaf 12', 'verdict audit proof --from-size 100 --json'],
  },
  verdicts: {
    usage: 'verdict verdicts import FILE …',
    summary: 'Bring decisions made elsewhere in as verdicts.',
    subcommands: ['import'],
    examples: ['verdict verdicts import decisions.jsonl --reviewer ana'],
  },
  'verdicts import': {
    usage: 'verdict verdicts import FILE [--reviewer NAME] [--batch-size N] [--sync]',
    summary: 'Record decisions from a JSONL file as verdicts of kind "import"; bad lines are quarantined.',
    options: [
      ['--reviewer NAME', 'for lines without "reviewer"'],
      ['--batch-size N', 'lines per transaction (default 500)'],
      ['--sync', 'deliver verdicts back to their sources as batches commit'],
    ],
    examples: ['verdict verdicts import decisions.jsonl --reviewer ana --sync'],
  },
  sync: {
    usage: 'verdict sync [--source ID] [--batch-size N] | sync status | sync retry SOURCE_ID',
    summary: 'Deliver pending verdicts back to their sources now, then print the status per source.',
    subcommands: ['status', 'retry'],
    options: [
      ['--source ID', 'only this source'],
      ['--batch-size N', 'verdicts per write (default 500)'],
    ],
    examples: ['verdict sync', 'verdict sync --source src-1'],
  },
  'sync status': {
    usage: 'verdict sync status',
    summary: 'Per source: pending, delivered, failed, without a return path, and the last error.',
    examples: ['verdict sync status --json'],
  },
  'sync retry': {
    usage: 'verdict sync retry SOURCE_ID',
    summary: "Put a source's failed verdicts back in line and deliver them now.",
    examples: ['verdict sync retry src-1'],
  },
  export: {
    usage:
      'verdict export --format sft|preference|trl-dpo|classifier --out DIR [--jsonl|--parquet|--both] [filters…] | export verify DIR',
    summary: 'Write a retraining dataset from reviewed items: JSONL shards and/or a Hugging Face Parquet folder, with a dataset card, checksums and an audit record.',
    subcommands: ['verify'],
    options: [
      ['--format F', 'sft, preference, trl-dpo or classifier'],
      ['--out DIR', 'a new or empty folder'],
      ['--jsonl | --parquet | --both', 'what to write (default both)'],
      ['--decision D, --label L, --route R, --model M, --reviewer NAME', 'filters (repeat or comma-separate)'],
      ['--from ISO, --to ISO', 'a time window'],
      ['--seed N, --split 0.8,0.1,0.1', 'the deterministic train/validation/test split'],
      ['--license ID', 'the dataset card licence'],
      ['--include-dismissed', 'dismissed items too'],
      ['--no-redact, --allow-unredacted', 'PII redaction is on by default; exporting unredacted PII is refused unless allowed'],
      ['--shard-rows N, --threads N', 'shard size; worker threads'],
      ['--team URL', 'from a team database (a lead or data login): decided items, the verdict in force; the event goes into the team audit log'],
    ],
    examples: ['verdict export --format classifier --out datasets/2026-11 --jsonl', 'verdict export --format classifier --out datasets/team-11 --team postgres://data@db.example.org/verdict'],
  },
  'export verify': {
    usage: 'verdict export verify DIR [--quick] [--team URL]',
    summary: "Check an export's files against its manifest and its record in the workspace's audit log. Exit 1 on failure.",
    options: [
      ['--quick', 'sizes and the audit record only, no file hashing'],
      ['--team URL', "a team database's export: check its record and proof in the team audit log (and, unless --quick, verify the whole log)"],
    ],
    examples: ['verdict export verify datasets/2026-11 --workspace reviews.sqlite'],
  },
  links: {
    usage: 'verdict links list | allow HOST… | remove HOST…',
    summary:
      "The workspace's trusted link hosts. Links in reviewed content open in the desktop app only for http(s), after an in-app confirmation showing the full URL; hosts not on this list also ask in a system dialog.",
    subcommands: ['list', 'allow', 'remove'],
    examples: ['verdict links allow docs.example.org "*.wikipedia.org"'],
  },
  'links list': {
    usage: 'verdict links list',
    summary: 'The trusted link hosts.',
    examples: ['verdict links list --json'],
  },
  'links allow': {
    usage: 'verdict links allow HOST…',
    summary: 'Add hosts to the trusted list ("*.example.org" covers its subdomains). Recorded in the audit log.',
    examples: ['verdict links allow docs.example.org "*.wikipedia.org"'],
  },
  'links remove': {
    usage: 'verdict links remove HOST…',
    summary: 'Take hosts off the trusted list. Recorded in the audit log.',
    examples: ['verdict links remove docs.example.org'],
  },
  report: {
    usage: 'verdict report --from DAY --to DAY (--out FILE | --json)',
    summary:
      'The oversight report for UTC days DAY..DAY (YYYY-MM-DD): metrics with their definitions, the model comparison, notable items by id (content never included) and the audit head with a check that every counted verdict is in the log. Self-contained, printable HTML; --json prints the same numbers.',
    options: [
      ['--from DAY', 'first UTC day (YYYY-MM-DD)'],
      ['--to DAY', 'last UTC day (YYYY-MM-DD)'],
      ['--out FILE', 'write the HTML report to FILE'],
    ],
    examples: ['verdict report --from 2026-11-23 --to 2026-11-29 --out weekly.html', 'verdict report --from 2026-11-01 --to 2026-11-30 --json'],
  },
  volumes: {
    usage: 'verdict volumes import FILE',
    summary: 'Screened-event counts per day and model version: the denominators of rates per 1,000 events.',
    subcommands: ['import'],
    examples: ['verdict volumes import volumes.jsonl'],
  },
  'volumes import': {
    usage: 'verdict volumes import FILE',
    summary:
      'Record screened-event counts from JSONL lines {"type":"volume","date":"YYYY-MM-DD","model":M,"model_version":V,"screened":N}. Recorded in the audit log.',
    examples: ['verdict volumes import volumes.jsonl --json'],
  },
  'team agreement': {
    usage: 'verdict team agreement [--team URL] [--route R] [--from DAY] [--to DAY] [--resamples N] [--seed N]',
    summary:
      "Agreement between reviewers over each one's standing decision per item: Krippendorff's alpha (nominal, missing data allowed) overall, per route and per month, binary alpha per label, Cohen's kappa per reviewer pair and Fleiss' kappa per route, each with a 95% percentile bootstrap interval over items and the number of items behind it. Adjudications are not ratings.",
    options: [
      ['--route R', 'only items on route R'],
      ['--from DAY', 'decisions from this UTC day (YYYY-MM-DD)'],
      ['--to DAY', 'decisions up to this UTC day, inclusive'],
      ['--resamples N', 'bootstrap resamples (default 200; 0: no intervals)'],
      ['--seed N', 'bootstrap seed (default 20111): the same seed gives the same intervals'],
      ['--team URL', "over a team database's reviewer verdicts instead of the workspace (leads and data roles)"],
    ],
    examples: ['verdict team agreement', 'verdict team agreement --route clinical --json', 'verdict team agreement --team postgres://lea@db/verdict --route clinical'],
  },
  adjudication: {
    usage: 'verdict adjudication list|decide',
    summary: 'Items whose reviewers disagree (decision or labels), and the adjudicator decision that is then in force.',
    subcommands: ['list', 'decide'],
    examples: ['verdict adjudication list'],
  },
  'adjudication list': {
    usage: 'verdict adjudication list [--limit N]',
    summary: 'The items that need adjudication, in queue order (priority, then age).',
    options: [['--limit N', 'at most N items (default 50)']],
    examples: ['verdict adjudication list --json'],
  },
  'adjudication decide': {
    usage: 'verdict adjudication decide ITEM --decision violation|dismiss [--labels A,B] [--rationale TEXT]',
    summary: "Record the adjudicator's verdict (the adjudicator is the workspace's reviewer, as in the app): it is in force over the reviewers' verdicts, which stay in the record. Audited.",
    options: [
      ['--decision D', 'violation or dismiss'],
      ['--labels A,B', 'labels, comma-separated'],
      ['--rationale TEXT', 'why (stored; the audit log keeps its SHA-256)'],
    ],
    examples: ['verdict adjudication decide 0193f0c2-... --decision dismiss --rationale "fiction, no uplift"'],
  },
  hold: {
    usage: 'verdict hold ITEM --reason TEXT --review-by DATE',
    summary: 'Put an item on hold (status on_hold) with a reason and the date it is due for review; overdue holds show in `holds list` and the app. Audited.',
    options: [
      ['--reason TEXT', 'why it waits (stored; the audit log keeps its SHA-256)'],
      ['--review-by DATE', 'YYYY-MM-DD (the start of that UTC day) or an ISO date-time with offset'],
    ],
    examples: ['verdict hold 0193f0c2-... --reason "waiting for counsel" --review-by 2026-12-10'],
  },
  release: {
    usage: 'verdict release ITEM',
    summary: 'Take an item off hold: it goes back to the status it had before. Audited.',
    examples: ['verdict release 0193f0c2-...'],
  },
  reopen: {
    usage: 'verdict reopen ITEM --reason TEXT',
    summary: 'Reopen a decided item for review with a reason; its verdicts stay in the record (lineage kept). Audited.',
    options: [['--reason TEXT', 'why (stored; the audit log keeps its SHA-256)']],
    examples: ['verdict reopen 0193f0c2-... --reason "new clinical guidance"'],
  },
  // The actor of hold, release, reopen and gold is the workspace's reviewer (as in the app), else the OS user.
  holds: {
    usage: 'verdict holds list',
    summary: 'The items on hold.',
    subcommands: ['list'],
    examples: ['verdict holds list'],
  },
  'holds list': {
    usage: 'verdict holds list [--json]',
    summary: 'The items on hold with reason, review-by date (OVERDUE when past) and who held them.',
    examples: ['verdict holds list --json'],
  },
  gold: {
    usage: 'verdict gold mark|unmark|list|rate',
    summary: "Gold items: items with a known answer, kept out of exports, against which each reviewer's accuracy is measured.",
    subcommands: ['mark', 'unmark', 'list', 'rate'],
    examples: ['verdict gold list'],
  },
  'gold mark': {
    usage: 'verdict gold mark ITEM --decision violation|dismiss|escalate [--labels A,B]',
    summary: 'Mark an item gold with its known answer. Audited.',
    options: [
      ['--decision D', 'violation, dismiss or escalate'],
      ['--labels A,B', 'the gold labels, comma-separated'],
    ],
    examples: ['verdict gold mark 0193f0c2-... --decision violation --labels S2'],
  },
  'gold unmark': {
    usage: 'verdict gold unmark ITEM',
    summary: 'Take the gold mark off an item (the mark stays in its history). Audited.',
    examples: ['verdict gold unmark 0193f0c2-...'],
  },
  'gold rate': {
    usage: 'verdict gold rate [ROUTE RATE|off] [--json]',
    summary:
      "Without arguments, each route's gold rate. With ROUTE RATE, sets the share of that route's desk queue that is gold items, mixed in where reviewers cannot tell them apart (on such a route the item view hides gold marks); off takes it away. Audited (settings.changed).",
    options: [['RATE', 'a share from 0 to 1 (0.05), a percentage (5%), or off (same as 0)']],
    examples: ['verdict gold rate', 'verdict gold rate clinical 5%', 'verdict gold rate legal 0.02', 'verdict gold rate clinical off'],
  },
  'gold list': {
    usage: 'verdict gold list [--json]',
    summary: "The gold items, then each reviewer's accuracy per month on them (decision correct; decision and labels exact).",
    examples: ['verdict gold list --json'],
  },
  bench: {
    usage: 'verdict bench [--count N] [--dir PATH] [--only ingest,queries,open,review,trust,oversight,oversight-session,paint,export,team,team-export,agreement] [--verdicts N] [--batch N]',
    summary: 'Run the benchmark: prints figures (throughput, latency, peak memory); asserts nothing.',
    options: [
      ['--count N', 'escalations to generate (default 1,000,000)'],
      ['--dir PATH', 'where to work (default: a folder in the temp dir)'],
      ['--only LIST', 'phases to run; team and team-export start their own PostgreSQL (team-export: N items decided, then export --team, rows/s)'],
      ['--verdicts N', "oversight-session: verdicts in the simulated reviewer's session (default 2,500)"],
      ['--batch N', "oversight-session: the background catch-up's batch (default: the app's, 1,000)"],
    ],
    examples: ['npm run bench -- --count 100000 --only ingest,queries', 'npm run bench -- --count 100000 --only team-export'],
    noCommon: true,
  },
  team: {
    usage: 'verdict team init|user|route|inbox … --db URL | verdict team agreement',
    summary: 'A team queue on PostgreSQL: schema, people, routes and the inbox. URL: postgres://USER@HOST:PORT/DB (add ?sslmode=verify-full for TLS); the password from PGPASSWORD or the URL. "team agreement" reports reviewer agreement over a workspace.',
    subcommands: ['init', 'user add', 'user list', 'route set', 'inbox process', 'agreement', 'claim', 'adjudicate', 'escalate', 'expert', 'hold', 'release', 'reopen', 'gold', 'history'],
    examples: ['verdict team init --db postgres://admin@db.example.org/verdict'],
    noCommon: true,
  },
  'team init': {
    usage: 'verdict team init --db URL [--json]',
    summary: 'Create or upgrade the team schema, group roles and row-level-security policies (versioned migrations; running it again changes nothing). Needs an administrator login (CREATEROLE).',
    options: [['--db URL', 'the team database (or $VERDICT_TEAM_URL)']],
    examples: ['verdict team init --db postgres://admin@db.example.org/verdict'],
    noCommon: true,
  },
  'team user': {
    usage: 'verdict team user add|list …',
    summary: 'People: one PostgreSQL login role per person, with a Verdict role and routes.',
    subcommands: ['add', 'list'],
    examples: ['verdict team user list --db postgres://admin@db.example.org/verdict'],
    noCommon: true,
  },
  'team user add': {
    usage: 'verdict team user add NAME --role reviewer|expert|adjudicator|lead|data [--routes a,b] [--password-stdin] --db URL [--json]',
    summary: 'Create (or update) a person\'s PostgreSQL role, their Verdict role and routes. Without --password-stdin a password is generated and printed once.',
    options: [
      ['--role ROLE', 'reviewer, expert, adjudicator, lead or data'],
      ['--routes a,b', 'the routes they may see and review'],
      ['--password-stdin', 'read the password (12+ characters) from the first line of stdin'],
      ['--db URL', 'the team database, as an administrator'],
    ],
    examples: ['verdict team user add ann --role reviewer --routes trust_safety,clinical --db postgres://admin@db/verdict'],
    noCommon: true,
  },
  'team user list': {
    usage: 'verdict team user list --db URL [--json]',
    summary: 'Team members with their role and routes.',
    options: [['--db URL', 'the team database']],
    examples: ['verdict team user list --db postgres://lead@db/verdict'],
    noCommon: true,
  },
  'team route': {
    usage: 'verdict team route set NAME …',
    summary: 'Route settings: reviews per item, lease time, blind review.',
    subcommands: ['set'],
    examples: ['verdict team route set clinical --reviews 2 --db postgres://lead@db/verdict'],
    noCommon: true,
  },
  'team route set': {
    usage: 'verdict team route set NAME [--reviews N] [--lease-seconds N] [--blind | --no-blind] --db URL [--json]',
    summary: 'Create or change a route. Items keep the review count they were ingested with.',
    options: [
      ['--reviews N', 'independent reviews per item, 1 to 20 (default 1)'],
      ['--lease-seconds N', 'how long a claim lasts without a heartbeat (default 600)'],
      ['--blind, --no-blind', 'hide others\' verdicts until one\'s own is in (default blind)'],
      ['--db URL', 'the team database, as a lead or administrator'],
    ],
    examples: ['verdict team route set clinical --reviews 2 --lease-seconds 900 --db postgres://lead@db/verdict'],
    noCommon: true,
  },
  'team inbox': {
    usage: 'verdict team inbox process …',
    summary: 'The inbox table producers in any language insert into (INSERT INTO verdict.inbox (source, payload) VALUES (…)).',
    subcommands: ['process'],
    examples: ['verdict team inbox process --db postgres://lead@db/verdict'],
    noCommon: true,
  },
  'team claim': {
    usage: 'verdict team claim [--route R] --team URL [--json]',
    summary: 'Claim your next item (gold items mixed in at the route\'s rate) and print its id and lease token, for "team escalate" or "team hold".',
    options: [['--route R', 'only route R'], ['--team URL', 'the team database, as yourself (or $VERDICT_TEAM_URL); the password from PGPASSWORD or the URL']],
    examples: ['verdict team claim --team postgres://ann@db/verdict'],
    noCommon: true,
  },
  'team adjudicate': {
    usage: 'verdict team adjudicate [ITEM --token T --decision violation|dismiss [--labels a,b] [--severity S] [--rationale TEXT]] --team URL [--json]',
    summary: 'Without ITEM: claim the next disagreement under an adjudication lease and show every verdict (names hidden on blind routes until decided). With ITEM: decide it; the decision is the verdict in force. Adjudicators and leads.',
    options: [['--token T', 'the adjudication lease from the claim'], ['--decision D', 'violation or dismiss'], ['--labels a,b', 'labels of the decision'], ['--severity S', 'severity'], ['--rationale TEXT', 'why'], ['--team URL', 'the team database, as yourself (or $VERDICT_TEAM_URL); the password from PGPASSWORD or the URL']],
    examples: ['verdict team adjudicate --team postgres://ada@db/verdict', 'verdict team adjudicate 42 --token 901 --decision violation --labels S1 --team postgres://ada@db/verdict'],
    noCommon: true,
  },
  'team escalate': {
    usage: 'verdict team escalate ITEM --token T --to ROUTE --question TEXT --decision violation|dismiss [--labels a,b] --team URL [--json]',
    summary: 'Send an item you have claimed to an expert route with a question and your first-line verdict. Every lease on it ends (other reviewers\' late verdicts are refused as withdrawn); it waits in the expert pool with the route\'s SLA.',
    options: [['--token T', 'your lease (from "team claim")'], ['--to ROUTE', 'the expert route'], ['--question TEXT', 'what the expert should answer'], ['--decision D', 'your first-line decision'], ['--labels a,b', 'your first-line labels'], ['--team URL', 'the team database, as yourself (or $VERDICT_TEAM_URL); the password from PGPASSWORD or the URL']],
    examples: ['verdict team escalate 42 --token 900 --to clinical --question "Is this dose safe?" --decision dismiss --team postgres://ann@db/verdict'],
    noCommon: true,
  },
  'team expert': {
    usage: 'verdict team expert pool|claim|answer … --team URL',
    summary: 'The expert pool: what waits on your expert routes, claim the soonest due, answer with a verdict or a consult note.',
    subcommands: ['pool', 'claim', 'answer'],
    examples: ['verdict team expert pool --team postgres://eve@db/verdict'],
    noCommon: true,
  },
  'team expert pool': {
    usage: 'verdict team expert pool --team URL [--json]',
    summary: 'Escalations waiting on your expert routes (all for a lead), soonest due first, overdue marked.',
    options: [['--team URL', 'the team database, as yourself (or $VERDICT_TEAM_URL); the password from PGPASSWORD or the URL']],
    examples: ['verdict team expert pool --team postgres://eve@db/verdict --json'],
    noCommon: true,
  },
  'team expert claim': {
    usage: 'verdict team expert claim --team URL [--json]',
    summary: 'Claim the soonest-due escalation under an expert lease; prints its id, token and question.',
    options: [['--team URL', 'the team database, as yourself (or $VERDICT_TEAM_URL); the password from PGPASSWORD or the URL']],
    examples: ['verdict team expert claim --team postgres://eve@db/verdict'],
    noCommon: true,
  },
  'team expert answer': {
    usage: 'verdict team expert answer ESCALATION --token T (--decision violation|dismiss [--labels a,b] [--note TEXT] | --consult TEXT) --team URL [--json]',
    summary: 'Answer an escalation: a verdict decides the item (an overturn of the first-line verdict is counted), a consult note sends it back to first-line review with the note.',
    options: [['--token T', 'your expert lease'], ['--decision D', 'the expert verdict'], ['--labels a,b', 'its labels'], ['--note TEXT', 'a note with the verdict'], ['--consult TEXT', 'answer with a consult note instead'], ['--team URL', 'the team database, as yourself (or $VERDICT_TEAM_URL); the password from PGPASSWORD or the URL']],
    examples: ['verdict team expert answer 7 --token 950 --decision violation --labels S6 --team postgres://eve@db/verdict', 'verdict team expert answer 7 --token 950 --consult "See guideline 4.2" --team postgres://eve@db/verdict'],
    noCommon: true,
  },
  'team hold': {
    usage: 'verdict team hold ITEM --reason TEXT --review-by TIME [--token T] --team URL [--json]',
    summary: 'Put an item on hold with a reason and a review-by time (ISO 8601 with offset). A reviewer holds the item they have claimed (--token); a lead may hold any open item or one waiting for adjudication. Every lease on it ends.',
    options: [['--reason TEXT', 'why'], ['--review-by TIME', 'when to look again, e.g. 2026-12-31T12:00:00Z'], ['--token T', 'your lease (reviewers)'], ['--team URL', 'the team database, as yourself (or $VERDICT_TEAM_URL); the password from PGPASSWORD or the URL']],
    examples: ['verdict team hold 42 --reason "waiting for the model owner" --review-by 2026-12-31T12:00:00Z --team postgres://lea@db/verdict'],
    noCommon: true,
  },
  'team release': {
    usage: 'verdict team release ITEM --team URL [--json]',
    summary: 'End a hold (the person who held it, or a lead): the item returns to the status it had.',
    options: [['--team URL', 'the team database, as yourself (or $VERDICT_TEAM_URL); the password from PGPASSWORD or the URL']],
    examples: ['verdict team release 42 --team postgres://lea@db/verdict'],
    noCommon: true,
  },
  'team reopen': {
    usage: 'verdict team reopen ITEM --reason TEXT --team URL [--json]',
    summary: 'Reopen a decided item (leads): it goes back to adjudication; its history keeps every decision and why it changed.',
    options: [['--reason TEXT', 'why it is reopened'], ['--team URL', 'the team database, as yourself (or $VERDICT_TEAM_URL); the password from PGPASSWORD or the URL']],
    examples: ['verdict team reopen 42 --reason "policy changed" --team postgres://lea@db/verdict'],
    noCommon: true,
  },
  'team gold': {
    usage: 'verdict team gold mark|accuracy … --team URL',
    summary: 'Gold items (leads): mark a decided item with its known verdict; read each reviewer\'s accuracy on the gold items served to them.',
    subcommands: ['mark', 'accuracy'],
    examples: ['verdict team gold accuracy --team postgres://lea@db/verdict'],
    noCommon: true,
  },
  'team gold mark': {
    usage: 'verdict team gold mark ITEM --decision violation|dismiss [--labels a,b] --team URL [--json]',
    summary: 'Mark a decided item as gold with its known verdict; it is then mixed into reviewers\' queues at the route\'s gold rate, indistinguishable from the rest.',
    options: [['--decision D', 'the known decision'], ['--labels a,b', 'the known labels'], ['--team URL', 'the team database, as yourself (or $VERDICT_TEAM_URL); the password from PGPASSWORD or the URL']],
    examples: ['verdict team gold mark 42 --decision violation --labels S1 --team postgres://lea@db/verdict'],
    noCommon: true,
  },
  'team gold accuracy': {
    usage: 'verdict team gold accuracy --team URL [--json]',
    summary: 'Each reviewer\'s accuracy on gold by route and month: served, answered, correct.',
    options: [['--team URL', 'the team database, as yourself (or $VERDICT_TEAM_URL); the password from PGPASSWORD or the URL']],
    examples: ['verdict team gold accuracy --team postgres://lea@db/verdict --json'],
    noCommon: true,
  },
  'team history': {
    usage: 'verdict team history ITEM --team URL [--json]',
    summary: 'The lineage of an item: every verdict, adjudication, escalation and answer, hold and reopen, in order (names hidden on blind routes until decided).',
    options: [['--team URL', 'the team database, as yourself (or $VERDICT_TEAM_URL); the password from PGPASSWORD or the URL']],
    examples: ['verdict team history 42 --team postgres://lea@db/verdict'],
    noCommon: true,
  },
  'team inbox process': {
    usage: 'verdict team inbox process --db URL [--batch-size N] [--json]',
    summary: 'Validate inbox rows like an ingest: valid ones join the queue (duplicates skipped, changes become revisions), bad ones go to quarantine with the reason.',
    options: [
      ['--db URL', 'the team database, as a lead or administrator'],
      ['--batch-size N', 'rows per transaction (default 1000)'],
    ],
    examples: ['verdict team inbox process --db postgres://lead@db/verdict'],
    noCommon: true,
  },
  'build-desktop': {
    usage: 'verdict build-desktop',
    summary: 'Build the renderer and the Electron main process into dist/ (what npm run dist packages).',
    examples: ['verdict build-desktop'],
    noCommon: true,
  },
};

/** The help entry a command line asks for: "items list --help" → "items list". */
export function helpKeyFor(argv: string[]): string | null {
  const end = argv.indexOf('--');
  const args = end >= 0 ? argv.slice(0, end) : argv;
  if (!args.includes('--help') && !args.includes('-h')) return null;
  const [name, sub, subsub] = args;
  if (name && sub && subsub && HELP_ENTRIES[`${name} ${sub} ${subsub}`]) return `${name} ${sub} ${subsub}`;
  if (name && sub && HELP_ENTRIES[`${name} ${sub}`]) return `${name} ${sub}`;
  return name && HELP_ENTRIES[name] ? name : null;
}

export function helpText(key: string): string {
  const e = HELP_ENTRIES[key]!;
  const lines = [`Usage: ${e.usage}`, '', e.summary, ''];
  if (e.subcommands?.length) {
    lines.push('Subcommands:');
    for (const s of e.subcommands) lines.push(`  ${`${key} ${s}`.padEnd(22)} ${HELP_ENTRIES[`${key} ${s}`]?.summary.split('. ')[0] ?? ''}`);
    lines.push(`Run "verdict ${key} <subcommand> --help" for its options.`, '');
  }
  const options: [string, string][] = [...(e.options ?? [])];
  if (!e.noCommon) {
    options.push(['--workspace PATH, -w', `the workspace (default: $VERDICT_WORKSPACE, else ${defaultWorkspacePath()})`]);
    options.push(['--json', 'machine-readable output on stdout']);
  }
  options.push(['--help, -h', 'this help']);
  lines.push('Options:');
  const width = Math.min(34, Math.max(...options.map(([o]) => o.length)) + 2);
  for (const [o, d] of options) lines.push(o.length + 2 > width ? `  ${o}\n  ${''.padEnd(width)}${d}` : `  ${o.padEnd(width)}${d}`);
  if (e.options?.some(([o]) => / N\b/.test(o))) lines.push('', NUMBER_NOTE);
  lines.push('', e.examples.length > 1 ? 'Examples:' : 'Example:');
  for (const x of e.examples) lines.push(`  ${x}`);
  return `${lines.join('\n')}\n`;
}
