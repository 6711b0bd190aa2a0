import { Text } from '@mantine/core';
import { useMemo } from 'react';
import type { ItemView } from '../../electron/shared/contract.ts';
import { MessageBlock } from './MessageBlock.tsx';
import { indexSpans, messageKey } from './spans.ts';
import classes from './Item.module.css';

/** Input messages, then the output under review, with flagged spans highlighted. */
export function Conversation({ view, markdown }: { view: ItemView; markdown: boolean }) {
  const record = view.item.record;
  const spans = useMemo(() => indexSpans(record), [record]);
  const outputs = record.output?.messages ?? [];
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
      <div className={classes.outputHead} data-testid="output-under-review">
        <span className={classes.outputTag}>Output under review</span>
        <span className={classes.sectionCount}>{record.flags.length} flag{record.flags.length === 1 ? '' : 's'}</span>
      </div>
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
      {markdown && (
        <Text size="xs" c="dimmed" mt="xs">
          Markdown view: highlights show in the plain-text view (press M). Images are never loaded; links open only after you confirm.
        </Text>
      )}
    </div>
  );
}
