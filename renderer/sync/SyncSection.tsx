/** Workspace → Sync: delivery of verdicts back to each source, and importing decisions from another tool. */
import { Badge, Button, Group, Loader, Text } from '@mantine/core';
import { useState } from 'react';
import type { SourceSyncStatus } from '../../electron/shared/contract.ts';
import { errorMessage, formatCount } from '../lib/format.ts';
import { ImportVerdicts } from './ImportVerdicts.tsx';
import { retrySync, runSync } from './queries.ts';
import { useSyncStatus } from './useSyncStatus.ts';
import classes from './Sync.module.css';

/** Today: the time to the second; other days: date and time. */
function when(iso: string | null): string {
  if (!iso) return '—';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const today = new Date();
  if (t.toDateString() === today.toDateString()) return t.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return t.toLocaleString(undefined, { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

function state(s: SourceSyncStatus): { label: string; color: string } {
  if (!s.target) return { label: 'No return path', color: 'gray' };
  if (s.failed > 0 || s.lastError) return { label: s.failures > 1 ? `Failing (${s.failures}× in a row)` : 'Failing', color: 'red' };
  if (s.pending > 0) return { label: `${formatCount(s.pending)} pending`, color: 'yellow' };
  return { label: 'Up to date', color: 'teal' };
}

export function SyncSection() {
  const { sources, error, set } = useSyncStatus();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const syncNow = async () => {
    setBusy('all');
    setMessage(null);
    try {
      const r = await runSync();
      set(r.sources);
      const delivered = r.results.reduce((a, x) => a + x.delivered, 0);
      const failed = r.results.filter((x) => x.error);
      setMessage(
        failed.length
          ? { ok: false, text: `${failed.length} ${failed.length === 1 ? 'source' : 'sources'} failed: ${failed[0]!.error}` }
          : { ok: true, text: delivered ? `Delivered ${formatCount(delivered)} ${delivered === 1 ? 'verdict' : 'verdicts'}.` : 'Nothing was waiting.' },
      );
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };

  const retry = async (sourceId: string) => {
    setBusy(sourceId);
    setMessage(null);
    try {
      const r = await retrySync(sourceId);
      set(r.sources);
      setMessage({ ok: true, text: `Put ${formatCount(r.reset)} failed ${r.reset === 1 ? 'verdict' : 'verdicts'} back in line and tried again.` });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className={classes.wrap} data-testid="sync-section">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Text size="sm" c="dimmed">
          Every verdict goes back to the source it came from, as a line appended to the source’s results file. Delivery runs in the
          background every few seconds; Sync now delivers at once.
        </Text>
        <Button size="xs" className={classes.noShrink} onClick={() => void syncNow()} loading={busy === 'all'} disabled={busy !== null && busy !== 'all'} data-testid="sync-now">
          Sync now
        </Button>
      </Group>
      {message && (
        <Text size="xs" c={message.ok ? 'teal' : 'red'} className={classes.breakWord} data-testid="sync-message">
          {message.text}
        </Text>
      )}
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
      {!sources && !error && <Loader size="sm" type="dots" />}
      {sources && sources.length === 0 && (
        <Text size="sm" c="dimmed">
          No sources yet: ingest a file above.
        </Text>
      )}
      {sources && sources.length > 0 && (
        <div className={classes.list} data-testid="sync-list">
          {sources.map((s) => {
            const st = state(s);
            return (
              <div key={s.sourceId} className={classes.source} data-testid="sync-source" data-state={st.color}>
                <div className={classes.head}>
                  <span className={`${classes.name} truncate`} data-testid="sync-source-name">
                    {s.name}
                  </span>
                  <Badge size="xs" variant="light" color="gray">
                    {s.kind}
                  </Badge>
                  <span className={classes.spacer} />
                  <Badge size="xs" variant="light" color={st.color} data-testid="sync-state">
                    {st.label}
                  </Badge>
                </div>
                {s.target ? (
                  <div className={classes.target}>
                    <span className={classes.arrow} aria-hidden>
                      →
                    </span>
                    <span className="mono" data-testid="sync-target">
                      {s.target}
                    </span>
                  </div>
                ) : (
                  <div className={classes.dim}>Verdicts on this source’s items stay in the workspace: a {s.kind} source cannot take them back.</div>
                )}
                <div className={classes.stats}>
                  <Stat label="Pending" value={s.pending} testId="sync-pending" tone={s.pending > 0 ? 'warn' : undefined} />
                  <Stat label="Delivered" value={s.delivered} testId="sync-delivered" tone={s.delivered > 0 ? 'ok' : undefined} />
                  <Stat label="Failed" value={s.failed} testId="sync-failed" tone={s.failed > 0 ? 'bad' : undefined} />
                  <Stat label="No return path" value={s.noReturnPath} testId="sync-noreturn" />
                </div>
                {s.target && (
                  <div className={classes.meta}>
                    <span>
                      Last delivery <b data-testid="sync-last">{when(s.lastDeliveredAt)}</b>
                    </span>
                    {s.nextAttemptAt && (
                      <span>
                        Next attempt <b data-testid="sync-next">{when(s.nextAttemptAt)}</b>
                      </span>
                    )}
                  </div>
                )}
                {s.lastError && (
                  <div className={classes.error} data-testid="sync-error">
                    {s.lastError}
                  </div>
                )}
                {s.failed > 0 && (
                  <Group gap={8}>
                    <Button
                      size="compact-xs"
                      variant="light"
                      color="red"
                      onClick={() => void retry(s.sourceId)}
                      loading={busy === s.sourceId}
                      disabled={busy !== null && busy !== s.sourceId}
                      data-testid="sync-retry"
                    >
                      Retry {formatCount(s.failed)} failed
                    </Button>
                  </Group>
                )}
              </div>
            );
          })}
        </div>
      )}
      <ImportVerdicts />
    </div>
  );
}

function Stat({ label, value, testId, tone }: { label: string; value: number; testId: string; tone?: 'ok' | 'warn' | 'bad' }) {
  return (
    <div className={classes.stat} data-tone={tone}>
      <span className={classes.statNum} data-testid={testId}>
        {formatCount(value)}
      </span>
      <span className={classes.statLabel}>{label}</span>
    </div>
  );
}
