/**
 * Under the verdict form: escalate the open item to an expert route with a question (it leaves
 * my queue and waits in the expert pool with its SLA clock), or put it on hold with a reason and
 * a review-by time (leads see it, overdue flagged). Either ends my lease.
 */
import { Button, Group, SegmentedControl, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTeam } from '../store.ts';
import classes from '../Team.module.css';

type Open = null | 'escalate' | 'hold';

/** Tomorrow at this hour, as a datetime-local value (local time). */
function tomorrow(): string {
  const d = new Date(Date.now() + 86_400_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function HandOver() {
  const handOver = useTeam((s) => s.handOver);
  const busy = useTeam((s) => s.busy);
  const [open, setOpen] = useState<Open>(null);
  const [toRoute, setToRoute] = useState('clinical');
  const [question, setQuestion] = useState('');
  const [first, setFirst] = useState<'violation' | 'dismiss'>('violation');
  const [reason, setReason] = useState('');
  const [reviewBy, setReviewBy] = useState(tomorrow);
  return (
    <div className={classes.handOver} data-testid="team-handover">
      <Group gap={6}>
        <Button size="compact-sm" variant={open === 'escalate' ? 'light' : 'subtle'} color="grape" onClick={() => setOpen(open === 'escalate' ? null : 'escalate')} data-testid="team-escalate-open">
          Ask an expert…
        </Button>
        <Button size="compact-sm" variant={open === 'hold' ? 'light' : 'subtle'} color="gray" onClick={() => setOpen(open === 'hold' ? null : 'hold')} data-testid="team-hold-open">
          Hold…
        </Button>
      </Group>
      {open === 'escalate' && (
        <div className={classes.handOverForm}>
          <TextInput size="xs" label="Expert route" value={toRoute} onChange={(e) => setToRoute(e.currentTarget.value)} data-testid="team-escalate-route" />
          <Textarea size="xs" label="Your question" autosize minRows={2} value={question} onChange={(e) => setQuestion(e.currentTarget.value)} data-testid="team-escalate-question" />
          <Text size="xs" className={classes.muted}>
            Your first-line verdict (the expert&apos;s answer is compared with it)
          </Text>
          <SegmentedControl
            size="xs"
            value={first}
            onChange={(v) => setFirst(v as 'violation' | 'dismiss')}
            data={[
              { value: 'violation', label: 'Violation' },
              { value: 'dismiss', label: 'False positive' },
            ]}
            data-testid="team-escalate-first"
          />
          <Button
            size="xs"
            color="grape"
            loading={busy}
            disabled={!toRoute.trim() || !question.trim()}
            onClick={() => void handOver({ escalate: { toRoute: toRoute.trim(), question: question.trim(), firstDecision: first } })}
            data-testid="team-escalate-send"
          >
            Send to the expert pool
          </Button>
        </div>
      )}
      {open === 'hold' && (
        <div className={classes.handOverForm}>
          <Textarea size="xs" label="Reason" autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="team-hold-reason" />
          <TextInput size="xs" type="datetime-local" label="Review by" value={reviewBy} onChange={(e) => setReviewBy(e.currentTarget.value)} data-testid="team-hold-review-by" />
          <Button
            size="xs"
            color="gray"
            loading={busy}
            disabled={!reason.trim() || !reviewBy || Number.isNaN(Date.parse(reviewBy))}
            onClick={() => void handOver({ hold: { reason: reason.trim(), reviewBy: new Date(reviewBy).toISOString() } })}
            data-testid="team-hold-send"
          >
            Put on hold
          </Button>
        </div>
      )}
    </div>
  );
}
