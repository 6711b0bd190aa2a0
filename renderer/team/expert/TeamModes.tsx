/** The team screens a role may use, and the switch between them (shown only when there is a choice). */
import { Badge, SegmentedControl, Text } from '@mantine/core';
import { useTeam } from '../store.ts';
import { MODE_LABEL, MODES_BY_ROLE, useTeamMode, type TeamMode } from './mode.ts';
import { TeamAdjudication } from './TeamAdjudication.tsx';
import { TeamExpertPool } from './TeamExpertPool.tsx';
import { TeamLead } from './TeamLead.tsx';
import classes from '../Team.module.css';

export function modesFor(role: string | undefined): TeamMode[] {
  return MODES_BY_ROLE[role ?? ''] ?? ['review'];
}

export function ModeSwitch({ role }: { role: string | undefined }) {
  const mode = useTeamMode((s) => s.mode);
  const setMode = useTeamMode((s) => s.setMode);
  const modes = modesFor(role);
  if (modes.length < 2) return null;
  return (
    <SegmentedControl
      size="xs"
      value={mode}
      onChange={(v) => setMode(v as TeamMode)}
      data={modes.map((m) => ({ value: m, label: MODE_LABEL[m] }))}
      data-testid="team-mode"
      aria-label="Team screen"
    />
  );
}

/** Adjudication, the expert pool or the lead's view, full width under the mode switch. */
export function ExpertScreen({ role, mode }: { role: string | undefined; mode: Exclude<TeamMode, 'review'> }) {
  return (
    <main className={classes.expertMain} data-testid={`team-screen-${mode}`}>
      <div className={classes.expertBar}>
        <ModeSwitch role={role} />
        <Who />
      </div>
      <div className={classes.expertBody}>
        {mode === 'adjudication' ? <TeamAdjudication /> : mode === 'expert' ? <TeamExpertPool /> : <TeamLead />}
      </div>
    </main>
  );
}

function Who() {
  const who = useTeam((s) => s.status?.whoami);
  const online = useTeam((s) => s.status?.online ?? false);
  return (
    <>
      <Text size="sm" fw={600} data-testid="team-whoami">
        {who ? `${who.user} · ${who.role}` : ''}
      </Text>
      <Badge size="sm" variant="light" color={online ? 'teal' : 'orange'}>
        {online ? 'connected' : 'offline'}
      </Badge>
    </>
  );
}
