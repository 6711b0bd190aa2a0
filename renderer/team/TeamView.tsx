/**
 * The team desk (issue 12): connect to a team database, see who I am and my routes, claim a
 * batch, review it (also offline), and see what the team database made of each verdict.
 */
import { useEffect } from 'react';
import { Alert, Loader } from '@mantine/core';
import { ConnectForm } from './ConnectForm.tsx';
import { TeamSidebar } from './TeamSidebar.tsx';
import { TeamItemPane } from './TeamItemPane.tsx';
import { LeasePanel } from './LeasePanel.tsx';
import { subscribeTeam, useTeam } from './store.ts';
import { ExpertScreen, modesFor } from './expert/TeamModes.tsx';
import { useTeamMode } from './expert/mode.ts';
import classes from './Team.module.css';

export function TeamView() {
  const status = useTeam((s) => s.status);
  const load = useTeam((s) => s.load);
  const mode = useTeamMode((s) => s.mode);
  useEffect(() => {
    subscribeTeam();
    void load();
  }, [load]);

  if (!status)
    return (
      <main className={classes.center}>
        <Loader size="sm" />
      </main>
    );
  // Without a saved connection, or with nothing to work on and no password kept: the connect screen.
  const needsConnect = !status.url || (!status.online && status.passwordKept === 'none' && status.batch.length === 0);
  if (needsConnect)
    return (
      <main className={classes.center} data-testid="team-connect-screen">
        <ConnectForm status={status} />
      </main>
    );
  const role = status.whoami?.role;
  if (status.online && mode !== 'review' && modesFor(role).includes(mode)) return <ExpertScreen role={role} mode={mode} />;
  return (
    <main className="panes" data-testid="team-desk">
      <TeamSidebar status={status} />
      <TeamItemPane />
      <LeasePanel />
    </main>
  );
}

export function TeamError() {
  const error = useTeam((s) => s.error);
  if (!error) return null;
  return (
    <Alert color="red" variant="light" data-testid="team-error" className={classes.alert}>
      {error}
    </Alert>
  );
}
