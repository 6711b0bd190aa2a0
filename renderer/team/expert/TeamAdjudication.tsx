/**
 * Team adjudication (issue 13): the adjudicator claims the next disagreement (a lease, like a
 * review claim), sees every verdict side by side, names hidden on a blind route until decided,
 * and decides; the decision is the verdict in force. Keyboard: c claims, 1-9 adopt a verdict,
 * v/f choose violation/dismiss, n writes the rationale, Ctrl/⌘+Enter decides.
 */
import { Alert, Badge, Button, Group, Kbd, SegmentedControl, Text, Textarea } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { TeamAdjudication as Adj, TeamSide } from '../../../electron/shared/contract.ts';
import { call } from '../../api.ts';
import { emitAppEvent } from '../../lib/appEvents.ts';
import { DECISION_COLOR, errorMessage } from '../../lib/format.ts';
import { Shown } from '../../lib/Shown.tsx';
import { isTextField } from '../../shell/shortcuts.ts';
import { recordText } from './record.ts';
import classes from '../../expert/Expert.module.css';

type Decision = 'violation' | 'dismiss';

export function TeamAdjudication() {
  const [adj, setAdj] = useState<Adj | null>(null);
  const [empty, setEmpty] = useState(false);
  const [decision, setDecision] = useState<Decision | null>(null);
  const [labels, setLabels] = useState<string[]>([]);
  const [rationale, setRationale] = useState('');
  const [adopted, setAdopted] = useState<number | null>(null);
  const [done, setDone] = useState<{ message: string; sides: TeamSide[]; summary: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rationaleRef = useRef<HTMLTextAreaElement>(null);

  const claim = async () => {
    // An undecided claim stays mine until decided (or its lease runs out): no second claim over it.
    if (adj && !done) return;
    setBusy(true);
    setError(null);
    try {
      const a = await call('team.adjudication.claim', {});
      setAdj(a);
      setEmpty(a === null);
      setDone(null);
      setDecision(null);
      setLabels([]);
      setRationale('');
      setAdopted(null);
      emitAppEvent('verdict:team-adjudication-claimed', { itemId: a?.itemId ?? null, sides: a?.sides.map((s) => s.reviewer) ?? [] });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const adopt = (i: number) => {
    const s = adj?.sides[i];
    if (!s || (s.decision !== 'violation' && s.decision !== 'dismiss') || done) return;
    setDecision(s.decision);
    setLabels(s.labels);
    setAdopted(i);
  };
  const decide = async () => {
    if (!adj || !decision || busy || done) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('team.adjudication.decide', { itemId: adj.itemId, token: adj.token, decision, labels, severity: null, rationale: rationale.trim() || null });
      const summary = `${decision}${labels.length ? ` · ${labels.join(', ')}` : ''}${rationale.trim() ? ` — ${rationale.trim()}` : ''}`;
      if (r.status === 'accepted') setDone({ message: r.message, sides: r.sides, summary });
      else setError(r.message);
      emitAppEvent('verdict:team-adjudicated', { itemId: adj.itemId, status: r.status, sides: r.sides.map((s) => s.reviewer) });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const choose = (d: Decision) => {
    if (!done) setDecision(d);
  };
  useAdjudicationKeys({ claim, adopt, decide, choose }, rationaleRef);

  const sides = useMemo(() => done?.sides ?? adj?.sides ?? [], [done, adj]);
  const labelsUnion = useMemo(() => [...new Set(sides.flatMap((s) => s.labels))].sort(), [sides]);
  const text = useMemo(() => (adj ? recordText(adj.record) : null), [adj]);
  return (
    <div className={classes.detail} data-testid="team-adjudication">
      <Group gap={8}>
        <Button size="xs" onClick={() => void claim()} loading={busy && !adj} disabled={!!adj && !done} data-testid="team-adjudication-claim">
          Claim next disagreement
        </Button>
        <Text size="xs" c="dimmed">
          <Kbd size="xs">c</Kbd> claim · <Kbd size="xs">1</Kbd>–<Kbd size="xs">9</Kbd> adopt · <Kbd size="xs">v</Kbd>/<Kbd size="xs">f</Kbd> decide · <Kbd size="xs">Ctrl</Kbd>+
          <Kbd size="xs">Enter</Kbd> record
        </Text>
      </Group>
      {error && (
        <Alert color="red" variant="light" data-testid="team-adjudication-error">
          {error}
        </Alert>
      )}
      {empty && (
        <Text size="sm" c="dimmed" data-testid="team-adjudication-empty">
          Nothing waits for adjudication on your routes.
        </Text>
      )}
      {adj && text && (
        <>
          <AdjudicationItem adj={adj} decided={!!done} text={text} />
          <SideCards sides={sides} adopted={adopted} />
          {done ? (
            <Alert color="green" variant="light" title="Adjudicated: this verdict is in force" data-testid="team-adjudication-decided">
              <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                {done.summary}
              </Text>
              <Text size="xs" mt={4}>
                {done.message}. Reviewer names are shown now.
              </Text>
            </Alert>
          ) : (
            <div className={classes.form} data-testid="team-adjudication-form">
              <SegmentedControl
                size="xs"
                value={decision ?? ''}
                onChange={(v) => setDecision(v as Decision)}
                data={[
                  { value: 'violation', label: 'Violation (v)' },
                  { value: 'dismiss', label: 'Dismiss (f)' },
                ]}
                data-testid="team-adjudication-decision"
              />
              {labelsUnion.length > 0 && (
                <Group gap={4}>
                  {labelsUnion.map((l) => {
                    const on = labels.includes(l);
                    return (
                      <Badge
                        key={l}
                        component="button"
                        variant={on ? 'filled' : 'outline'}
                        style={{ cursor: 'pointer' }}
                        onClick={() => setLabels(on ? labels.filter((x) => x !== l) : [...labels, l].sort())}
                      >
                        {l}
                      </Badge>
                    );
                  })}
                </Group>
              )}
              <Textarea
                ref={rationaleRef}
                size="xs"
                autosize
                minRows={2}
                aria-label="Rationale"
                placeholder="Why (n): what the reviewers missed or weighed differently"
                value={rationale}
                onChange={(e) => setRationale(e.currentTarget.value)}
                data-testid="team-adjudication-rationale"
              />
              <Group>
                <Button size="xs" disabled={!decision} loading={busy} onClick={() => void decide()} data-testid="team-adjudication-decide">
                  Decide
                </Button>
              </Group>
            </div>
          )}
        </>
      )}
    </div>
  );
}

interface AdjudicationKeys {
  claim: () => Promise<void>;
  adopt: (i: number) => void;
  decide: () => Promise<void>;
  choose: (d: Decision) => void;
}

/** c claim, 1–9 adopt a side, v / f decide, n rationale, Ctrl+Enter record (the latest handlers, one listener). */
function useAdjudicationKeys(actions: AdjudicationKeys, rationaleRef: RefObject<HTMLTextAreaElement | null>): void {
  const keys = useRef(actions);
  useEffect(() => {
    keys.current = actions;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = keys.current;
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        void k.decide();
        return;
      }
      if (isTextField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'c') void k.claim();
      else if (e.key === 'v') k.choose('violation');
      else if (e.key === 'f') k.choose('dismiss');
      else if (e.key === 'n') rationaleRef.current?.focus();
      else if (/^[1-9]$/.test(e.key)) k.adopt(Number(e.key) - 1);
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [rationaleRef]);
}

/** The item's id, route and state, and the prompt and output the reviewers judged. */
function AdjudicationItem({ adj, decided, text }: { adj: Adj; decided: boolean; text: NonNullable<ReturnType<typeof recordText>> }) {
  return (
    <>
    <Group gap={8} data-testid="team-adjudication-head" data-item-id={adj.itemId}>
      <Text fw={600} ff="monospace">
        <Shown text={adj.externalId} />
      </Text>
      <Badge variant="light">
        <Shown text={adj.route} />
      </Badge>
      <Badge variant="light" color={decided ? 'green' : 'orange'} data-testid="team-adjudication-status">
        {decided ? 'Decided' : `${adj.sides.length} verdicts disagree`}
      </Badge>
      {adj.blind && !decided && (
        <Badge variant="outline" color="gray" data-testid="team-blind-badge">
          Blind: names shown after your decision
        </Badge>
      )}
    </Group>
    <div>
      <Text size="xs" c="dimmed" mb={2}>
        Prompt
      </Text>
      <div className={classes.content} data-testid="team-adjudication-input">
        {text.input}
      </div>
      <Text size="xs" c="dimmed" mt={6} mb={2}>
        Model output
      </Text>
      <div className={classes.content} data-testid="team-adjudication-output">
        {text.output}
      </div>
    </div>
    </>
  );
}

/** The reviewers' verdicts side by side (1–9 adopts one). */
function SideCards({ sides, adopted }: { sides: TeamSide[]; adopted: number | null }) {
  return (
    <div className={classes.sides} data-testid="team-adjudication-sides">
      {sides.map((s, i) => (
        <div key={s.n} className={classes.side} data-chosen={adopted === i || undefined} data-testid="team-adjudication-side" data-reviewer={s.reviewer}>
          <Group gap={6} justify="space-between" wrap="nowrap">
            <Text size="sm" fw={600}>
              <Kbd size="xs">{i + 1}</Kbd> {s.reviewer}
            </Text>
            <Badge color={DECISION_COLOR[s.decision] ?? 'gray'} variant="light">
              {s.decision}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            Labels: {s.labels.length ? s.labels.join(', ') : 'none'}
            {s.severity ? ` · severity ${s.severity}` : ''}
          </Text>
          <Text size="sm" c={s.rationale ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {s.rationale ?? 'No rationale'}
          </Text>
        </div>
      ))}
    </div>
  );
}
