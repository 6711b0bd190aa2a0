/**
 * The oversight report: the dashboard's metrics for a range with their definitions, the model
 * comparison, notable items (ids only: no content ever enters the report), and the audit head
 * with a check that every verdict counted is a leaf of the log. Rendered as one self-contained
 * HTML file (no script, no fetch, inline CSS, printable) or as JSON with the same numbers.
 */
import { createHash } from 'node:crypto';
import { auditLeavesBetween, countedVerdicts, notableItems, type MetricFilter, type NotableItem } from '../../../db/queries/metrics.ts';
import { METRIC_DEFINITIONS } from '../../shared/metric-definitions.ts';
import { leafHash, type TreeHead } from '../audit/merkle.ts';
import { APP_VERSION } from '../version.ts';
import type { Workspace } from '../workspace/open.ts';
import { dashboard, type Headline } from './dashboard.ts';
import type { AuditProof, OversightReport } from '../../shared/models/metrics.ts';
export type { AuditProof, OversightReport };

type Notable = NotableItem[];

function proveCounted(ws: Workspace, f: MetricFilter, head: TreeHead): Omit<AuditProof, 'logVerified' | 'logReason'> {
  const digest = createHash('sha256');
  const missing: string[] = [];
  let n = 0;
  let unproven = 0;
  const counted = countedVerdicts(ws.sqlite, f);
  // In audit order, merged with one sequential read of the events they span.
  const events = counted.length > 0 ? auditLeavesBetween(ws.sqlite, counted[0]!.auditSeq, counted[counted.length - 1]!.auditSeq) : null;
  let next = events?.next();
  for (const v of counted) {
    n++;
    while (next && !next.done && next.value.seq < v.auditSeq) next = events!.next();
    const e = next && !next.done && next.value.seq === v.auditSeq ? next.value : undefined;
    digest.update(`${v.verdictId} ${v.auditSeq} ${e?.leafHash ?? ''}\n`);
    const leafOk = e !== undefined && leafHash(e.body).toString('hex') === e.leafHash;
    // Canonical JSON (RFC 8785): the verdict id appears exactly so in the event's data.
    const names = e !== undefined && e.body.includes(`"verdict_id":${JSON.stringify(v.verdictId)}`, 0, 'utf8');
    if (!(leafOk && names && v.auditSeq < head.size)) {
      if (missing.length < 20) missing.push(v.verdictId);
      unproven++;
    }
  }
  events?.return?.();
  return { head, countedVerdicts: n, allInLog: unproven === 0, missing, digest: digest.digest('hex') };
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
        ['model', 'category', 'baseline', 'rate', 'candidate', 'rate', 'z'],
        d.regressions.map((g) => [
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
    : '<p class="meta">No version is clearly worse than its baseline in any category.</p>';
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
<section id="detectors"><h2>False positives by detector</h2>${rateTable(d.detectors, 'detector')}</section>
<section id="categories"><h2>Violation rate by category</h2>${rateTable(d.categories, 'category')}</section>
<section id="policies"><h2>Violation rate by policy</h2>${rateTable(d.policies, 'policy')}</section>
<section id="sla"><h2>Time to decision and SLA</h2>${ttd}<h3>Backlog now, by age</h3>${backlog}</section>
<section id="reviewers"><h2>Reviewers</h2>${reviewers}</section>
<section id="notable"><h2>Notable items</h2><h3>Decided past SLA</h3>${notableTable(r.notable.breached)}<h3>Overturned</h3>${notableTable(r.notable.overturned)}<h3>PII exposures</h3>${notableTable(r.notable.pii)}<h3>Hallucinations</h3>${notableTable(r.notable.halluc)}</section>
<section id="audit"><h2>Audit</h2><dl>
<dt>Audit head</dt><dd>size <span data-audit="size">${int(a.head.size)}</span>, root <code data-audit="root">${esc(a.head.root)}</code></dd>
<dt>Head</dt><dd>computed from every stored leaf hash; the full chain check of every event is <code>verdict audit verify</code></dd>
<dt>Verdicts counted</dt><dd><span data-audit="counted">${int(a.countedVerdicts)}</span> verdicts in force; ${a.allInLog ? '<span class="ok">every one is a leaf of the log</span> (its event is within the head, hashes to its leaf and names the verdict)' : `<span class="flag">${a.missing.length} not proven</span>: ${a.missing.map(esc).join(', ')}`}</dd>
<dt>Digest of the counted set</dt><dd><code data-audit="digest">${esc(a.digest)}</code> (sha256 of "verdict_id audit_seq leaf_hash" lines in audit order)</dd>
</dl></section>
<section id="definitions"><h2>Definitions</h2>${definitions}</section>
</body></html>
`;
}
