/**
 * Span review in the verdict pane: pick text (select it in a message, or press P and type it),
 * give it a label, and it becomes a span; a flagged span's edges move one character per press,
 * or it is rejected. Every control is a button or a field, so the whole flow works by keyboard.
 */
import { Group, Select, TextInput, UnstyledButton } from '@mantine/core';
import { useMemo, useState, type KeyboardEvent } from 'react';
import type { ItemView, SpanEdit } from '../../electron/shared/contract.ts';
import { visibleString } from '../lib/hidden-chars.ts';
import { Shown } from '../lib/Shown.tsx';
import { KeyHint } from '../shell/KeyHint.tsx';
import { focusItemPane } from '../shell/shortcuts.ts';
import type { Draft } from './draft.ts';
import { addPickedSpan, coveredText, findOccurrences, flagSpanNow, nudgeSpan, pickSpan, removeAddedSpan, toggleRejectSpan } from './span-edits.ts';
import classes from './SpanEditor.module.css';

/** Rows listed before "+N more": a record may carry thousands of spans. */
const MAX_ROWS = 12;

type Target = { flag: number; span: number } | 'pick';

function Nudges({ target, name }: { target: Target; name: string }) {
  const b = (edge: 'start' | 'end', step: 1 | -1, glyph: string, what: string) => (
    <UnstyledButton className={classes.nudge} aria-label={`${what} of ${name}`} title={`${what}`} onClick={() => nudgeSpan(target, edge, step)} data-testid={`nudge-${edge}-${step > 0 ? 'right' : 'left'}`}>
      {glyph}
    </UnstyledButton>
  );
  return (
    <span className={classes.nudges}>
      {b('start', -1, '⇤', 'Start one character earlier')}
      {b('start', 1, '→', 'Start one character later')}
      {b('end', -1, '←', 'End one character earlier')}
      {b('end', 1, '⇥', 'End one character later')}
    </span>
  );
}

function Quote({ text }: { text: string }) {
  return (
    <span className={classes.quote} title={visibleString(text)}>
      “<Shown text={text.length > 80 ? `${text.slice(0, 80)}…` : text} />”
    </span>
  );
}

function Finder({ record }: { record: ItemView['item']['record'] }) {
  const [query, setQuery] = useState('');
  const [at, setAt] = useState(0);
  const found = useMemo(() => findOccurrences(record, query), [record, query]);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter' || found.length === 0) return;
    e.preventDefault();
    const next = (at + (e.shiftKey ? -1 : 1) + found.length) % found.length;
    setAt(next);
    pickSpan(found[next]!);
  };
  return (
    <TextInput
      id="span-find"
      data-testid="span-find"
      size="xs"
      aria-label="Find text to mark as a span"
      placeholder="Find text to mark (Enter: next match)"
      value={query}
      onChange={(e) => {
        const q = e.currentTarget.value;
        setQuery(q);
        setAt(0);
        const first = findOccurrences(record, q)[0];
        pickSpan(first ?? null);
      }}
      onKeyDown={onKey}
      rightSection={query ? <span className={classes.count}>{found.length ? `${at + 1}/${found.length}` : '0'}</span> : undefined}
      rightSectionWidth={44}
    />
  );
}

function FlagSpanRows({ record, edits }: { record: ItemView['item']['record']; edits: SpanEdit[] }) {
  const rows = record.flags.flatMap((f, fi) => f.spans.map((s, si) => ({ f, s, fi, si })));
  if (rows.length === 0) return null;
  return (
    <div className={classes.list} role="list" aria-label="Flagged spans">
      {rows.slice(0, MAX_ROWS).map(({ f, s, fi, si }) => {
        const now = flagSpanNow(record, edits, fi, si);
        const name = `flag ${fi + 1} span ${si + 1}`;
        return (
          <div key={`${fi}:${si}`} role="listitem" className={classes.row} data-testid="span-row" data-state={now.state ?? 'flagged'}>
            <span className={classes.what}>
              <span className={classes.tag}>
                <Shown text={s.label ?? f.category ?? f.source} />
              </span>
              <Quote text={coveredText(record, now.field, now.start, now.end)} />
            </span>
            <span className={classes.state}>
              {now.state ?? 'flagged'} · {now.start}–{now.end}
            </span>
            <Nudges target={{ flag: fi, span: si }} name={name} />
            <UnstyledButton
              className={classes.reject}
              aria-pressed={now.state === 'rejected'}
              aria-label={`Reject ${name}`}
              data-active={now.state === 'rejected' || undefined}
              onClick={() => toggleRejectSpan(fi, si)}
              data-testid="span-reject"
            >
              {now.state === 'rejected' ? 'rejected' : 'reject'}
            </UnstyledButton>
          </div>
        );
      })}
      {rows.length > MAX_ROWS && <span className={classes.more}>+{rows.length - MAX_ROWS} more spans (edit them from the flags tab)</span>}
    </div>
  );
}

export function SpanEditor({ view, draft }: { view: ItemView; draft: Draft }) {
  const record = view.item.record;
  // The labels of the item's route, as the label chips offer them.
  const labels = useMemo(() => view.routeTaxonomy.labels.map((l) => ({ value: l.id, label: l.name && l.name !== l.id ? `${l.id} ${l.name}` : l.id })), [view]);
  const added = draft.spanEdits.map((e, i) => ({ e, i })).filter((x): x is { e: Extract<SpanEdit, { op: 'add' }>; i: number } => x.e.op === 'add');
  const pick = draft.spanPick;
  return (
    <div className={classes.block} data-testid="span-editor">
      <Group gap={6}>
        <div className="section-label">Spans</div>
        <KeyHint keys={['p']} />
      </Group>
      <Finder key={view.item.id} record={record} />
      {pick && (
        <div className={classes.pick} data-testid="span-pick">
          <span className={classes.what}>
            <Quote text={coveredText(record, pick.field, pick.start, pick.end)} />
            <span className={classes.where}>
              {pick.field} {pick.start}–{pick.end}
            </span>
          </span>
          <Select
            id="span-label"
            data-testid="span-label"
            size="xs"
            aria-label="Label for the new span"
            placeholder="Label…"
            data={labels}
            value={null}
            searchable
            selectFirstOptionOnChange
            // Typing narrows the list; seven at a time fit without a scrolling region (which axe requires
            // to be focusable, and a focusable child is not allowed in a listbox).
            limit={7}
            maxDropdownHeight={320}
            comboboxProps={{ withinPortal: true }}
            onChange={(label) => {
              if (label && addPickedSpan(label)) requestAnimationFrame(() => focusItemPane());
            }}
          />
          <Nudges target="pick" name="the picked text" />
        </div>
      )}
      <FlagSpanRows record={record} edits={draft.spanEdits} />
      {added.length > 0 && (
        <div className={classes.list} role="list" aria-label="Spans you added">
          {added.map(({ e, i }) => (
            <div key={i} role="listitem" className={classes.row} data-testid="span-added" data-state="added">
              <span className={classes.what}>
                <span className={classes.tag}>
                  <Shown text={e.label} />
                </span>
                <Quote text={coveredText(record, e.field, e.start, e.end)} />
              </span>
              <span className={classes.state}>
                added · {e.start}–{e.end}
              </span>
              <UnstyledButton className={classes.reject} aria-label={`Remove the added span ${e.label}`} onClick={() => removeAddedSpan(i)}>
                remove
              </UnstyledButton>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
