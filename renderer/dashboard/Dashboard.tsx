/**
 * The oversight dashboard: is the AI, and the review operation, healthy? Every number comes from
 * `metrics.dashboard` (pre-aggregated in SQL) with the cell of items behind it; clicking one opens
 * the review desk on exactly those items.
 */
import { Alert, Button, Group, Loader, SegmentedControl, Select, Text, TextInput, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Dashboard as DashboardData, MetricFilter, Overview } from '../../electron/shared/contract.ts';
import { METRIC_DEFINITIONS } from '../../electron/shared/metric-definitions.ts';
import { emitAppEvent } from '../lib/appEvents.ts';
import { errorMessage, formatCount, PRIORITY_LABEL } from '../lib/format.ts';
import { useAsync } from '../lib/useAsync.ts';
import { useChangeVersion } from '../shell/changes.ts';
import { useUi } from '../state/ui.ts';
import { DailyColumns, RateBars } from './Charts.tsx';
import { AGE_LABELS, duration, pct } from './format.ts';
import { fetchDashboard, fetchMetricFacets, fetchOverview, fetchReport } from './queries.ts';
import { useDashboard, type DimKey } from './store.ts';
import classes from './Dashboard.module.css';

const DIMS: { key: DimKey; label: string; facet: DimKey }[] = [
  { key: 'route', label: 'Route', facet: 'route' },
  { key: 'policy', label: 'Policy', facet: 'policy' },
  { key: 'detector', label: 'Detector', facet: 'detector' },
  { key: 'model', label: 'Model', facet: 'model' },
  { key: 'version', label: 'Model version', facet: 'version' },
  { key: 'deployment', label: 'Deployment', facet: 'deployment' },
  { key: 'reviewer', label: 'Reviewer', facet: 'reviewer' },
];

/** The last overview by `filter@version`: the default-range call's answer serves the range it settled. */
let lastOverview: { key: string; data: Overview } | null = null;
async function overviewFor(filter: MetricFilter | null, version: number): Promise<Overview> {
  if (filter && lastOverview?.key === `${JSON.stringify(filter)}@${version}`) return lastOverview.data;
  const data = await fetchOverview(filter);
  lastOverview = { key: `${JSON.stringify(data.filter)}@${version}`, data };
  return data;
}

const sameFilter = (a: MetricFilter | undefined, b: MetricFilter | null) => !!a && !!b && JSON.stringify(a) === JSON.stringify(b);

/**
 * Paints in two steps: the headline tiles and the daily panel from one small call
 * (`metrics.overview`, which also settles the default range without waiting for the filter
 * lists), then every other panel from the full call. The filter lists load alongside.
 */
export function Dashboard() {
  const version = useChangeVersion();
  const filter = useDashboard((s) => s.filter);
  const init = useDashboard((s) => s.init);
  // Before the range is known, the overview's own default (the data's extent) settles it.
  const [firstKey] = useState(() => `default@${version}`);
  const overviewKey = filter ? `${JSON.stringify(filter)}@${version}` : firstKey;
  const { data: overview, error: overviewError } = useAsync(overviewKey, () => overviewFor(filter, version));
  useEffect(() => {
    if (overview) init(overview.filter);
  }, [overview, init]);
  const key = filter ? `${JSON.stringify(filter)}@${version}` : null;
  const { data, error, loading } = useAsync(key, () => fetchDashboard(filter!));
  // The filter lists wait for the first panels: one DB worker serves the calls in order, and
  // the lists are not needed to read the dashboard.
  const { data: facets, error: facetsError } = useAsync(overview ? `metric-facets:${version}` : null, fetchMetricFacets);
  const full = data && !loading ? data : undefined;
  // What is on screen: the full data when it is for this filter, else the overview for it.
  const first = full ?? (overview && (sameFilter(overview.filter, filter) || !filter) ? overview : data);
  useEffect(() => {
    if (first) emitAppEvent('verdict:dashboard-overview', { items: first.totals.n });
  }, [first]);
  useEffect(() => {
    if (full) emitAppEvent('verdict:dashboard-loaded', { items: full.totals.n });
  }, [full]);

  return (
    <main className={classes.page} data-testid="dashboard" data-ready={full ? 'true' : 'false'} aria-label="Oversight dashboard">
      <Toolbar facets={facets} />
      {(error ?? overviewError ?? facetsError) && (
        <Alert color="red" variant="light" mb="sm" title="The dashboard could not load">
          {error ?? overviewError ?? facetsError}
        </Alert>
      )}
      {!first ? (
        <Group justify="center" p="xl">
          <Loader size="sm" type="dots" />
        </Group>
      ) : (
        <Panels first={first} data={full ?? data} />
      )}
    </main>
  );
}

function Toolbar({ facets }: { facets: Awaited<ReturnType<typeof fetchMetricFacets>> | undefined }) {
  const filter = useDashboard((s) => s.filter);
  const setFilter = useDashboard((s) => s.setFilter);
  const setDim = useDashboard((s) => s.setDim);
  const setView = useUi((s) => s.setView);
  const [report, setReport] = useState<'idle' | 'busy' | string>('idle');
  const download = async () => {
    if (!filter) return;
    setReport('busy');
    try {
      const { html } = await fetchReport(filter.from, filter.to);
      const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `oversight-report-${filter.from}-to-${filter.to}.html`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setReport('idle');
    } catch (err) {
      setReport(errorMessage(err));
    }
  };
  const validDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
  return (
    <div className={classes.toolbar} data-testid="dashboard-toolbar">
      <div className={classes.toolbarRow}>
      <Title order={4} mr="sm" style={{ alignSelf: 'center' }}>
        Oversight
      </Title>
      <TextInput
        type="date"
        label="From (UTC)"
        size="xs"
        value={filter?.from ?? ''}
        onChange={(e) => validDay(e.currentTarget.value) && setFilter({ from: e.currentTarget.value })}
        data-testid="dash-from"
      />
      <TextInput
        type="date"
        label="To (UTC)"
        size="xs"
        value={filter?.to ?? ''}
        onChange={(e) => validDay(e.currentTarget.value) && setFilter({ to: e.currentTarget.value })}
        data-testid="dash-to"
      />
      <Group gap={6} ml="auto">
        <Tooltip label={typeof report === 'string' && report !== 'idle' && report !== 'busy' ? report : 'A self-contained, printable HTML report for this range'}>
          <Button size="xs" variant="light" onClick={() => void download()} loading={report === 'busy'} data-testid="dash-report">
            Report
          </Button>
        </Tooltip>
        <Button size="xs" variant="subtle" color="gray" onClick={() => setView('desk')} data-testid="dash-back">
          Back to the desk
        </Button>
      </Group>
      </div>
      <div className={classes.toolbarRow}>
      {DIMS.map((d) => (
        <Select
          key={d.key}
          label={d.label}
          size="xs"
          w={168}
          clearable
          searchable
          placeholder="All"
          data={facets?.[d.facet] ?? []}
          value={filter?.[d.key] ?? null}
          onChange={(v) => setDim(d.key, v)}
          data-testid={`dash-filter-${d.key}`}
          comboboxProps={{ withinPortal: true }}
        />
      ))}
      </div>
    </div>
  );
}

function Tiles({ data }: { data: Overview }) {
  const drillDown = useUi((s) => s.drillDown);
  return (
    <div className={classes.tiles}>
      {data.headline.map((h) => {
        const value =
          h.value === null ? '—' : h.unit === 'rate' ? pct(h.value) : h.unit === 'per1000' ? h.value.toFixed(2) : formatCount(h.value);
        const sub = h.note ?? (h.unit === 'rate' || h.unit === 'per1000' ? `${formatCount(h.num)} of ${formatCount(h.den)}` : '');
        return (
          <Tooltip key={h.key} label={METRIC_DEFINITIONS[h.key]?.definition ?? h.label} multiline w={320} openDelay={300}>
            <UnstyledButton
              className={classes.tile}
              disabled={!h.cell || h.num === 0 || h.key === 'escalation_per_1000'}
              onClick={() => h.cell && drillDown(h.cell, h.label)}
              data-testid={`metric-${h.key}`}
              data-value={h.num}
            >
              <Text size="xs" c="dimmed">
                {h.label}
              </Text>
              <span className={classes.tileValue}>{value}</span>
              <Text size="xs" c="dimmed" lineClamp={2}>
                {sub || '\u00a0'}
              </Text>
            </UnstyledButton>
          </Tooltip>
        );
      })}
    </div>
  );
}

function Panel({ title, hint, wide, children, testId }: { title: string; hint?: string; wide?: boolean; children: React.ReactNode; testId?: string }) {
  return (
    <section className={`${classes.panel} ${wide ? classes.panelWide : ''}`} data-testid={testId}>
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Text size="sm" fw={600}>
          {title}
        </Text>
        {hint && (
          <Text size="xs" c="dimmed" className="truncate">
            {hint}
          </Text>
        )}
      </Group>
      {children}
    </section>
  );
}

/** A panel whose data come with the full call: its frame stays put while they load. */
function Pending({ title, testId }: { title: string; testId: string }) {
  return (
    <Panel title={title} testId={testId}>
      <Group justify="center" p="md" data-testid="panel-pending">
        <Loader size="xs" type="dots" />
      </Group>
    </Panel>
  );
}

function Panels({ first, data }: { first: Overview; data: DashboardData | undefined }) {
  const scopeCell = { ...first.filter };
  return (
    <>
      <Tiles data={first} />
      {data && data.regressions.length > 0 && <RegressionAlert data={data} />}
      <div className={classes.grid}>
        <Panel title="Escalations per day" hint={
            !first.volumesReported
              ? 'no screened volumes reported'
              : first.daily.every((d) => d.screened === null)
                ? 'screened volumes are per model and version: not under this filter'
                : 'screened volumes reported'
          } wide testId="panel-daily">
          <DailyColumns days={first.daily.map((d) => ({ day: d.day, values: { violation: d.violation, dismiss: d.dismiss, escalate: d.escalate, open: d.open } }))} base={scopeCell} />
        </Panel>
        {data ? (
          <RestPanels data={data} />
        ) : (
          <>
            {REST_TITLES.map(([title, testId]) => (
              <Pending key={testId} title={title} testId={testId} />
            ))}
          </>
        )}
      </div>
    </>
  );
}

const REST_TITLES: [string, string][] = [
  ['False positives from flag calls', 'panel-detectors'],
  ['Violation rate by category', 'panel-categories'],
  ['Model versions compared', 'panel-models'],
  ['Deployments compared', 'panel-deployments'],
  ['Violation rate by policy', 'panel-policies'],
  ['Time to first decision', 'panel-ttd'],
  ['Backlog now, by age', 'panel-backlog'],
  ['Reviewers', 'panel-reviewers'],
];

function RegressionAlert({ data }: { data: DashboardData }) {
  const drillDown = useUi((s) => s.drillDown);
  return (
    <Alert color="red" variant="light" mb="sm" title="A model version or deployment is clearly worse than its baseline" data-testid="regressions">
      {data.regressions.slice(0, 4).map((r) => (
        <div key={`${r.dimension}-${r.model}-${r.candidate}-${r.category}`} data-dimension={r.dimension}>
          <button type="button" className={classes.cellButton} onClick={() => drillDown(r.cell, `${r.candidate} · ${r.category} violations`)}>
            {r.dimension === 'deployment' ? `deployment ${r.candidate}` : `${r.model} ${r.candidate}`}
          </button>{' '}
          confirms {pct(r.candidateRate)} of {r.category} escalations ({formatCount(r.nCandidate)} reviewed) against {pct(r.baseRate)} for{' '}
          {r.baseline} ({formatCount(r.nBase)}); z = {r.z.toFixed(1)}
        </div>
      ))}
    </Alert>
  );
}

const FLAG_DIM_LABEL = { detector: 'Detector', policy: 'Policy', category: 'Category' } as const;

/** False positives per detector, policy or category from flag calls; the bar lists the items whose call was a false positive. */
function FlagRatesPanel({ data }: { data: DashboardData }) {
  const [dim, setDim] = useState<'detector' | 'policy' | 'category'>('detector');
  const rows = data.flagRates[dim];
  const perFlag = rows.reduce((a, r) => a + r.perFlag, 0);
  const calls = rows.reduce((a, r) => a + r.calls, 0);
  return (
    <Panel title="False positives from flag calls" hint={`${formatCount(perFlag)} of ${formatCount(calls)} from per-flag calls; 95 % interval`} testId="panel-detectors">
      <Tooltip label={METRIC_DEFINITIONS.flag_false_positive_rate?.definition} multiline w={420} openDelay={300}>
        <SegmentedControl
          size="xs"
          mb={6}
          value={dim}
          onChange={(v) => setDim(v as typeof dim)}
          data={(['detector', 'policy', 'category'] as const).map((d) => ({ value: d, label: FLAG_DIM_LABEL[d] }))}
          data-testid="flag-dim"
        />
      </Tooltip>
      <RateBars
        what={`False positives (${dim})`}
        color="orange"
        testId={dim === 'detector' ? 'bars-detectors' : `bars-fp-${dim}`}
        rows={rows.map((r) => ({ key: r.key, rate: r.rate, lo: r.lo, hi: r.hi, count: r.falsePositives, of: r.calls, cell: r.cell }))}
      />
    </Panel>
  );
}

function RestPanels({ data }: { data: DashboardData }) {
  const drillDown = useUi((s) => s.drillDown);
  return (
    <>
        <FlagRatesPanel data={data} />
        <Panel title="Violation rate by category" hint="confirmed ÷ reviewed" testId="panel-categories">
          <RateBars
            what="Violations"
            color="red"
            testId="bars-categories"
            rows={data.categories.map((r) => ({ key: r.key, rate: r.rate, lo: r.lo, hi: r.hi, count: r.confirmed, of: r.reviewed, cell: r.cell }))}
          />
        </Panel>
        <Panel title="Model versions compared" hint="violation rate, 95 % interval" testId="panel-models">
          <RateBars
            what="Violations"
            color="grape"
            testId="bars-models"
            rows={[...(data.filter.model === undefined ? data.versions : []), ...data.models]
              .filter((m) => m.reviewed > 0)
              .map((m) => ({
                key: `${m.model} ${m.version}`,
                rate: m.rate,
                lo: m.lo,
                hi: m.hi,
                count: m.confirmed,
                of: m.reviewed,
                cell: m.cell,
                flagged: data.regressions.some((r) => r.dimension === 'version' && r.candidate === m.version && r.model === m.model),
              }))}
          />
        </Panel>
        <Panel title="Deployments compared" hint="violation rate, 95 % interval; red: above the other deployments" testId="panel-deployments">
          <RateBars
                what="Violations"
                color="grape"
                testId="bars-deployments"
                rows={data.deployments
                  .filter((m) => m.reviewed > 0)
                  .map((m) => ({
                    key: m.key,
                    rate: m.rate,
                    lo: m.lo,
                    hi: m.hi,
                    count: m.confirmed,
                    of: m.reviewed,
                    cell: m.cell,
                    flagged: data.regressions.some((r) => r.dimension === 'deployment' && r.candidate === m.deployment),
                  }))}
              />
        </Panel>
        <Panel title="Violation rate by policy" hint="confirmed ÷ reviewed" testId="panel-policies">
          <RateBars
            what="Violations"
            color="red"
            testId="bars-policies"
            rows={data.policies.map((r) => ({ key: r.key, rate: r.rate, lo: r.lo, hi: r.hi, count: r.confirmed, of: r.reviewed, cell: r.cell }))}
          />
        </Panel>
        <Panel title="Time to first decision" hint="by priority (route, model, version filters apply)" testId="panel-ttd">
          <table className={classes.table}>
            <thead>
              <tr>
                <th>Priority</th>
                <th>SLA</th>
                <th>Decided</th>
                <th>p50</th>
                <th>p95</th>
                <th>Past SLA</th>
              </tr>
            </thead>
            <tbody>
              {data.ttd.map((t) => (
                <tr key={t.priority}>
                  <td>{PRIORITY_LABEL[t.priority]}</td>
                  <td>{duration(t.slaMs)}</td>
                  <td>{formatCount(t.decided)}</td>
                  <td>≤ {duration(t.p50Ms)}</td>
                  <td>{t.p95Open ? '> 7 d' : `≤ ${duration(t.p95Ms)}`}</td>
                  <td>
                    {t.breached > 0 ? (
                      <button type="button" className={classes.cellButton} onClick={() => drillDown(t.cell, `${PRIORITY_LABEL[t.priority]} decided past SLA`)} data-testid="ttd-breached" data-value={t.breached}>
                        {formatCount(t.breached)}
                      </button>
                    ) : (
                      '0'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
        <Panel title="Backlog now, by age" hint="open items, whole workspace" testId="panel-backlog">
          <table className={classes.table}>
            <thead>
              <tr>
                <th>Priority</th>
                {AGE_LABELS.map((a) => (
                  <th key={a}>{a}</th>
                ))}
                <th>Past SLA</th>
              </tr>
            </thead>
            <tbody>
              {data.backlog.map((b) => (
                <tr key={b.priority}>
                  <td>{PRIORITY_LABEL[b.priority]}</td>
                  {b.ages.map((n, i) => (
                    <td key={i}>{formatCount(n)}</td>
                  ))}
                  <td>{formatCount(b.overdue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
        <Panel title="Reviewers" hint="decisions by decision day; time per item excludes breaks over 30 min" testId="panel-reviewers">
          <table className={classes.table}>
            <thead>
              <tr>
                <th>Reviewer</th>
                <th>Decisions</th>
                <th>Per active day</th>
                <th>Time per item</th>
              </tr>
            </thead>
            <tbody>
              {data.reviewers.map((r) => (
                <tr key={r.reviewer}>
                  <td>{r.reviewer}</td>
                  <td>{formatCount(r.decisions)}</td>
                  <td>{r.perActiveDay.toFixed(1)}</td>
                  <td>{r.secondsPerItem === null ? '—' : `${Math.round(r.secondsPerItem)} s`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
    </>
  );
}
