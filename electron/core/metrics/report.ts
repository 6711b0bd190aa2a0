/**
 * The oversight report: the dashboard's metrics for a range with their definitions, the model
 * comparison, notable items (ids only: no content ever enters the report), and the audit head
 * with a check that every verdict counted is a leaf of the log. Rendered as one self-contained
 * HTML file (no script, no fetch, inline CSS, printable) or as JSON with the same numbers.
 */
import { createHash } from 'node:crypto';
import { countedVerdicts, notableItems, type MetricFilter, type NotableItem } from '../../../db/queries/metrics.ts';
import { auditEventBody, auditLeafHashesBetween, verdictIdOf } from '../../../db/queries/metrics-proof.ts';
import { METRIC_DEFINITIONS } from '../../shared/metric-definitions.ts';
import { leafHash, type TreeHead } from '../audit/merkle.ts';
import { APP_VERSION } from '../version.ts';
import type { Workspace } from '../workspace/open.ts';
import { dashboard, type Headline } from './dashboard.ts';
import type { AuditProof, OversightReport } from '../../shared/models/metrics.ts';
export type { AuditProof, OversightReport };

type Notable = NotableItem[];

/** Counted events whose bodies the report re-hashes itself, spread evenly over the counted set. */
export const REHASH_SAMPLE = 1_000;

/**
 * Every counted verdict proven from what the upkeep recorded with it (its audit seq, and the leaf
 * hash it got by re-hashing the event's body and finding the verdict named there) against the
 * log as it is now: an event at that seq, within the head, with that same leaf hash. Both reads
 * are covering indexes; no body is read except an evenly spread sample, re-hashed here too.
 */
function proveCounted(ws: Workspace, f: MetricFilter, head: TreeHead): Omit<AuditProof, 'logVerified' | 'logReason'> {
  const digest = createHash('sha256');
  const unprovenSeqs: number[] = [];
  const counted = countedVerdicts(ws.sqlite, f);
  const seqs = counted.filter((c) => c.auditSeq !== null).map((c) => c.auditSeq!);
  const events = seqs.length > 0 ? auditLeafHashesBetween(ws.sqlite, seqs[0]!, seqs[seqs.length - 1]!) : null;
  const body = auditEventBody(ws.sqlite);
  const every = Math.max(1, Math.floor(counted.length / REHASH_SAMPLE));
  let next = events?.next();
  let rehashed = 0;
  counted.forEach((v, i) => {
    while (v.auditSeq !== null && next && !next.done && next.value[0] < v.auditSeq) next = events!.next();
    const leafNow = v.auditSeq !== null && next && !next.done && next.value[0] === v.auditSeq ? next.value[1] : undefined;
    digest.update(`${v.auditSeq ?? ''} ${leafNow ?? ''}\n`);
    let ok = !!v.leaf && leafNow === v.leaf && v.auditSeq! < head.size;
    if (ok && i % every === 0) {
      const e = body(v.auditSeq!);
      ok = e !== undefined && leafHash(e.body).toString('hex') === e.leafHash;
      rehashed++;
    }
    if (!ok) unprovenSeqs.push(v.verdictSeq);
  });
  events?.return?.();
  const idOf = verdictIdOf(ws.sqlite);
  return {
    head,
    countedVerdicts: counted.length,
    allInLog: unprovenSeqs.length === 0,
    unproven: unprovenSeqs.length,
    missing: unprovenSeqs.slice(0, 20).map(idOf),
    rehashed,
    digest: digest.digest('hex'),
  };
}

export function buildReport(ws: Workspace, range: { from: string; to: string }, now = new Date()): OversightReport {
  const f: MetricFilter = { from: range.from, to: range.to };
  const d = dashboard(ws.sqlite, f);
  const head = ws.audit.head();
  const counted = proveCounted(ws, f, head);
  const { headline, filter: _filter, ...rest } = d;
  return {
    format: 'verdict-oversight-report/1',
    generatedAt: now.toISOString(),
    appVersion: APP_VERSION,
    workspaceId: ws.id,
    range,
    definitions: Object.entries(METRIC_DEFINITIONS).map(([key, v]) => ({ key, ...v })),
    headline: headline.map(({ cell: _cell, ...h }) => h),
    dashboard: rest,
    notable: notableItems(ws.sqlite, f),
    audit: { ...counted, logVerified: null, logReason: 'run "verdict audit verify" for the full chain check' },
  };
}

// ---------------------------------------------------------------------------------------------
// HTML

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(100 * v).toFixed(1)} %`);
const int = (v: number): string => v.toLocaleString('en-US');
const PRIORITY = ['critical', 'high', 'normal', 'low'];

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / 86_400_000)} d`;
}

export function headlineValue(h: Pick<Headline, 'value' | 'unit'>): string {
  if (h.value === null) return '—';
  if (h.unit === 'rate') return pct(h.value);
  if (h.unit === 'per1000') return h.value.toFixed(2);
  if (h.unit === 'ms') return formatDuration(h.value);
  return int(h.value);
}

function table(head: string[], rows: (string | number)[][], attrs = ''): string {
  return `<table ${attrs}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? int(c) : c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const CSS = `
:root { color-scheme: light; --ink: #1b1f24; --dim: #5b6570; --line: #d8dde3; --accent: #1c6fd1; --bad: #c92a2a; }
* { box-sizing: border-box; }
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 32px auto; max-width: 980px; padding: 0 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--dim); margin: 0 0 16px; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.tile .v { font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; } .tile .l { color: var(--dim); font-size: 12px; }
.tile .n { color: var(--dim); font-size: 11px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--dim); font-size: 12px; }
td.num, th.num { text-align: right; }
table[data-section-table^="fp-"] td:not(:first-child), table[data-section-table="deployments"] td:not(:first-child) { white-space: nowrap; }
.flag { color: var(--bad); font-weight: 650; }
.ok { color: #2b8a3e; font-weight: 650; }
code { font: 11px ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
dl { display: grid; grid-template-columns: 200px 1fr; gap: 4px 12px; margin: 0; } dt { font-weight: 600; } dd { margin: 0; color: var(--dim); }
section { break-inside: avoid; }
@media print { body { margin: 0; max-width: none; font-size: 11px; } h2 { break-after: avoid; } .tiles { grid-template-columns: repeat(4, 1fr); } a { color: inherit; text-decoration: none; } }
`;

function notableTable(rows: Notable): string {
  if (rows.length === 0) return '<p class="meta">None in this range.</p>';
  return table(
    ['item id', 'source id', 'category', 'model version', 'decision', 'priority'],
    rows.map((r) => [`<code>${esc(r.id)}</code>`, `<code>${esc(r.externalId)}</code>`, esc(r.category || '—'), esc(r.version || '—'), esc(r.state), esc(PRIORITY[r.priority] ?? r.priority)]),
  );
}

export function renderReportHtml(r: OversightReport): string {
  const d = r.dashboard;
  const tiles = r.headline
    .map(
      (h) =>
        `<div class="tile" data-metric="${esc(h.key)}"><div class="l">${esc(h.label)}</div><div class="v">${esc(headlineValue(h))}</div>` +
        `<div class="n">${h.unit === 'rate' || h.unit === 'per1000' ? `${int(h.num)} / ${int(h.den)}` : ''}${h.note ? ` ${esc(h.note)}` : ''}</div></div>`,
    )
    .join('');
  const rateTable = (rows: typeof d.detectors, what: string) =>
    table(
      [what, 'reviewed', 'confirmed', 'dismissed', 'rate', '95 % interval'],
      rows.map((x) => [esc(x.key), x.reviewed, x.confirmed, x.dismissed, pct(x.rate), `${pct(x.lo)} – ${pct(x.hi)}`]),
    );
  const models = table(
    ['model', 'version', 'escalations', 'reviewed', 'violations', 'violation rate', '95 % interval'],
    [...d.versions, ...d.models].map((m) => [esc(m.model || '—'), esc(m.version || '—'), m.items, m.reviewed, m.confirmed, pct(m.rate), `${pct(m.lo)} – ${pct(m.hi)}`]),
  );
  const regressions = d.regressions.length
    ? table(
        ['compared', 'model', 'category', 'baseline', 'rate', 'candidate', 'rate', 'z'],
        d.regressions.map((g) => [
          g.dimension === 'deployment' ? 'deployment' : 'model version',
          esc(g.model),
          esc(g.category),
          `${esc(g.baseline)} (n ${int(g.nBase)})`,
          pct(g.baseRate),
          `<span class="flag">${esc(g.candidate)}</span> (n ${int(g.nCandidate)})`,
          `<span class="flag">${pct(g.candidateRate)}</span>`,
          g.z.toFixed(2),
        ]),
        'data-section-table="regressions"',
      )
    : '<p class="meta">No version or deployment is clearly worse than its baseline in any category.</p>';
  const deployments = table(
    ['deployment', 'escalations', 'reviewed', 'violations', 'violation rate', '95 % interval'],
    d.deployments.map((m) => [esc(m.deployment || '—'), m.items, m.reviewed, m.confirmed, pct(m.rate), `${pct(m.lo)} – ${pct(m.hi)}`]),
    'data-section-table="deployments"',
  );
  const flagTable = (rows: typeof d.flagRates.detector, what: string) =>
    table(
      [what, 'items with a call', 'false positives', 'rate', '95 % interval', 'per-flag calls', 'of which false'],
      rows.map((x) => [esc(x.key), x.calls, x.falsePositives, pct(x.rate), `${pct(x.lo)} – ${pct(x.hi)}`, x.perFlag, x.perFlagFalsePositives]),
      `data-section-table="fp-${what}"`,
    );
  const ttd = table(
    ['priority', 'SLA', 'decided', 'p50', 'p95', 'decided past SLA'],
    d.ttd.map((t) => [esc(PRIORITY[t.priority]), formatDuration(t.slaMs), t.decided, formatDuration(t.p50Ms), t.p95Open ? '> 7 d' : formatDuration(t.p95Ms), t.breached]),
  );
  const ageHead = ['< 1 h', '1–4 h', '4–24 h', '1–3 d', '3–7 d', '> 7 d'];
  const backlog = table(
    ['priority', ...ageHead, 'open', 'past SLA'],
    d.backlog.map((b) => [esc(PRIORITY[b.priority]), ...b.ages, b.total, b.overdue]),
  );
  const reviewers = table(
    ['reviewer', 'decisions', 'per active day', 'time per item'],
    d.reviewers.map((x) => [esc(x.reviewer), x.decisions, x.perActiveDay.toFixed(1), x.secondsPerItem === null ? '—' : `${Math.round(x.secondsPerItem)} s`]),
  );
  const a = r.audit;
  const definitions = `<dl>${r.definitions.map((x) => `<dt>${esc(x.label)}</dt><dd>${esc(x.definition)}</dd>`).join('')}</dl>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>Oversight report ${esc(r.range.from)} – ${esc(r.range.to)}</title>
<style>${CSS}</style></head>
<body>
<header><h1>Oversight report</h1>
<p class="meta">${esc(r.range.from)} to ${esc(r.range.to)} (UTC days, inclusive) · workspace <code>${esc(r.workspaceId)}</code> · generated ${esc(r.generatedAt)} by Verdict ${esc(r.appVersion)}. Item content is not included; items are named by id.</p></header>
<section id="summary"><h2>Summary</h2><div class="tiles">${tiles}</div></section>
<section id="models"><h2>Model versions compared</h2>${models}<h3>Regressions against baseline</h3>${regressions}</section>
<section id="deployments"><h2>Deployments compared</h2>${deployments}<p class="meta">A deployment is flagged above (compared: deployment) when its violation rate in a category is above the other deployments' pooled rate with z ≥ 2.58.</p></section>
<section id="detectors"><h2>False positives by detector</h2>${flagTable(d.flagRates.detector, 'detector')}<h3>By policy</h3>${flagTable(d.flagRates.policy, 'policy')}<h3>By category</h3>${flagTable(d.flagRates.category, 'category')}<p class="meta">From per-flag calls where the reviewer made them; items reviewed without per-flag calls count their top flag by the item's decision (see Definitions).</p></section>
<section id="categories"><h2>Violation rate by category</h2>${rateTable(d.categories, 'category')}</section>
<section id="policies"><h2>Violation rate by policy</h2>${rateTable(d.policies, 'policy')}</section>
<section id="sla"><h2>Time to decision and SLA</h2>${ttd}<h3>Backlog now, by age</h3>${backlog}</section>
<section id="reviewers"><h2>Reviewers</h2>${reviewers}</section>
<section id="notable"><h2>Notable items</h2><h3>Decided past SLA</h3>${notableTable(r.notable.breached)}<h3>Overturned</h3>${notableTable(r.notable.overturned)}<h3>PII exposures</h3>${notableTable(r.notable.pii)}<h3>Hallucinations</h3>${notableTable(r.notable.halluc)}</section>
<section id="audit"><h2>Audit</h2><dl>
<dt>Audit head</dt><dd>size <span data-audit="size">${int(a.head.size)}</span>, root <code data-audit="root">${esc(a.head.root)}</code></dd>
<dt>Head</dt><dd>computed from every stored leaf hash; the full chain check of every event is <code>verdict audit verify</code></dd>
<dt>Verdicts counted</dt><dd><span data-audit="counted">${int(a.countedVerdicts)}</span> verdicts in force; ${a.allInLog ? '<span class="ok">every one is a leaf of the log</span> (its event hashed to its leaf and named the verdict when the metrics recorded it, and is at the same place in the log, within the head, with the same leaf hash now)' : `<span class="flag">${int(a.unproven)} not proven</span>: ${a.missing.map(esc).join(', ')}${a.unproven > a.missing.length ? ', …' : ''}`}</dd>
<dt>Events re-hashed by this report</dt><dd><span data-audit="rehashed">${int(a.rehashed)}</span> counted events, spread evenly over the set</dd>
<dt>Digest of the counted set</dt><dd><code data-audit="digest">${esc(a.digest)}</code> (sha256 of "audit_seq leaf_hash" lines in audit order)</dd>
</dl></section>
<section id="definitions"><h2>Definitions</h2>${definitions}</section>
</body></html>
`;
}
