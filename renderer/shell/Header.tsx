import type { ReactNode } from 'react';
import { ActionIcon, Badge, Button, Group, Kbd, Text, Tooltip } from '@mantine/core';
import type { WorkspaceInfo } from '../../electron/shared/contract.ts';
import { STATUSES_ORDER } from '../queue/statuses.ts';

// Disputed and held items are counted in the Expert view (and the queue filters), not up here.
const HEADER_STATUSES = STATUSES_ORDER.filter((s) => s !== 'disputed' && s !== 'on_hold');
import { basename, formatCount, STATUS_COLOR, STATUS_LABEL } from '../lib/format.ts';
import { useAsync } from '../lib/useAsync.ts';
import { useTeam } from '../team/store.ts';
import { useUi } from '../state/ui.ts';
import { useChangeVersion } from './changes.ts';
import { fetchWorkspaceInfo } from './queries.ts';
import { SearchBox } from './SearchBox.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';
import classes from './Header.module.css';

const TEAM_COUNTS = [
  { key: 'waiting', label: 'for me', color: 'blue', tip: 'Items of my routes I could claim now' },
  { key: 'leased', label: 'leased', color: 'yellow', tip: 'Items leased right now, to anyone' },
  { key: 'open', label: 'open', color: 'gray', tip: 'Items of my routes not yet decided' },
] as const;

/** In the Team view the header counts the team's queue (my routes), not the local workspace. */
function TeamCounts() {
  const status = useTeam((s) => s.status);
  const routes = status?.online || status?.routes.length ? (status?.routes ?? []) : null;
  return (
    <Group gap={10} wrap="nowrap" className={classes.counts} data-testid="header-team-counts">
      {routes &&
        TEAM_COUNTS.map((c) => (
          <Tooltip key={c.key} label={`${c.tip} (team queue${status?.online ? '' : ', as last seen'})`}>
            <span className={classes.count}>
              <span className={classes.dot} style={{ background: `var(--mantine-color-${c.color}-6)` }} />
              <span className={classes.countNum} data-testid={`header-team-count-${c.key}`}>
                {formatCount(routes.reduce((n, r) => n + r[c.key], 0))}
              </span>
              <span className={classes.countLabel}>{c.label}</span>
            </span>
          </Tooltip>
        ))}
    </Group>
  );
}

/** The database name of a team URL (the full URL is in the tooltip; it never holds a password). */
function teamPlace(url: string): string {
  try {
    return new URL(url).pathname.replace(/^\//, '') || url;
  } catch {
    return url;
  }
}

export function Header() {
  const version = useChangeVersion();
  const { data: info } = useAsync(`info:${version}`, fetchWorkspaceInfo);
  const setHelpOpen = useUi((s) => s.setHelpOpen);
  const setWorkspaceOpen = useUi((s) => s.setWorkspaceOpen);
  const setExportOpen = useUi((s) => s.setExportOpen);
  const name = info ? basename(info.path).replace(/\.sqlite$/, '') : '…';
  const view = useUi((s) => s.view);
  const team = useTeam((s) => s.status);
  return (
    <header className={classes.header} data-testid="header">
      <Group gap="sm" wrap="nowrap" className={classes.left}>
        <span className={classes.logo} aria-hidden>
          <svg width="18" height="18" viewBox="0 0 24 24">
            <path d="M12 2 21 7v10l-9 5-9-5V7z" fill="currentColor" opacity="0.18" />
            <path d="m7.5 12.2 3 3 6-6.4" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </span>
        <Text fw={650} size="md" className={classes.app}>
          Verdict
        </Text>
        {/* Hidden (container query) when the header is too narrow to show it whole: cut to one
            letter it read as a stray character beside the brand. */}
        <span className={classes.where}>
          <span className={classes.sep} />
          {/* Named for what it is: a bare short name (a workspace called "w") read as a stray character. */}
          {view === 'team' && team?.url ? (
            <Tooltip label={team.url}>
              <Text size="sm" c="dimmed" className="truncate" maw={260} data-testid="team-name">
                <span className={classes.kind}>team</span>
                {team.user ? `${team.user} @ ` : ''}{teamPlace(team.url)}
              </Text>
            </Tooltip>
          ) : (
            <Tooltip label={info?.path ?? ''} disabled={!info}>
              <Text size="sm" c="dimmed" className="truncate" maw={240} data-testid="workspace-name">
                <span className={classes.kind}>workspace</span>
                {name}
              </Text>
            </Tooltip>
          )}
        </span>
        {info?.isDemo && (
          <Badge size="xs" variant="light" color="orange" data-testid="demo-badge" className={classes.demo}>
            Demo
          </Badge>
        )}
      </Group>

      {/* The search looks in the local workspace: out of place over the team queue. */}
      {view !== 'team' && (
        <div className={classes.search}>
          <SearchBox />
        </div>
      )}

      <Group gap={6} wrap="nowrap" className={classes.right}>
        {view === 'team' ? <TeamCounts /> : <HeaderCounts info={info} />}
        <span className={classes.sep} />
        <ViewButton view="expert" label="Expert" back="Review desk" testId="open-expert" />
        <ViewButton view="dashboard" label="Oversight" back="Review desk" testId="open-dashboard" />
        <ViewButton view="team" label="Team" back="Local desk" testId="open-team" />
        <JumpButton keys="e" onClick={() => setExportOpen(true)} testId="open-export">
          Export
        </JumpButton>
        <JumpButton keys="w" onClick={() => setWorkspaceOpen(true)} testId="open-workspace">
          Workspace
        </JumpButton>
        <Tooltip label="Keyboard shortcuts (?)">
          <ActionIcon variant="subtle" color="gray" aria-label="Keyboard shortcuts" onClick={() => setHelpOpen(true)} data-testid="open-help">
            <Text fw={700} size="sm">
              ?
            </Text>
          </ActionIcon>
        </Tooltip>
        <ThemeToggle />
      </Group>
    </header>
  );
}

type View = ReturnType<typeof useUi.getState>['view'];

/** The workspace's items per status (disputed and held ones are counted in the Expert view). */
function HeaderCounts({ info }: { info: WorkspaceInfo | undefined }) {
  return (
    <Group gap={10} wrap="nowrap" className={classes.counts} data-testid="header-counts">
      {info &&
        HEADER_STATUSES.map((s) => (
          <Tooltip key={s} label={`${STATUS_LABEL[s]} in the workspace`}>
            <span className={classes.count}>
              <span className={classes.dot} style={{ background: `var(--mantine-color-${STATUS_COLOR[s]}-6)` }} />
              <span className={classes.countNum} data-testid={`header-count-${s}`}>
                {formatCount(info.counts[s])}
              </span>
              <span className={classes.countLabel}>{s === 'in_review' ? 'in review' : s}</span>
            </span>
          </Tooltip>
        ))}
    </Group>
  );
}

/** A button that switches the main view, and back to the desk when that view is showing. */
function ViewButton({ view, label, back, testId }: { view: View; label: string; back: string; testId: string }) {
  const current = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const on = current === view;
  return (
    <Button variant={on ? 'light' : 'subtle'} color="gray" size="xs" onClick={() => setView(on ? 'desk' : view)} data-testid={testId} aria-pressed={on}>
      {on ? back : label}
    </Button>
  );
}

/** A header button with its `g <key>` shortcut shown beside the label. */
function JumpButton({ keys, onClick, testId, children }: { keys: string; onClick: () => void; testId: string; children: ReactNode }) {
  return (
    <Button
      variant="subtle"
      color="gray"
      size="xs"
      onClick={onClick}
      data-testid={testId}
      rightSection={
        <span className={classes.kbds}>
          <Kbd>g</Kbd>
          <Kbd>{keys}</Kbd>
        </span>
      }
    >
      {children}
    </Button>
  );
}
