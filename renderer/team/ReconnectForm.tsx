import { useState } from 'react';
import { Button, Group, PasswordInput } from '@mantine/core';
import type { TeamStatus } from '../../electron/shared/contract.ts';
import { useTeam } from './store.ts';

/** Offline with no password kept (browser mode after a restart): ask for it to send what waits. */
export function ReconnectForm({ status }: { status: TeamStatus }) {
  const [password, setPassword] = useState('');
  const connect = useTeam((s) => s.connect);
  const busy = useTeam((s) => s.busy);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void connect(status.url ?? '', status.user ?? '', password).then((ok) => ok && setPassword(''));
      }}
    >
      <Group gap={6} mt={6} wrap="nowrap" align="flex-end">
        <PasswordInput size="xs" label="Password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} style={{ flex: 1 }} data-testid="team-reconnect-password" />
        <Button size="xs" type="submit" loading={busy} data-testid="team-reconnect">
          Reconnect
        </Button>
      </Group>
    </form>
  );
}
