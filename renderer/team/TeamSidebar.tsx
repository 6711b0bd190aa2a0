import { useState } from 'react';
import { Badge, Button, Group, NumberInput, Text, UnstyledButton } from '@mantine/core';
import type { TeamStatus } from '../../electron/shared/contract.ts';
import { Shown } from '../lib/Shown.tsx';
import { TeamError } from './TeamView.tsx';
import { ReconnectForm } from './ReconnectForm.tsx';
import { ExportNotAccepted } from './ExportNotAccepted.tsx';
import { STATE_COLOR, stateLabel } from './states.ts';
import { useTeam } from './store.ts';
import { ModeSwitch } from './expert/TeamModes.tsx';
import classes from './Team.module.css';

export function TeamSidebar({ status }: { status: TeamStatus }) {
  const disconnect = useTeam((s) => s.disconnect);
  return (
    <aside className={classes.sidebar} data-testid="team-sidebar">
      <ConnectionSection status={status} />
      <RoutesSection status={status} />
      <BatchSection status={status} />
      <ExportNotAccepted status={status} />
      <TeamError />
      <Group p="sm" gap={6}>
        <Button size="compact-xs" variant="subtle" color="gray" onClick={() => void disconnect(false)} data-testid="team-disconnect">
          Disconnect
        </Button>
      </Group>
    </aside>
  );
}

/** Who is connected where, where the password is kept, and the verdicts waiting to be sent. */
function ConnectionSection({ status }: { status: TeamStatus }) {
  const push = useTeam((s) => s.push);
  const pending = status.batch.filter((b) => b.state === 'pending').length;
  const who = status.whoami;
  return (
    <section className={classes.section}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="xs" fw={600} className={classes.sectionTitle}>
          Team
        </Text>
        <Badge size="sm" variant="light" color={status.online ? 'teal' : 'orange'} data-testid="team-online">
          {status.online ? 'connected' : 'offline'}
        </Badge>
      </Group>
      <Text size="sm" fw={600} data-testid="team-whoami" mt={6}>
        {who ? `${who.user} · ${who.role}` : (status.user ?? '')}
      </Text>
      {status.online && (
        <div className={classes.modeInSidebar}>
          <ModeSwitch role={who?.role} />
        </div>
      )}
      <Text size="xs" className={classes.muted} truncate="end" title={status.url ?? ''}>
        {status.url}
      </Text>
      <Text size="xs" className={classes.muted} data-testid="team-password-kept">
        {status.passwordKept === 'keychain'
          ? 'password in the system keychain'
          : status.passwordKept === 'memory'
            ? 'password in this process’s memory only (browser mode)'
            : 'no password kept'}
      </Text>
      {!status.online && (
        <>
          <Text size="xs" className={classes.offline} data-testid="team-offline-note">
            {status.error ?? 'Not connected to the team database.'}
          </Text>
          <Text size="xs" className={classes.muted} mt={2}>
            Claimed items can still be reviewed here; verdicts are sent when the connection is back.
          </Text>
        </>
      )}
      {!status.online && status.passwordKept === 'none' && <ReconnectForm status={status} />}
      {pending > 0 && (
        <Group gap={6} mt={6} wrap="nowrap">
          <Text size="xs" data-testid="team-pending-count">
            {pending} verdict{pending === 1 ? '' : 's'} waiting to be sent
          </Text>
          <Button size="compact-xs" variant="light" onClick={() => void push()} disabled={!status.online} data-testid="team-push">
            Send now
          </Button>
        </Group>
      )}
    </section>
  );
}

/** The routes the reviewer may claim from, and the claim of a batch. */
function RoutesSection({ status }: { status: TeamStatus }) {
  const [count, setCount] = useState<number>(5);
  const claim = useTeam((s) => s.claim);
  const busy = useTeam((s) => s.busy);
  return (
    <section className={classes.section}>
      <Text size="xs" fw={600} className={classes.sectionTitle}>
        My routes
      </Text>
      <table className={classes.routes} data-testid="team-routes">
        <thead>
          <tr>
            <th>Route</th>
            <th title="Items you can claim now">For me</th>
            <th title="Items leased right now, by anyone">Leased</th>
            <th title="Independent reviews each item needs">N</th>
          </tr>
        </thead>
        <tbody>
          {status.routes.map((r) => (
            <tr key={r.route} data-testid={`team-route-${r.route}`}>
              <td>
                <Shown text={r.route} />
              </td>
              <td data-testid={`team-route-${r.route}-waiting`}>{r.waiting}</td>
              <td>{r.leased}</td>
              <td>{r.reviewsPerItem}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Group gap={6} mt={10} wrap="nowrap" align="flex-end">
        <NumberInput
          size="xs"
          label="Batch"
          min={1}
          max={50}
          value={count}
          onChange={(v) => setCount(typeof v === 'number' ? v : 1)}
          w={76}
          data-testid="team-claim-count"
        />
        <Button size="xs" onClick={() => void claim(count)} disabled={!status.online} loading={busy} data-testid="team-claim">
          Claim {count === 1 ? 'next item' : `${count} items`}
        </Button>
      </Group>
      <Text size="xs" className={classes.muted} mt={4}>
        Claimed items stay yours until their lease runs out, and can be reviewed offline.
      </Text>
    </section>
  );
}

/** The claimed items, each with its lease or delivery state. */
function BatchSection({ status }: { status: TeamStatus }) {
  const open = useTeam((s) => s.open);
  const openSeq = useTeam((s) => s.openSeq);
  return (
    <section className={`${classes.section} ${classes.batch}`}>
      <Text size="xs" fw={600} className={classes.sectionTitle}>
        My batch
      </Text>
      {status.batch.length === 0 && (
        <Text size="xs" className={classes.muted}>
          Nothing claimed yet.
        </Text>
      )}
      <div className="scroll-y" data-testid="team-batch">
        {status.batch.map((b) => (
          <UnstyledButton
            key={b.seq}
            className={classes.row}
            data-selected={openSeq === b.seq || undefined}
            onClick={() => void open(b.seq)}
            data-testid={`team-row-${b.itemId}`}
            data-state={b.state}
          >
            <Group justify="space-between" wrap="nowrap" gap={6}>
              <Text size="xs" ff="monospace" truncate="end">
                <Shown text={b.externalId || `#${b.itemId}`} />
              </Text>
              <Badge size="xs" variant="light" color={STATE_COLOR[b.state]}>
                {stateLabel(b)}
              </Badge>
            </Group>
            <Text size="xs" className={classes.snippet} lineClamp={2}>
              <Shown text={b.snippet} />
            </Text>
          </UnstyledButton>
        ))}
      </div>
    </section>
  );
}
