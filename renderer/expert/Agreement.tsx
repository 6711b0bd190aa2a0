/**
 * Agreement between reviewers (a lead's view): Krippendorff's alpha on the decision, binary
 * alpha per label, Cohen's kappa per reviewer pair and Fleiss' kappa per route, each with its
 * bootstrap interval and the number of items behind it. Computed in the core.
 */
import { Alert, Loader, Select, Text } from '@mantine/core';
import { useState } from 'react';
import type { AgreementReport, Figure } from '../../electron/shared/contract.ts';
import { formatCount } from '../lib/format.ts';
import { useAsync } from '../lib/useAsync.ts';
import { useChangeVersion } from '../shell/changes.ts';
import { fetchAgreement } from './queries.ts';
import classes from './Expert.module.css';

const f3 = (v: number | null) => (v === null ? '—' : v.toFixed(3));

function FigureCells({ f, testId }: { f: Figure; testId?: string }) {
  return (
    <>
      <td data-testid={testId}>{f3(f.value)}</td>
      <td>{f.ci ? `${f3(f.ci[0])} – ${f3(f.ci[1])}` : '—'}</td>
      <td>{formatCount(f.items)}</td>
    </>
  );
}

interface FigureRow {
  key: string;
  name: string;
  figure: Figure;
  testId?: string;
}

/** One titled table of figures: a name, the value, its interval and the items behind it per row. */
function FigureTable({ title, testId, rows }: { title: string; testId: string; rows: FigureRow[] }) {
  return (
    <div className={classes.section}>
      <Text fw={600} size="sm" mb={4}>
        {title}
      </Text>
      <table className={classes.table} data-testid={testId}>
        <thead>
          <tr>
            <th />
            <th>Value</th>
            <th>95% interval</th>
            <th>Items</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td>{r.name}</td>
              <FigureCells f={r.figure} testId={r.testId} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `source` reads the report: the workspace's by default, the team database's in the Team Lead view. */
export function Agreement({ source = fetchAgreement, name = 'agreement' }: { source?: (input: { route?: string }) => Promise<AgreementReport>; name?: string } = {}) {
  const version = useChangeVersion();
  const [route, setRoute] = useState<string | null>(null);
  const { data, error, loading } = useAsync(`${name}:${route ?? ''}:${version}`, () => source(route ? { route } : {}));
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Loader size="sm" type="dots" />;
  return (
    <div data-testid="agreement" data-ready={loading ? 'false' : 'true'}>
      <div className={classes.tiles}>
        <div className={classes.tile}>
          <Text size="xs" c="dimmed">
            Krippendorff's alpha (decision)
          </Text>
          <div className={classes.tileValue} data-testid="agreement-alpha">
            {f3(data.overall.alpha.value)}
          </div>
          <Text size="xs" c="dimmed">
            {data.overall.alpha.ci ? `${f3(data.overall.alpha.ci[0])} – ${f3(data.overall.alpha.ci[1])}` : 'no interval'} · {formatCount(data.items)} items
          </Text>
        </div>
        <div className={classes.tile}>
          <Text size="xs" c="dimmed">
            Fleiss' kappa
          </Text>
          <div className={classes.tileValue}>{f3(data.overall.fleiss.value)}</div>
          <Text size="xs" c="dimmed">
            {formatCount(data.ratings)} ratings · {data.reviewers} reviewers
          </Text>
        </div>
        <div className={classes.tile}>
          <Select
            size="xs"
            label="Route"
            placeholder="All routes"
            clearable
            data={data.byRoute.map((r) => r.route)}
            value={route}
            onChange={setRoute}
            data-testid="agreement-route"
          />
        </div>
      </div>
      <Text size="xs" c="dimmed" mb={8}>
        Each reviewer's standing decision per item (adjudications are not ratings); {data.method.interval}.
      </Text>
      <FigureTable
        title="Cohen's kappa per reviewer pair"
        testId="agreement-pairs"
        rows={data.byPair.map((p) => ({ key: `${p.a}/${p.b}`, name: `${p.a} · ${p.b}`, figure: p.kappa, testId: 'pair-kappa' }))}
      />
      <FigureTable
        title="By route (alpha; Fleiss' kappa)"
        testId="agreement-routes"
        rows={[
          ...data.byRoute.map((r) => ({ key: r.route, name: r.route, figure: r.alpha })),
          ...data.byRoute.map((r) => ({ key: `f-${r.route}`, name: `${r.route} (Fleiss)`, figure: r.fleiss })),
        ]}
      />
      <FigureTable title="By label (binary alpha)" testId="agreement-labels" rows={data.byLabel.map((l) => ({ key: l.label, name: l.label, figure: l.alpha }))} />
      <FigureTable title="By month (alpha)" testId="agreement-periods" rows={data.byPeriod.map((p) => ({ key: p.period, name: p.period, figure: p.alpha }))} />
    </div>
  );
}
