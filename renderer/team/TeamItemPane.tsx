import { Badge, Group, Text } from '@mantine/core';
import { MessageBlock } from '../item/MessageBlock.tsx';
import { Shown } from '../lib/Shown.tsx';
import { useTeam } from './store.ts';
import classes from './Team.module.css';

/**
 * The claimed item, as plain text (content is attacker-controlled: no markdown, no HTML, hidden
 * characters shown). Blind review: the team item carries no other reviewer's verdict.
 */
export function TeamItemPane() {
  const item = useTeam((s) => s.item);
  if (!item)
    return (
      <section className={classes.itemPane} data-testid="team-item-empty">
        <div className={classes.center}>
          <Text size="sm" className={classes.muted}>
            Claim items, then pick one from your batch.
          </Text>
        </div>
      </section>
    );
  const { record, row } = item;
  const input = record.input?.messages ?? [];
  const output = record.output?.messages ?? [];
  return (
    <section className={classes.itemPane} data-testid="team-item" data-item-id={row.itemId}>
      <header className={classes.itemHead}>
        <Group gap={8} wrap="nowrap">
          <Text size="sm" fw={650} ff="monospace" truncate="end" data-testid="team-item-id">
            <Shown text={row.externalId || `#${row.itemId}`} />
          </Text>
          <Text size="xs" className={classes.muted}>
            team item #{row.itemId}
          </Text>
          <Badge size="sm" variant="light" color="gray">
            <Shown text={row.route} />
          </Badge>
        </Group>
        <Text size="xs" className={classes.muted}>
          Blind review: other reviewers&apos; verdicts on this item stay hidden until yours is in.
        </Text>
      </header>
      <div className={`scroll-y ${classes.itemBody}`}>
        {input.map((m, i) => (
          <MessageBlock key={`i${i}`} role={m.role} name={m.name} content={m.content} index={i} side="input" spans={[]} flags={[]} markdown={false} />
        ))}
        {output.map((m, i) => (
          <MessageBlock key={`o${i}`} role={m.role} name={m.name} content={m.content} index={i} side="output" spans={[]} flags={[]} markdown={false} />
        ))}
      </div>
    </section>
  );
}
