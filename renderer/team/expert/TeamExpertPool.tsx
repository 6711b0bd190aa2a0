/**
 * The expert pool (issue 13): escalations waiting on my expert routes, soonest due first, with
 * their SLA clock. The expert claims one (a lease) and answers with a verdict (in force; an
 * overturn of the first-line verdict is recorded) or a consult note that returns the item to
 * the first-line queue.
 */
import { Alert, Badge, Button, Group, SegmentedControl, Text, TextInput, Textarea } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { TeamExpertClaim, TeamPoolRow } from '../../../electron/shared/contract.ts';
import { call } from '../../api.ts';
import { emitAppEvent } from '../../lib/appEvents.ts';
import { errorMessage } from '../../lib/format.ts';
import { formatDateTime } from '../../lib/time.ts';
import { Shown } from '../../lib/Shown.tsx';
import { recordText } from './record.ts';
import classes from '../../expert/Expert.module.css';

export function PoolTable({ rows }: { rows: TeamPoolRow[] }) {
  if (!rows.length)
    return (
      <Text size="sm" c="dimmed" data-testid="team-pool-empty">
        No escalations waiting.
      </Text>
    );
  return (
    <table className={classes.table} data-testid="team-pool">
      <thead>
        <tr>
          <th>Item</th>
          <th>From → to</th>
          <th>Question</th>
          <th>Due</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.escalationId} data-testid="team-pool-row" data-overdue={r.overdue || undefined}>
            <td>
              <Shown text={r.extId} />
            </td>
            <td>
              {r.fromRoute} → {r.toRoute}
            </td>
            <td className={classes.wrap}>
              <Shown text={r.question} />
            </td>
            <td>{formatDateTime(r.dueAt)}</td>
            <td>
              {r.overdue ? (
                <Badge color="red" variant="light">
                  Overdue
                </Badge>
              ) : r.held ? (
                <Badge color="gray" variant="light">
                  Claimed
                </Badge>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TeamExpertPool() {
  const [rows, setRows] = useState<TeamPoolRow[] | null>(null);
  const [claim, setClaim] = useState<TeamExpertClaim | null>(null);
  const [kind, setKind] = useState<'verdict' | 'consult'>('verdict');
  const [decision, setDecision] = useState<'violation' | 'dismiss' | null>(null);
  const [labels, setLabels] = useState('');
  const [note, setNote] = useState('');
  const [answer, setAnswer] = useState<{ message: string; overturned: boolean | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setRows((await call('team.expert.pool', {})).rows);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    let live = true;
    call('team.expert.pool', {}).then(
      (r) => live && setRows(r.rows),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, []);

  const doClaim = async () => {
    setBusy(true);
    setError(null);
    try {
      const c = await call('team.expert.claim', {});
      setClaim(c);
      setAnswer(null);
      setDecision(null);
      setLabels('');
      setNote('');
      emitAppEvent('verdict:team-expert-claimed', { escalationId: c?.escalationId ?? null, itemId: c?.itemId ?? null });
      await load();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const send = async () => {
    if (!claim) return;
    setBusy(true);
    setError(null);
    try {
      const list = labels
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean);
      const r = await call('team.expert.answer', {
        escalationId: claim.escalationId,
        token: claim.token,
        kind,
        ...(kind === 'verdict' && decision ? { decision } : {}),
        labels: kind === 'verdict' ? list : [],
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      if (r.status === 'accepted') setAnswer({ message: r.message, overturned: r.overturned });
      else setError(r.message);
      emitAppEvent('verdict:team-expert-answered', { escalationId: claim.escalationId, status: r.status, overturned: r.overturned });
      await load();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const text = useMemo(() => (claim ? recordText(claim.record) : null), [claim]);
  const ready = kind === 'verdict' ? decision !== null : note.trim().length > 0;
  return (
    <div className={classes.detail} data-testid="team-expert">
      <Group gap={8}>
        <Button size="xs" onClick={() => void doClaim()} loading={busy && !claim} disabled={!!claim && !answer} data-testid="team-expert-claim">
          Claim the next escalation
        </Button>
        <Text size="xs" c="dimmed">
          Soonest due first. Your answer is the verdict in force, or a note back to the reviewer.
        </Text>
      </Group>
      {error && (
        <Alert color="red" variant="light" data-testid="team-expert-error">
          {error}
        </Alert>
      )}
      {claim && text && (
        <div className={classes.form} data-testid="team-expert-claimed" data-item-id={claim.itemId}>
          <EscalationItem claim={claim} text={text} />
          {answer ? (
            <Alert color={answer.overturned ? 'orange' : 'green'} variant="light" title={answer.overturned ? 'Overturned the first-line verdict' : 'Answer sent'} data-testid="team-expert-answer">
              {answer.message}
            </Alert>
          ) : (
            <>
              <SegmentedControl
                size="xs"
                value={kind}
                onChange={(v) => setKind(v as 'verdict' | 'consult')}
                data={[
                  { value: 'verdict', label: 'Expert verdict' },
                  { value: 'consult', label: 'Consult note' },
                ]}
                data-testid="team-expert-kind"
              />
              {kind === 'verdict' && (
                <Group gap={8} align="end">
                  <SegmentedControl
                    size="xs"
                    value={decision ?? ''}
                    onChange={(v) => setDecision(v as 'violation' | 'dismiss')}
                    data={[
                      { value: 'violation', label: 'Violation' },
                      { value: 'dismiss', label: 'Dismiss' },
                    ]}
                    data-testid="team-expert-decision"
                  />
                  <TextInput size="xs" label="Labels (comma-separated)" value={labels} onChange={(e) => setLabels(e.currentTarget.value)} data-testid="team-expert-labels" />
                </Group>
              )}
              <Textarea
                size="xs"
                autosize
                minRows={2}
                label={kind === 'verdict' ? 'Note (optional)' : 'Consult note for the reviewer'}
                value={note}
                onChange={(e) => setNote(e.currentTarget.value)}
                data-testid="team-expert-note"
              />
              <Group>
                <Button size="xs" disabled={!ready} loading={busy} onClick={() => void send()} data-testid="team-expert-send">
                  Send answer
                </Button>
              </Group>
            </>
          )}
        </div>
      )}
      <div>
        <Text size="sm" fw={600} mb={4}>
          Waiting in the pool
        </Text>
        {rows && <PoolTable rows={rows} />}
      </div>
    </div>
  );
}

/** The escalated item: routes and due time, the reviewer's question and first verdict, what was judged. */
function EscalationItem({ claim, text }: { claim: TeamExpertClaim; text: NonNullable<ReturnType<typeof recordText>> }) {
  return (
    <>
    <Group gap={8}>
      <Text fw={600} ff="monospace">
        <Shown text={claim.extId} />
      </Text>
      <Badge variant="light">
        {claim.fromRoute} → {claim.toRoute}
      </Badge>
      <Text size="xs" c="dimmed">
        due {formatDateTime(claim.dueAt)}
      </Text>
    </Group>
    <Alert variant="light" color="blue" title={`Question from ${claim.askedBy}`} data-testid="team-expert-question">
      <Shown text={claim.question} />
      <Text size="xs" mt={4}>
        First-line verdict: {claim.firstDecision}
        {claim.firstLabels.length ? ` · ${claim.firstLabels.join(', ')}` : ''}
      </Text>
    </Alert>
    <div>
      <Text size="xs" c="dimmed" mb={2}>
        Prompt
      </Text>
      <div className={classes.content}>{text.input}</div>
      <Text size="xs" c="dimmed" mt={6} mb={2}>
        Model output
      </Text>
      <div className={classes.content} data-testid="team-expert-output">
        {text.output}
      </div>
    </div>
    </>
  );
}
