import { useState } from 'react';
import { Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import type { TeamStatus } from '../../electron/shared/contract.ts';
import { isDesktop } from '../api.ts';
import { TeamError } from './TeamView.tsx';
import { useTeam } from './store.ts';
import classes from './Team.module.css';

/** URL and user are saved with the workspace; the password goes to the keychain (desktop) or memory (browser). */
export function ConnectForm({ status }: { status: TeamStatus }) {
  const [url, setUrl] = useState(status.url ?? '');
  const [user, setUser] = useState(status.user ?? '');
  const [password, setPassword] = useState('');
  const connect = useTeam((s) => s.connect);
  const busy = useTeam((s) => s.busy);
  const submit = async () => {
    if (await connect(url, user, password)) setPassword('');
  };
  return (
    <Paper withBorder radius="md" p="xl" className={classes.connect}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="md">
          <div>
            <Title order={2} size="h3">
              Connect to a team
            </Title>
            <Text size="sm" c="dimmed" mt={4}>
              A team queue lives in your team&apos;s PostgreSQL database. Each reviewer connects as their own database user; the database decides which routes you see and which
              verdicts count.
            </Text>
          </div>
          <TextInput
            label="Team database URL"
            description="Without the password, e.g. postgres://db.example.org:5432/verdict"
            placeholder="postgres://HOST:PORT/DATABASE"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            required
            autoComplete="off"
            spellCheck={false}
            data-testid="team-url"
          />
          <TextInput label="User" value={user} onChange={(e) => setUser(e.currentTarget.value)} required autoComplete="username" spellCheck={false} data-testid="team-user" />
          <PasswordInput
            label="Password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="current-password"
            data-testid="team-password"
          />
          <Text size="xs" className={classes.keepNote} data-testid="team-password-note">
            {isDesktop
              ? 'The password is encrypted with your system keychain and never written in plain text.'
              : 'Browser mode has no keychain: the password stays only in the memory of this Verdict process and is asked again after a restart.'}
          </Text>
          <TeamError />
          <Button type="submit" loading={busy} data-testid="team-connect">
            Connect
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
