/**
 * The adjudication screen: every reviewer's standing verdict side by side (decision, labels,
 * severity, rationale, correction diffed against the original and against the other
 * corrections), reviewer names hidden on a blind route until the adjudicator decides.
 * Keyboard-first: j/k move in the queue, 1-9 adopt a reviewer's verdict, v/f choose
 * violation/dismiss, n writes the rationale, r reveals masked content, Ctrl/⌘+Enter decides.
 */
import { Alert, Badge, Button, Group, Kbd, Loader, SegmentedControl, Text, Textarea, UnstyledButton } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AdjudicationView, WellbeingView } from '../../electron/shared/contract.ts';
import { DECISION_COLOR, errorMessage, shortId } from '../lib/format.ts';
import { useAsync } from '../lib/useAsync.ts';
import { emitAppEvent } from '../lib/appEvents.ts';
import { WordDiff } from '../item/DiffView.tsx';
import { useChangeVersion } from '../shell/changes.ts';
import { isTextField } from '../shell/shortcuts.ts';
import { decideAdjudication, fetchAdjudication, fetchAdjudicationQueue, revealItem } from './queries.ts';
import classes from './Expert.module.css';

type Decision = 'violation' | 'dismiss';

interface Draft {
  decision: Decision | null;
  labels: string[];
  rationale: string;
  adopted: number | null;
}

const EMPTY: Draft = { decision: null, labels: [], rationale: '', adopted: null };

export function Adjudication() {
  const version = useChangeVersion();
  const { data: queue } = useAsync(`adj-queue:${version}`, fetchAdjudicationQueue);
  const [picked, setSelected] = useState<string | null>(null);
  const [decidedView, setDecidedView] = useState<AdjudicationView | null>(null);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [revealed, setRevealed] = useState<Record<string, boolean>>({});
  const [wellbeing, setWellbeing] = useState<WellbeingView | null>(null);
  const [actionError, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  const rows = useMemo(() => queue?.rows ?? [], [queue]);
  const selected = picked ?? rows[0]?.id ?? null;
  const { data: loaded, error: loadError } = useAsync(selected ? `adj:${selected}` : null, () => fetchAdjudication(selected!));
  const view = decidedView?.itemId === selected ? decidedView : loaded?.itemId === selected ? loaded : null;
  const error = actionError ?? loadError ?? null;
  const draft = (selected && drafts[selected]) || EMPTY;
  const setDraft = (fn: (d: Draft) => Draft) => {
    if (selected) setDrafts((all) => ({ ...all, [selected]: fn(all[selected] ?? EMPTY) }));
  };
  useEffect(() => {
    if (loaded) emitAppEvent('verdict:adjudication-open', { id: loaded.itemId });
  }, [loaded]);

  const move = (step: number) => {
    if (!rows.length) return;
    const i = rows.findIndex((r) => r.id === selected);
    const next = i < 0 ? rows[0] : rows[Math.min(rows.length - 1, Math.max(0, i + step))];
    if (next) {
      setError(null);
      setSelected(next.id);
    }
  };
  const adopt = (i: number) => {
    const side = view?.sides[i];
    if (!side || (side.verdict.decision !== 'violation' && side.verdict.decision !== 'dismiss')) return;
    setDraft((d) => ({ ...d, decision: side.verdict.decision as Decision, labels: side.verdict.labels, adopted: i }));
  };
  const reveal = async () => {
    if (!view?.masked || revealed[view.itemId]) return;
    setRevealed((r) => ({ ...r, [view.itemId]: true }));
    try {
      setWellbeing(await revealItem(view.itemId));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const decide = async () => {
    if (!view || !draft.decision || busy) return;
    setBusy(true);
    setError(null);
    try {
      const v = await decideAdjudication({ itemId: view.itemId, decision: draft.decision, labels: draft.labels, rationale: draft.rationale || null });
      setDecidedView(v);
      emitAppEvent('verdict:adjudicated', { id: v.itemId });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const keys = useRef({ move, adopt, reveal, decide, setDraft });
  useEffect(() => {
    keys.current = { move, adopt, reveal, decide, setDraft };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = keys.current;
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        void k.decide();
        return;
      }
      if (e.key === 'Escape' && isTextField(e.target)) {
        (e.target as HTMLElement).blur();
        return;
      }
      if (isTextField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const handled = (() => {
        if (e.key === 'j') k.move(1);
        else if (e.key === 'k') k.move(-1);
        else if (e.key === 'v') k.setDraft((d) => ({ ...d, decision: 'violation' }));
        else if (e.key === 'f') k.setDraft((d) => ({ ...d, decision: 'dismiss' }));
        else if (e.key === 'r') void k.reveal();
        else if (e.key === 'n') rationaleRef.current?.focus();
        else if (/^[1-9]$/.test(e.key)) k.adopt(Number(e.key) - 1);
        else return false;
        return true;
      })();
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className={classes.adj} data-testid="adjudication">
      <div className={classes.queue} data-testid="adjudication-queue">
        <Text size="xs" c="dimmed" mb={4}>
          {queue ? `${queue.disputed} waiting for adjudication` : 'Loading…'} · <Kbd size="xs">j</Kbd>/<Kbd size="xs">k</Kbd>
        </Text>
        {rows.map((r) => (
          <UnstyledButton
            key={r.id}
            className={classes.queueRow}
            data-selected={r.id === selected || undefined}
            onClick={() => {
              setError(null);
              setSelected(r.id);
            }}
            data-testid="adjudication-row"
            data-item-id={r.id}
          >
            <Group gap={6} wrap="nowrap">
              <Badge size="xs" variant="light" color="orange">
                {r.reviewers} reviewers
              </Badge>
              <Text size="xs" c="dimmed" className="truncate">
                {r.route} · #{shortId(r.id)}
              </Text>
            </Group>
            <Text size="xs" lineClamp={2} mt={2}>
              {r.masked && !revealed[r.id] ? `Masked (${r.masked})` : r.snippet || (view?.itemId === r.id ? view.original.slice(0, 120) : '')}
            </Text>
          </UnstyledButton>
        ))}
        {queue && rows.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="adjudication-empty">
            No disagreements: every item's reviewers agree, or it was adjudicated.
          </Text>
        )}
      </div>
      <div className={classes.detail}>
        {error && (
          <Alert color="red" variant="light" data-testid="adjudication-error">
            {error}
          </Alert>
        )}
        {!view && selected && <Loader size="sm" type="dots" />}
        {view && (
          <Detail
            view={view}
            draft={draft}
            setDraft={setDraft}
            revealed={!view.masked || !!revealed[view.itemId]}
            onReveal={() => void reveal()}
            wellbeing={wellbeing}
            onDecide={() => void decide()}
            busy={busy}
            rationaleRef={rationaleRef}
          />
        )}
      </div>
    </div>
  );
}

function Detail({
  view,
  draft,
  setDraft,
  revealed,
  onReveal,
  wellbeing,
  onDecide,
  busy,
  rationaleRef,
}: {
  view: AdjudicationView;
  draft: Draft;
  setDraft: (fn: (d: Draft) => Draft) => void;
  revealed: boolean;
  onReveal: () => void;
  wellbeing: WellbeingView | null;
  onDecide: () => void;
  busy: boolean;
  rationaleRef: React.RefObject<HTMLTextAreaElement | null>;
}) {
  const decided = view.adjudication !== null;
  const labelsUnion = useMemo(() => [...new Set(view.sides.flatMap((s) => s.verdict.labels))].sort(), [view]);
  return (
    <>
      <Group gap={8} wrap="wrap" data-testid="adjudication-head" data-item-id={view.itemId}>
        <Text fw={600}>Item #{shortId(view.itemId)}</Text>
        <Badge variant="light">{view.route}</Badge>
        <Badge variant="light" color={decided ? 'green' : 'orange'} data-testid="adjudication-status">
          {decided ? 'Adjudicated' : view.needsAdjudication ? 'Needs adjudication' : view.status}
        </Badge>
        {view.blind && (
          <Badge variant="outline" color="gray" data-testid="blind-badge">
            Blind: names shown after your decision
          </Badge>
        )}
      </Group>
      {wellbeing?.breakDue && (
        <Alert color="blue" variant="light" data-testid="break-reminder" title="Time for a break">
          You have opened {wellbeing.reveals} masked items today. Step away for a few minutes.
        </Alert>
      )}
      {revealed ? (
        <div>
          <Text size="xs" c="dimmed" mb={2}>
            Prompt
          </Text>
          <div className={classes.content} data-testid="adjudication-input">
            {view.input}
          </div>
          <Text size="xs" c="dimmed" mt={6} mb={2}>
            Model output (the original the corrections are compared with)
          </Text>
          <div className={classes.content} data-testid="adjudication-output">
            {view.original}
          </div>
        </div>
      ) : (
        <div className={classes.masked} data-testid="masked-content">
          <Text size="sm" fw={600}>
            Masked: {view.masked}
          </Text>
          <Text size="sm" c="dimmed">
            This content may be distressing. Press <Kbd size="xs">r</Kbd> to reveal it (recorded in your daily exposure count).
          </Text>
          <Button size="compact-xs" variant="light" mt={6} onClick={onReveal} data-testid="reveal">
            Reveal
          </Button>
        </div>
      )}
      <div className={classes.sides} data-testid="adjudication-sides">
        {view.sides.map((s, i) => (
          <Side key={s.verdict.id} index={i} view={view} chosen={draft.adopted === i} revealed={revealed} />
        ))}
      </div>
      {decided ? (
        <Alert color="green" variant="light" data-testid="adjudication-decided" title="Adjudicated: this verdict is in force">
          {view.adjudication!.decision} {view.adjudication!.labels.length ? `· ${view.adjudication!.labels.join(', ')}` : ''} by {view.adjudication!.reviewer}
          {view.adjudication!.rationale ? ` — ${view.adjudication!.rationale}` : ''}
        </Alert>
      ) : (
        <div className={classes.form} data-testid="adjudication-form">
          <Group gap={8}>
            <SegmentedControl
              size="xs"
              value={draft.decision ?? ''}
              onChange={(v) => setDraft((d) => ({ ...d, decision: v as Decision }))}
              data={[
                { value: 'violation', label: 'Violation (v)' },
                { value: 'dismiss', label: 'Dismiss (f)' },
              ]}
              data-testid="adjudication-decision"
            />
            <Text size="xs" c="dimmed">
              <Kbd size="xs">1</Kbd>–<Kbd size="xs">{Math.max(1, view.sides.length)}</Kbd> adopt a reviewer's verdict
            </Text>
          </Group>
          <Group gap={4}>
            {labelsUnion.map((l) => {
              const on = draft.labels.includes(l);
              return (
                <Badge
                  key={l}
                  component="button"
                  variant={on ? 'filled' : 'outline'}
                  style={{ cursor: 'pointer' }}
                  onClick={() => setDraft((d) => ({ ...d, labels: on ? d.labels.filter((x) => x !== l) : [...d.labels, l].sort() }))}
                  data-testid={`adjudication-label-${l}`}
                >
                  {l}
                </Badge>
              );
            })}
          </Group>
          <Textarea
            ref={rationaleRef}
            size="xs"
            autosize
            minRows={2}
            placeholder="Why (n): what the reviewers missed or weighed differently"
            value={draft.rationale}
            onChange={(e) => {
              const rationale = e.currentTarget.value;
              setDraft((d) => ({ ...d, rationale }));
            }}
            data-testid="adjudication-rationale"
          />
          <Group>
            <Button size="xs" onClick={onDecide} disabled={!draft.decision || busy} loading={busy} data-testid="adjudication-submit">
              Decide <Kbd size="xs" ml={6}>Ctrl ↵</Kbd>
            </Button>
          </Group>
        </div>
      )}
    </>
  );
}

function Side({ index, view, chosen, revealed }: { index: number; view: AdjudicationView; chosen: boolean; revealed: boolean }) {
  const side = view.sides[index]!;
  const v = side.verdict;
  const others = view.sides.filter((o, j) => j !== index && o.verdict.correction && o.verdict.correction !== v.correction);
  return (
    <div className={classes.side} data-chosen={chosen || undefined} data-testid="adjudication-side" data-reviewer={side.reviewer}>
      <Group gap={6} justify="space-between" wrap="nowrap">
        <Group gap={6} wrap="nowrap">
          <Kbd size="xs">{index + 1}</Kbd>
          <Text size="sm" fw={600} className="truncate" data-testid="side-reviewer">
            {side.reviewer}
          </Text>
        </Group>
        <Badge size="sm" color={DECISION_COLOR[v.decision] ?? 'gray'} variant="light" data-testid="side-decision">
          {v.decision}
        </Badge>
      </Group>
      <Group gap={4}>
        {v.labels.length === 0 ? (
          <Text size="xs" c="dimmed">
            No labels
          </Text>
        ) : (
          v.labels.map((l) => (
            <Badge key={l} size="xs" variant="outline">
              {l}
            </Badge>
          ))
        )}
        {v.severity && (
          <Badge size="xs" variant="light" color="orange">
            {v.severity}
          </Badge>
        )}
      </Group>
      <Text size="xs" c={v.rationale ? undefined : 'dimmed'} data-testid="side-rationale">
        {v.rationale ?? 'No rationale'}
      </Text>
      {v.correction !== null && revealed && (
        <div>
          <Text size="xs" c="dimmed">
            Correction against the original
          </Text>
          <WordDiff before={view.original} after={v.correction} testId="side-correction-diff" />
          {others.map((o) => (
            <div key={o.verdict.id}>
              <Text size="xs" c="dimmed" mt={4}>
                Against {o.reviewer}
              </Text>
              <WordDiff before={o.verdict.correction!} after={v.correction!} />
            </div>
          ))}
        </div>
      )}
      {v.correction !== null && !revealed && (
        <Text size="xs" c="dimmed">
          Correction masked with the content.
        </Text>
      )}
    </div>
  );
}
