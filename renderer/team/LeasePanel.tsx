import { useEffect, useState } from 'react';
import { Alert, Button, Group, Text, Textarea } from '@mantine/core';
import { HandOver } from './expert/HandOver.tsx';
import { TeamCorrection } from './TeamCorrection.tsx';
import type { TeamBatchView } from '../../electron/shared/contract.ts';
import { formatDateTime } from '../lib/time.ts';
import { Shown } from '../lib/Shown.tsx';
import { STATE_COLOR, stateLabel } from './states.ts';
import { useTeam, type TeamDecision } from './store.ts';
import classes from './Team.module.css';

const DECISIONS: { value: TeamDecision; label: string; color: string }[] = [
  { value: 'violation', label: 'Violation', color: 'red' },
  { value: 'dismiss', label: 'False positive', color: 'teal' },
  { value: 'escalate', label: 'Escalate', color: 'grape' },
];

/** Seconds left on the lease by the server's clock; ticks every second while shown. */
function useRemaining(expiresAt: string, skewMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return Math.max(0, Math.floor((Date.parse(expiresAt) - (now + skewMs)) / 1000));
}

function mmss(s: number): string {
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function LeasePanel() {
  const item = useTeam((s) => s.item);
  return (
    <aside className={classes.leasePane} data-testid="team-lease-pane">
      {/* Keyed by the batch row: the next item (save and next) starts with a clean form. */}
      {item ? item.row.state === 'claimed' ? <ClaimedForm key={item.row.seq} row={item.row} /> : <Outcome row={item.row} /> : null}
    </aside>
  );
}

function ClaimedForm({ row }: { row: TeamBatchView }) {
  const skewMs = useTeam((s) => s.skewMs);
  const online = useTeam((s) => s.status?.online ?? false);
  const leaseSeconds = useTeam((s) => s.status?.routes.find((r) => r.route === row.route)?.leaseSeconds ?? 600);
  const heartbeat = useTeam((s) => s.heartbeat);
  const submit = useTeam((s) => s.submit);
  const release = useTeam((s) => s.release);
  const busy = useTeam((s) => s.busy);
  const [decision, setDecision] = useState<TeamDecision | null>(null);
  const [rationale, setRationale] = useState('');
  const [correction, setCorrection] = useState<string | null>(null);
  const original = useTeam((s) => (s.item?.record.output?.messages ?? []).map((m) => m.content).join('\n\n'));
  const previous = useTeam((s) => s.previous);

  const remaining = useRemaining(row.expiresAt, skewMs);

  // Heartbeat while the item is open: once on opening (is it still mine?), then every third of
  // the lease, so two beats can be lost in a row.
  useEffect(() => {
    if (!online) return;
    void heartbeat();
    const every = Math.min(60_000, Math.max(2000, (leaseSeconds * 1000) / 3));
    const t = setInterval(() => void heartbeat(), every);
    return () => clearInterval(t);
  }, [online, leaseSeconds, heartbeat, row.seq]);
  // At zero the team database says what happened (still ours, expired or reassigned).
  const lapsed = remaining === 0;
  useEffect(() => {
    if (lapsed && online) void heartbeat();
  }, [lapsed, online, heartbeat]);

  const send = (andNext: boolean) => decision && void submit(decision, rationale, correction !== null && correction !== original ? correction : null, andNext);
  const urgent = remaining <= Math.min(60, leaseSeconds / 5);
  return (
    <div className={classes.leaseForm}>
      {previous && (
        <Text size="xs" className={classes.muted} data-testid="team-previous" data-state={previous.state}>
          Saved: your verdict on <Shown text={previous.externalId || `#${previous.itemId}`} /> was accepted; this is your next item.
        </Text>
      )}
      <div className={classes.countdown} data-urgent={urgent || undefined} data-testid="team-lease-countdown" aria-live="off">
        <Text size="xs" className={classes.muted}>
          Lease
        </Text>
        <Text className={classes.clock} data-testid="team-lease-remaining">
          {mmss(remaining)}
        </Text>
        <Text size="xs" className={classes.muted}>
          {online ? 'kept alive while this item is open' : 'offline: the lease runs out on the server clock; your verdict is kept either way'}
        </Text>
      </div>
      <div className={classes.decisions} role="radiogroup" aria-label="Decision">
        {DECISIONS.map((d) => (
          <Button
            key={d.value}
            variant={decision === d.value ? 'filled' : 'default'}
            color={d.color}
            role="radio"
            aria-checked={decision === d.value}
            onClick={() => setDecision(d.value)}
            data-testid={`team-decision-${d.value}`}
          >
            {d.label}
          </Button>
        ))}
      </div>
      {decision && <TeamCorrection original={original} value={correction} onChange={setCorrection} />}
      <Textarea label="Rationale" autosize minRows={3} maxRows={10} value={rationale} onChange={(e) => setRationale(e.currentTarget.value)} data-testid="team-rationale" />
      <Group gap={8}>
        <Button disabled={!decision} loading={busy} onClick={() => send(true)} data-testid="team-submit">
          {online ? 'Save and next' : 'Save verdict (sent on reconnect)'}
        </Button>
        {online && (
          <Button variant="default" disabled={!decision || busy} onClick={() => send(false)} data-testid="team-save-stop">
            Save and stop
          </Button>
        )}
        <Button variant="subtle" color="gray" disabled={!online || busy} onClick={() => void release()} data-testid="team-release">
          Give back
        </Button>
      </Group>
      {online && <HandOver />}
    </div>
  );
}

const OUTCOME_TEXT: Record<string, (row: TeamBatchView) => { title: string; body: string }> = {
  pending: () => ({ title: 'Saved here, waiting to be sent', body: 'The team database is not reachable. Your verdict is stored in this workspace and is sent when the connection is back; the lease rules then decide.' }),
  accepted: () => ({ title: 'Accepted', body: 'The team database accepted your verdict.' }),
  refused: (r) =>
    r.reasonCode === 'withdrawn'
      ? { title: 'Refused: someone escalated or held this item', body: 'Another person sent this item to an expert or put it on hold while you had it, which ended your lease, so your verdict was not counted. It stays here, visible and exportable.' }
      : { title: 'Refused by the team database', body: 'Your verdict was not counted. It stays here, visible and exportable.' },
  expired: (r) =>
    r.reasonCode === 'withdrawn'
      ? { title: 'This item was escalated or put on hold', body: 'Another person sent it to an expert or put it on hold while you had it, which ended your lease. Nothing you entered was sent.' }
      : r.reasonCode === 'reassigned'
      ? r.decision
        ? { title: 'Refused: this item was reassigned', body: 'Your verdict arrived after your lease ran out and another reviewer had claimed the item, so it was not counted. It stays here, visible and exportable.' }
        : { title: 'This item was reassigned', body: 'Your lease ran out and the item went to another reviewer. Nothing you entered was sent.' }
      : r.decision
        ? { title: 'Refused: the lease had expired', body: 'Your verdict arrived after the lease ran out, so it was not counted. It stays here, visible and exportable.' }
        : { title: 'The lease ran out', body: 'The item went back to the team queue before a verdict was given.' },
  released: () => ({ title: 'Given back', body: 'The item went back to the team queue.' }),
};

function Outcome({ row }: { row: TeamBatchView }) {
  const text = OUTCOME_TEXT[row.state]!(row);
  const next = useTeam((s) => s.status?.batch.find((b) => b.state === 'claimed') ?? null);
  const open = useTeam((s) => s.open);
  return (
    <div className={classes.leaseForm} data-testid="team-outcome" data-state={row.state} data-reason={row.reasonCode ?? ''}>
      <Alert color={STATE_COLOR[row.state]} variant="light" title={text.title} data-testid="team-outcome-title">
        <Text size="sm">{text.body}</Text>
        {row.reason && (
          <Text size="xs" mt={6} data-testid="team-outcome-reason">
            {row.reason}
          </Text>
        )}
      </Alert>
      <dl className={classes.facts}>
        <dt>State</dt>
        <dd>{stateLabel(row)}</dd>
        {row.decision && (
          <>
            <dt>Your decision</dt>
            <dd data-testid="team-outcome-decision">{row.decision}</dd>
          </>
        )}
        {row.correction !== null && (
          <>
            <dt>Your correction</dt>
            <dd data-testid="team-outcome-correction">
              <Shown text={row.correction.length > 300 ? `${row.correction.slice(0, 300)}…` : row.correction} />
            </dd>
          </>
        )}
        {row.decidedAt && (
          <>
            <dt>Decided</dt>
            <dd>{formatDateTime(row.decidedAt)}</dd>
          </>
        )}
        {row.resolvedAt && (
          <>
            <dt>Answered</dt>
            <dd>{formatDateTime(row.resolvedAt)}</dd>
          </>
        )}
      </dl>
      {next && (
        <Button variant="light" onClick={() => void open(next.seq)} data-testid="team-next">
          Next in my batch:&nbsp;<Shown text={next.externalId || `#${next.itemId}`} />
        </Button>
      )}
    </div>
  );
}
