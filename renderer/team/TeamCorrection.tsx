/**
 * The corrected output of a team verdict, as on the local desk: the editor starts from the
 * model's output; a text equal to it is no correction. Plain text only (attacker-controlled).
 */
import { useState } from 'react';
import { Button, Group, Switch, Text, Textarea } from '@mantine/core';
import { WordDiff } from '../item/DiffView.tsx';
import classes from '../verdict/Verdict.module.css';
import teamClasses from './Team.module.css';

export function TeamCorrection({ original, value, onChange }: { original: string; value: string | null; onChange: (v: string | null) => void }) {
  const [showDiff, setShowDiff] = useState(true);
  const text = value ?? original;
  const edited = value !== null && value !== original;
  return (
    <div className={classes.block} data-testid="team-correction">
      <Group justify="space-between" wrap="nowrap">
        <Group gap={6} wrap="nowrap">
          <label className="section-label" htmlFor="team-correction-editor">
            Corrected output
          </label>
          {edited && (
            <Text size="xs" className={teamClasses.muted} data-testid="team-correction-edited">
              edited
            </Text>
          )}
        </Group>
        {edited && (
          <Group gap={8} wrap="nowrap">
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onChange(null)} data-testid="team-correction-reset">
              Reset
            </Button>
            <Switch size="xs" label="Diff" checked={showDiff} onChange={(e) => setShowDiff(e.currentTarget.checked)} data-testid="team-correction-diff-toggle" />
          </Group>
        )}
      </Group>
      <Textarea
        id="team-correction-editor"
        data-testid="team-correction-editor"
        value={text}
        autosize
        minRows={3}
        maxRows={12}
        onChange={(e) => onChange(e.currentTarget.value)}
        classNames={{ input: classes.mono }}
        spellCheck={false}
      />
      {edited && showDiff && <WordDiff before={original} after={text} testId="team-correction-diff" />}
    </div>
  );
}
