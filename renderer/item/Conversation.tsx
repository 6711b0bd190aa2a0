import { Button, Text } from '@mantine/core';
import { Shown } from '../lib/Shown.tsx';
import { KeyHint } from '../shell/KeyHint.tsx';
import { applyReferenceAnswer } from '../verdict/actions.ts';
import { useLayoutEffect, useMemo, useRef } from 'react';
import type { ItemView } from '../../electron/shared/contract.ts';
import { MessageBlock } from './MessageBlock.tsx';
import { messageKey } from './spans.ts';
import { spansWithEdits } from '../verdict/span-edits.ts';
import { useDrafts } from '../verdict/draft.ts';
import classes from './Item.module.css';

/**
 * The reference answers (evidence of kind reference_response) beside the output under review,
 * for clinicians and legal experts, each with "Use as correction" (key U for the first).
 */
function ReferenceAnswers({ itemId, references }: { itemId: string; references: { title?: string | null; content?: string | null }[] }) {
  return (
    <div className={classes.references} data-testid="reference-answers">
      {references.map((r, i) => (
        <div key={i} className={classes.referenceCard} data-testid="reference-answer">
          <div className={classes.referenceHead}>
            <span className={classes.referenceTag}>Reference answer</span>
            {r.title && (
              <span className={`${classes.dim} truncate`}>
                <Shown text={r.title} />
              </span>
            )}
          </div>
          <div className={classes.referenceText}>
            <Shown text={r.content ?? ''} />
          </div>
          <Button
            size="compact-xs"
            variant="light"
            color="teal"
            onClick={() => applyReferenceAnswer(itemId, i)}
            rightSection={i === 0 ? <KeyHint keys={['u']} /> : undefined}
            data-testid="use-reference"
          >
            Use as correction
          </Button>
        </div>
      ))}
    </div>
  );
}

/** Pixels of the last input message kept in view above the output when a long conversation opens. */
const CONTEXT_ABOVE_OUTPUT = 96;

/** Input messages, then the output under review, with flagged spans highlighted. */
export function Conversation({ view, markdown }: { view: ItemView; markdown: boolean }) {
  const record = view.item.record;
  // The flags' spans with the reviewer's draft edits applied (added, moved, rejected).
  const edits = useDrafts((s) => s.drafts[view.item.id]?.spanEdits);
  const pick = useDrafts((s) => s.drafts[view.item.id]?.spanPick ?? null);
  const spans = useMemo(() => ({ byMessage: spansWithEdits(record, edits ?? [], pick) }), [record, edits, pick]);
  const outputs = record.output?.messages ?? [];
  const references = useMemo(() => record.evidence.filter((e) => e.kind === 'reference_response' && e.content), [record]);
  const outputHead = useRef<HTMLDivElement>(null);
  const hasOutput = outputs.length > 0;
  // A long conversation opens at the output under review (the panel remounts per item), with the
  // end of the input above it for context; a short one, whose output is already in view, stays put.
  useLayoutEffect(() => {
    const head = outputHead.current;
    const scroller = head?.closest('.scroll-y');
    if (!head || !hasOutput || !(scroller instanceof HTMLElement)) return;
    const below = head.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    if (below > scroller.clientHeight * 0.5) scroller.scrollTop += below - CONTEXT_ABOVE_OUTPUT;
  }, [hasOutput]);
  return (
    <div className={classes.conversation} data-testid="conversation">
      <div className={classes.sectionHead}>
        <span className="section-label">Input</span>
        <span className={classes.sectionCount}>
          {record.input.messages.length} message{record.input.messages.length === 1 ? '' : 's'}
        </span>
      </div>
      {record.input.messages.map((m, i) => (
        <MessageBlock
          key={`in-${i}`}
          side="input"
          index={i}
          role={m.role}
          name={m.name}
          content={m.content}
          spans={spans.byMessage.get(messageKey('input', i)) ?? []}
          flags={record.flags}
          markdown={markdown}
        />
      ))}
      <div className={classes.outputHead} data-testid="output-under-review" ref={outputHead}>
        <span className={classes.outputTag}>Output under review</span>
        <span className={classes.sectionCount}>{record.flags.length} flag{record.flags.length === 1 ? '' : 's'}</span>
      </div>
      <div className={references.length > 0 ? classes.compare : undefined} data-testid={references.length > 0 ? 'compare' : undefined}>
      <div className={classes.output}>
        {outputs.length === 0 ? (
          <Text size="sm" c="dimmed" p="sm">
            This record has no output: the flags concern the input.
          </Text>
        ) : (
          outputs.map((m, i) => (
            <MessageBlock
              key={`out-${i}`}
              side="output"
              index={i}
              role={m.role}
              name={m.name}
              content={m.content}
              spans={spans.byMessage.get(messageKey('output', i)) ?? []}
              flags={record.flags}
              markdown={markdown}
            />
          ))
        )}
      </div>
      {references.length > 0 && <ReferenceAnswers itemId={view.item.id} references={references} />}
      </div>
      {markdown && (
        <Text size="xs" c="dimmed" mt="xs">
          Markdown view: highlights show in the plain-text view (press M). Images are never loaded; links open only after you confirm.
        </Text>
      )}
    </div>
  );
}
