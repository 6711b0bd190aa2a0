/**
 * Agreement between reviewers (a lead's view): Krippendorff's alpha on the decision, binary
 * alpha per label, Cohen's kappa per reviewer pair and Fleiss' kappa per route, each with its
 * bootstrap interval and the number of items behind it. Computed in the core.
 */
import { Alert, Loader, Select, Text } from '@mantine/core';
import { useState } from 'react';
import type { Figure } from '../../electron/shared/contract.ts';
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

export function Agreement() {
  const version = useChangeVersion();
  const [route, setRoute] = useState<string | null>(null);
  const { data, error, loading } = useAsync(`agreement:${route ?? ''}:${version}`, () => fetchAgreement(route ? { route } : {}));
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Loader size="sm" type="dots" />;
  const head = (
    <tr>
      <th />
      <th>Value</th>
      <th>95% interval</th>
      <th>Items</th>
    </tr>
  );
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
      <div className={classes.section}>
        <Text fw={600} size="sm" mb={4}>
          Cohen's kappa per reviewer pair
        </Text>
        <table className={classes.table} data-testid="agreement-pairs">
          <thead>{head}</thead>
          <tbody>
            {data.byPair.map((p) => (
              <tr key={`${p.a}/${p.b}`}>
                <td>
                  {p.a} · {p.b}
                </td>
                <FigureCells f={p.kappa} testId="pair-kappa" />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className={classes.section}>
        <Text fw={600} size="sm" mb={4}>
          By route (alpha; Fleiss' kappa)
        </Text>
        <table className={classes.table} data-testid="agreement-routes">
          <thead>{head}</thead>
          <tbody>
            {data.byRoute.map((r) => (
              <tr key={r.route}>
                <td>{r.route}</td>
                <FigureCells f={r.alpha} />
              </tr>
            ))}
            {data.byRoute.map((r) => (
              <tr key={`f-${r.route}`}>
                <td>{r.route} (Fleiss)</td>
                <FigureCells f={r.fleiss} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className={classes.section}>
        <Text fw={600} size="sm" mb={4}>
          By label (binary alpha)
        </Text>
        <table className={classes.table} data-testid="agreement-labels">
          <thead>{head}</thead>
          <tbody>
            {data.byLabel.map((l) => (
              <tr key={l.label}>
                <td>{l.label}</td>
                <FigureCells f={l.alpha} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className={classes.section}>
        <Text fw={600} size="sm" mb={4}>
          By month (alpha)
        </Text>
        <table className={classes.table} data-testid="agreement-periods">
          <thead>{head}</thead>
          <tbody>
            {data.byPeriod.map((p) => (
              <tr key={p.period}>
                <td>{p.period}</td>
                <FigureCells f={p.alpha} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
