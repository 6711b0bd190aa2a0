/**
 * The oversight dashboard: is the AI, and the review operation, healthy? Every number comes from
 * `metrics.dashboard` (pre-aggregated in SQL) with the cell of items behind it; clicking one opens
 * the review desk on exactly those items.
 */
import { Alert, Button, Group, Loader, Progress, SegmentedControl, Select, Text, TextInput, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { createContext, useContext, useEffect, useState } from 'react';
import type { DimensionPanels, MetricCatchUp, MetricFilter, ModelPanels, OperationPanels, Overview } from '../../electron/shared/contract.ts';
import { on } from '../api.ts';
import { METRIC_DEFINITIONS } from '../../electron/shared/metric-definitions.ts';
import { emitAppEvent } from '../lib/appEvents.ts';
import { errorMessage, formatCount, PRIORITY_LABEL } from '../lib/format.ts';
import { useAsync } from '../lib/useAsync.ts';
import { useChangeVersion } from '../shell/changes.ts';
import { useUi } from '../state/ui.ts';
import { DailyColumns, RateBars } from './Charts.tsx';
import { AGE_LABELS, duration, pct } from './format.ts';
import { fetchDimensionPanels, fetchMetricFacets, fetchModelPanels, fetchOperationPanels, fetchOverview, fetchReport } from './queries.ts';
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

/**
 * Paints in steps: the headline tiles and the daily panel from one small call
 * (`metrics.overview`, which also settles the default range without waiting for the filter
 * lists), then the other panels from three calls made side by side, each part shown as soon as
 * its call answers (the slowest holds up only its own panels). The filter lists load alongside.
 * While the metrics catch up on a backlog (a bulk ingest or import), its progress shows.
 */
export function Dashboard() {
  const version = useChangeVersion();
  const filter = useDashboard((s) => s.filter);
  const init = useDashboard((s) => s.init);
  // Before the range is known, the overview's own default (the data's extent) settles it.
  const [firstKey] = useState(() => `default@${version}`);
  const overviewKey = filter ? `${JSON.stringify(filter)}@${version}` : firstKey;
  const { data: overview, error: overviewError, loading: overviewLoading } = useAsync(overviewKey, () => overviewFor(filter, version));
  useEffect(() => {
    if (overview) init(overview.filter);
  }, [overview, init]);
  const key = filter ? `${JSON.stringify(filter)}@${version}` : null;
  const dims = useAsync(key && `dims:${key}`, () => fetchDimensionPanels(filter!));
  const models = useAsync(key && `models:${key}`, () => fetchModelPanels(filter!));
  const ops = useAsync(key && `ops:${key}`, () => fetchOperationPanels(filter!));
  // The filter lists wait for the panels: one DB worker serves the calls in order and the lists
  // are not needed to read the dashboard (about 20 ms at 1M since they walk index prefixes,
  // db/queries/metric-facets.ts; seven DISTINCT scans took ~250 ms).
  const parts = { dims, models, ops };
  const { data: facets, error: facetsError } = useAsync(overview && dims.data && models.data && ops.data ? `metric-facets:${version}` : null, fetchMetricFacets);
  const ready = !!overview && !overviewLoading && Object.values(parts).every((p) => p.data && !p.loading);
  usePartEvents(parts);
  useEffect(() => {
    if (overview) emitAppEvent('verdict:dashboard-overview', { items: overview.totals.n });
  }, [overview]);
  useEffect(() => {
    if (ready && overview) emitAppEvent('verdict:dashboard-loaded', { items: overview.totals.n });
  }, [ready, overview]);
  const error = overviewError ?? dims.error ?? models.error ?? ops.error ?? facetsError;

  return (
    <main className={classes.page} data-testid="dashboard" data-ready={ready ? 'true' : 'false'} aria-label="Oversight dashboard">
      <Toolbar facets={facets} />
      <CatchUpProgress />
      {error && (
        <Alert color="red" variant="light" mb="sm" title="The dashboard could not load">
          {error}
        </Alert>
      )}
      {!overview ? (
        <Group justify="center" p="xl">
          <Loader size="sm" type="dots" />
        </Group>
      ) : (
        <Panels
          first={overview}
          dims={dims.data}
          models={models.data}
          ops={ops.data}
          stale={{ overview: overviewLoading, dims: dims.loading && !!dims.data, models: models.loading && !!models.data, ops: ops.loading && !!ops.data }}
        />
      )}
    </main>
  );
}

/** Tells the tests (and anything else) when each later part has arrived for the current filter. */
function usePartEvents(parts: Record<string, { data: unknown; loading: boolean }>) {
  const arrived = Object.entries(parts).map(([name, p]) => (p.data && !p.loading ? name : null));
  const signature = arrived.join(',');
  useEffect(() => {
    for (const name of signature.split(',')) if (name) emitAppEvent('verdict:dashboard-part', { part: name });
  }, [signature]);
}

/**
 * The metric tables catching up on a backlog (the core reports each step of a catch-up with
 * thousands of items or verdicts to count): how far it is, so a lead knows why the panels wait.
 */
function CatchUpProgress() {
  const [p, setP] = useState<MetricCatchUp | null>(null);
  useEffect(() => on('metrics.catchUp', setP), []);
  // Each step as rendered: whether the bar is on screen now (it goes when the catch-up ends).
  useEffect(() => {
    if (p) emitAppEvent('verdict:metrics-catch-up', { ...p, shown: document.querySelector('[data-testid="metrics-catch-up"]') !== null });
  }, [p]);
  if (!p || p.done >= p.total) return null;
  const what = p.phase === 'items' ? 'new escalations' : 'verdicts';
  return (
    <div className={classes.catchUp} data-testid="metrics-catch-up" role="status">
      <Text size="xs" c="dimmed">
        Counting {what} into the metrics: {formatCount(p.done)} of {formatCount(p.total)}
      </Text>
      <Progress value={(100 * p.done) / p.total} size="sm" aria-label={`Metrics catch-up, ${what}`} />
    </div>
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
  const stale = useContext(Stale);
  return (
    <div className={`${classes.tiles} ${stale ? classes.stale : ''}`} data-stale={stale || undefined} aria-busy={stale || undefined}>
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

/**
 * True while a part's call for the current filter (or after a change) is on its way and its panels
 * still show the previous answer: they are dimmed and marked busy, so numbers of the old filter are
 * never read as the new one's (a catch-up after a bulk ingest can take seconds).
 */
const Stale = createContext(false);

function Panel({ title, hint, wide, children, testId }: { title: string; hint?: string; wide?: boolean; children: React.ReactNode; testId?: string }) {
  const stale = useContext(Stale);
  return (
    <section
      className={`${classes.panel} ${wide ? classes.panelWide : ''} ${stale ? classes.stale : ''}`}
      data-testid={testId}
      data-stale={stale || undefined}
      aria-busy={stale || undefined}
    >
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

interface PartsStale {
  overview: boolean;
  dims: boolean;
  models: boolean;
  ops: boolean;
}

function Panels({ first, dims, models, ops, stale }: { first: Overview; dims?: DimensionPanels; models?: ModelPanels; ops?: OperationPanels; stale: PartsStale }) {
  const scopeCell = { ...first.filter };
  const pending = (title: string, testId: string) => <Pending key={testId} title={title} testId={testId} />;
  return (
    <>
      <Stale.Provider value={stale.overview}>
        <Tiles data={first} />
      </Stale.Provider>
      {models && models.regressions.length > 0 && <RegressionAlert regressions={models.regressions} stale={stale.models} />}
      <div className={classes.grid}>
        <Stale.Provider value={stale.overview}>
          <Panel title="Escalations per day" hint={
              !first.volumesReported
                ? 'no screened volumes reported'
                : first.daily.every((d) => d.screened === null)
                  ? 'screened volumes are per model and version: not under this filter'
                  : 'screened volumes reported'
            } wide testId="panel-daily">
            <DailyColumns days={first.daily.map((d) => ({ day: d.day, values: { violation: d.violation, dismiss: d.dismiss, escalate: d.escalate, open: d.open } }))} base={scopeCell} />
          </Panel>
        </Stale.Provider>
        <Stale.Provider value={stale.dims}>
          {dims ? <FlagRatesPanel data={dims} /> : pending('False positives from flag calls', 'panel-detectors')}
          {dims ? <RateByPanel rows={dims.categories} title="Violation rate by category" testId="categories" /> : pending('Violation rate by category', 'panel-categories')}
        </Stale.Provider>
        <Stale.Provider value={stale.models}>
          {models ? <ModelPanelsView data={models} filter={first.filter} /> : [pending('Model versions compared', 'panel-models'), pending('Deployments compared', 'panel-deployments')]}
        </Stale.Provider>
        <Stale.Provider value={stale.dims}>
          {dims ? <RateByPanel rows={dims.policies} title="Violation rate by policy" testId="policies" /> : pending('Violation rate by policy', 'panel-policies')}
        </Stale.Provider>
        <Stale.Provider value={stale.ops}>
          {ops ? <OperationPanelsView data={ops} /> : [pending('Time to first decision', 'panel-ttd'), pending('Backlog now, by age', 'panel-backlog'), pending('Reviewers', 'panel-reviewers')]}
        </Stale.Provider>
      </div>
    </>
  );
}

function RegressionAlert({ regressions, stale }: { regressions: ModelPanels['regressions']; stale: boolean }) {
  const drillDown = useUi((s) => s.drillDown);
  return (
    <Alert
      color="red"
      variant="light"
      mb="sm"
      title="A model version or deployment is clearly worse than its baseline"
      data-testid="regressions"
      className={stale ? classes.stale : undefined}
      data-stale={stale || undefined}
      aria-busy={stale || undefined}
    >
      {regressions.slice(0, 4).map((r) => (
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
function FlagRatesPanel({ data }: { data: DimensionPanels }) {
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

function RateByPanel({ rows, title, testId }: { rows: DimensionPanels['categories']; title: string; testId: 'categories' | 'policies' }) {
  return (
    <Panel title={title} hint="confirmed ÷ reviewed" testId={`panel-${testId}`}>
      <RateBars
        what="Violations"
        color="red"
        testId={`bars-${testId}`}
        rows={rows.map((r) => ({ key: r.key, rate: r.rate, lo: r.lo, hi: r.hi, count: r.confirmed, of: r.reviewed, cell: r.cell }))}
      />
    </Panel>
  );
}

function ModelPanelsView({ data, filter }: { data: ModelPanels; filter: MetricFilter }) {
  return (
    <>
        <Panel title="Model versions compared" hint="violation rate, 95 % interval" testId="panel-models">
          <RateBars
            what="Violations"
            color="grape"
            testId="bars-models"
            rows={[...(filter.model === undefined ? data.versions : []), ...data.models]
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
    </>
  );
}

function OperationPanelsView({ data }: { data: OperationPanels }) {
  const drillDown = useUi((s) => s.drillDown);
  return (
    <>
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
