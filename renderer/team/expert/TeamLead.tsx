/**
 * The lead's team view (issue 13): everything on hold (overdue first), gold accuracy per
 * reviewer, expert overturns per route, label and model, agreement over the team's verdicts (the
 * local report's figures, from the team database), the expert pool's SLA, and the items
 * with the verdict in force, where a lead marks gold, reopens with a reason and reads the lineage.
 */
import { Alert, Badge, Button, Group, NumberInput, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { TeamHistoryRow, TeamLeadItem, TeamLeadView } from '../../../electron/shared/contract.ts';
import type { TeamRouteSetting } from '../../../electron/shared/models/team-expert.ts';
import { call } from '../../api.ts';
import { emitAppEvent } from '../../lib/appEvents.ts';
import { errorMessage } from '../../lib/format.ts';
import { formatDateTime } from '../../lib/time.ts';
import { Shown } from '../../lib/Shown.tsx';
import { PoolTable } from './TeamExpertPool.tsx';
import { Agreement } from '../../expert/Agreement.tsx';
import classes from '../../expert/Expert.module.css';

const pct = (a: number, b: number) => (b ? `${Math.round((100 * a) / b)}%` : '–');

type Run = (fn: () => Promise<TeamLeadView>) => Promise<void>;

export function TeamLead() {
  const [view, setView] = useState<TeamLeadView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const show = useCallback((v: TeamLeadView) => {
    setView(v);
    emitAppEvent('verdict:team-lead-loaded', {
      holds: v.holds.map((h) => ({ itemId: h.itemId, overdue: h.overdue })),
      gold: v.gold,
      overturns: v.overturns,
    });
  }, []);
  const run = useCallback(
    async (fn: () => Promise<TeamLeadView>) => {
      setError(null);
      try {
        show(await fn());
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [show],
  );
  useEffect(() => {
    let live = true;
    call('team.lead.view', {}).then(
      (v) => live && show(v),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [show]);
  if (!view) return error ? <Alert color="red">{error}</Alert> : null;
  return (
    <div className={classes.panel} data-testid="team-lead">
      <Group mb={8}>
        <Button size="xs" variant="light" onClick={() => void run(() => call('team.lead.view', {}))} data-testid="team-lead-refresh">
          Refresh
        </Button>
      </Group>
      {error && (
        <Alert color="red" variant="light" mb={8} data-testid="team-lead-error">
          {error}
        </Alert>
      )}
      <section className={classes.section}>
        <Text fw={600} mb={4}>
          Routes: gold rate and expert SLA
        </Text>
        <table className={classes.table} data-testid="team-routes">
          <thead>
            <tr>
              <th>Route</th>
              <th>Gold rate (%)</th>
              <th>Expert SLA (hours)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {view.routes.map((r) => (
              <RouteRow key={r.route} r={r} run={run} />
            ))}
          </tbody>
        </table>
      </section>
      <HoldsSection view={view} run={run} />
      <GoldSection view={view} />
      <OverturnsSection view={view} />
      <section className={classes.section} data-testid="team-agreement">
        <Text fw={600} mb={4}>
          Agreement over team verdicts
        </Text>
        <Agreement name="team-agreement" source={(input) => call('team.lead.agreement', input)} />
      </section>
      <section className={classes.section}>
        <Text fw={600} mb={4}>
          Expert pool
        </Text>
        <PoolTable rows={view.pool} />
      </section>
      <section className={classes.section}>
        <Text fw={600} mb={4}>
          Items
        </Text>
        <table className={classes.table} data-testid="team-lead-items">
          <thead>
            <tr>
              <th>Item</th>
              <th>Route</th>
              <th>Status</th>
              <th>In force</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {view.items.map((it) => (
              <ItemRow key={it.itemId} it={it} run={run} />
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function ItemRow({ it, run }: { it: TeamLeadItem; run: (fn: () => Promise<TeamLeadView>) => Promise<void> }) {
  const [reason, setReason] = useState<string | null>(null);
  const [history, setHistory] = useState<TeamHistoryRow[] | null>(null);
  const decided = it.status === 'decided';
  const loadHistory = async () => setHistory(history ? null : (await call('team.history', { itemId: it.itemId })).rows);
  return (
    <>
      <tr data-testid="team-lead-item" data-ext-id={it.extId} data-status={it.status}>
        <td>
          <Shown text={it.extId} />
          {it.gold && (
            <Badge ml={6} size="xs" color="yellow" variant="light">
              Gold
            </Badge>
          )}
        </td>
        <td>{it.route}</td>
        <td>{it.status}</td>
        <td>{it.inForce ? `${it.inForce} (${it.inForceKind})` : '–'}</td>
        <td>
          <Group gap={4} wrap="nowrap">
            <Button size="compact-xs" variant="subtle" onClick={() => void loadHistory()} data-testid="team-lead-history">
              History
            </Button>
            {decided && !it.gold && it.inForce && (
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() => void run(() => call('team.lead.markGold', { itemId: it.itemId, decision: it.inForce as 'violation' | 'dismiss', labels: [] }))}
                data-testid="team-lead-gold"
              >
                Mark gold ({it.inForce})
              </Button>
            )}
            {decided && (
              <Button size="compact-xs" variant="subtle" color="orange" onClick={() => setReason(reason === null ? '' : null)} data-testid="team-lead-reopen">
                Reopen…
              </Button>
            )}
          </Group>
        </td>
      </tr>
      {reason !== null && (
        <tr>
          <td colSpan={5}>
            <Group gap={6}>
              <TextInput size="xs" placeholder="Why reopen (kept in the history)" aria-label="Reopen reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="team-lead-reopen-reason" w={360} />
              <Button
                size="compact-sm"
                color="orange"
                disabled={!reason.trim()}
                onClick={() => void run(() => call('team.lead.reopen', { itemId: it.itemId, reason: reason.trim() })).then(() => setReason(null))}
                data-testid="team-lead-reopen-confirm"
              >
                Reopen
              </Button>
            </Group>
          </td>
        </tr>
      )}
      {history && (
        <tr>
          <td colSpan={5} className={classes.wrap} data-testid="team-lead-history-rows">
            {history.map((h, i) => (
              <Text key={i} size="xs" data-testid="team-history-row" data-kind={h.kind}>
                {formatDateTime(h.at)} · {h.kind} · {h.actor}
                {h.decision ? ` · ${h.decision}` : ''}
                {h.labels?.length ? ` [${h.labels.join(', ')}]` : ''}
                {h.detail ? ` — ${h.detail}` : ''}
              </Text>
            ))}
          </td>
        </tr>
      )}
    </>
  );
}

function RouteRow({ r, run }: { r: TeamRouteSetting; run: (fn: () => Promise<TeamLeadView>) => Promise<void> }) {
  const [rate, setRate] = useState<number | string>(Math.round(r.goldRate * 1000) / 10);
  const [sla, setSla] = useState<number | string>(Math.round((r.expertSlaSeconds / 3600) * 100) / 100);
  const changed = Number(rate) !== Math.round(r.goldRate * 1000) / 10 || Number(sla) !== Math.round((r.expertSlaSeconds / 3600) * 100) / 100;
  return (
    <tr data-testid="team-route-row" data-route={r.route}>
      <td>{r.route}</td>
      <td>
        <NumberInput size="xs" w={90} min={0} max={100} value={rate} onChange={setRate} aria-label={`Gold rate of ${r.route} (%)`} data-testid="team-route-gold" />
      </td>
      <td>
        <NumberInput size="xs" w={90} min={0.02} max={8760} value={sla} onChange={setSla} aria-label={`Expert SLA of ${r.route} (hours)`} />
      </td>
      <td>
        <Button
          size="compact-xs"
          variant="light"
          disabled={!changed}
          onClick={() => void run(() => call('team.lead.route', { route: r.route, goldRate: Number(rate) / 100, slaHours: Number(sla) }))}
          data-testid="team-route-save"
        >
          Save
        </Button>
      </td>
    </tr>
  );
}

function HoldsSection({ view, run }: { view: TeamLeadView; run: Run }) {
  return (
  <section className={classes.section}>
    <Text fw={600} mb={4}>
      On hold
    </Text>
    {view.holds.length === 0 ? (
      <Text size="sm" c="dimmed">
        Nothing on hold.
      </Text>
    ) : (
      <table className={classes.table} data-testid="team-holds">
        <thead>
          <tr>
            <th>Item</th>
            <th>Route</th>
            <th>Held by</th>
            <th>Reason</th>
            <th>Review by</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {view.holds.map((h) => (
            <tr key={h.holdId} data-testid="team-hold-row" data-overdue={h.overdue || undefined}>
              <td>
                <Shown text={h.extId} />
              </td>
              <td>{h.route}</td>
              <td>{h.heldBy}</td>
              <td className={classes.wrap}>
                <Shown text={h.reason} />
              </td>
              <td>
                {formatDateTime(h.reviewBy)}{' '}
                {h.overdue && (
                  <Badge color="red" variant="light" data-testid="team-hold-overdue">
                    Overdue
                  </Badge>
                )}
              </td>
              <td>
                <Button size="compact-xs" variant="subtle" onClick={() => void run(() => call('team.lead.releaseHold', { itemId: h.itemId }))}>
                  Release
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
  );
}

function GoldSection({ view }: { view: TeamLeadView }) {
  return (
  <section className={classes.section}>
    <Text fw={600} mb={4}>
      Gold accuracy
    </Text>
    {view.gold.length === 0 ? (
      <Text size="sm" c="dimmed">
        No gold items served yet. Mark decided items as gold below; claims mix them in at the route&apos;s gold rate.
      </Text>
    ) : (
      <table className={classes.table} data-testid="team-gold">
        <thead>
          <tr>
            <th>Reviewer</th>
            <th>Route</th>
            <th>Month</th>
            <th>Served</th>
            <th>Answered</th>
            <th>Correct</th>
            <th>Accuracy</th>
          </tr>
        </thead>
        <tbody>
          {view.gold.map((g) => (
            <tr key={`${g.reviewer}/${g.route}/${g.month}`} data-testid="team-gold-row" data-reviewer={g.reviewer}>
              <td>{g.reviewer}</td>
              <td>{g.route}</td>
              <td>{g.month}</td>
              <td>{g.served}</td>
              <td>{g.answered}</td>
              <td>{g.correct}</td>
              <td data-testid="team-gold-accuracy">{pct(g.correct, g.answered)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
  );
}

function OverturnsSection({ view }: { view: TeamLeadView }) {
  return (
  <section className={classes.section}>
    <Text fw={600} mb={4}>
      Expert overturns
    </Text>
    {view.overturns.length === 0 ? (
      <Text size="sm" c="dimmed">
        No expert verdicts yet.
      </Text>
    ) : (
      <table className={classes.table} data-testid="team-overturns">
        <thead>
          <tr>
            <th>Route</th>
            <th>Label</th>
            <th>Model</th>
            <th>Answered</th>
            <th>Overturned</th>
            <th>Rate</th>
          </tr>
        </thead>
        <tbody>
          {view.overturns.map((o) => (
            <tr key={`${o.route}/${o.label}/${o.model}`} data-testid="team-overturn-row" data-label={o.label}>
              <td>{o.route}</td>
              <td>{o.label}</td>
              <td>
                <Shown text={o.model} />
              </td>
              <td>{o.answered}</td>
              <td>{o.overturned}</td>
              <td>{pct(o.overturned, o.answered)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
  );
}
