import { useState } from 'react';
import { Button, Group, Text, TextInput } from '@mantine/core';
import type { TeamStatus } from '../../electron/shared/contract.ts';
import { call } from '../api.ts';
import { errorMessage } from '../lib/format.ts';
import classes from './Team.module.css';

/** Verdicts the team database did not accept stay here; this writes them to a JSONL file. */
export function ExportNotAccepted({ status }: { status: TeamStatus }) {
  const count = status.batch.filter((b) => b.decision !== null && b.state !== 'accepted').length;
  const [out, setOut] = useState('');
  const [note, setNote] = useState<string | null>(null);
  if (count === 0) return null;
  return (
    <section className={classes.section} data-testid="team-not-accepted">
      <Text size="xs" fw={600} className={classes.sectionTitle}>
        Not accepted ({count})
      </Text>
      <Text size="xs" className={classes.muted} mt={4}>
        Verdicts refused, expired or still waiting stay in this workspace. Export them as JSONL:
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          call('team.exportBatch', { out }).then(
            (r) => setNote(`${r.rows} written to ${r.path}`),
            (err: unknown) => setNote(errorMessage(err)),
          );
        }}
      >
        <Group gap={6} mt={6} wrap="nowrap" align="flex-end">
          <TextInput size="xs" aria-label="Export to file" placeholder="/path/not-accepted.jsonl" value={out} onChange={(e) => setOut(e.currentTarget.value)} style={{ flex: 1 }} data-testid="team-export-path" />
          <Button size="xs" variant="default" type="submit" disabled={!out.trim()} data-testid="team-export">
            Export
          </Button>
        </Group>
      </form>
      {note && (
        <Text size="xs" mt={4} data-testid="team-export-note">
          {note}
        </Text>
      )}
    </section>
  );
}
