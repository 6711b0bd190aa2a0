import { Alert, Button, Group, Progress, Select, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { on } from '../api.ts';
import type { Job } from '../../electron/shared/contract.ts';
import { errorMessage, formatCount } from '../lib/format.ts';
import { cancelJob, fetchJobs, startIngest } from './queries.ts';
import classes from './Workspace.module.css';

function eta(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}

/** Ingest a JSONL file or folder by path, with live progress from `job.updated`. */
export function IngestSection() {
  const [path, setPath] = useState('');
  const [preset, setPreset] = useState<string | null>('none');
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    fetchJobs().then(
      (jobs) => {
        const ingests = jobs.filter((j) => j.kind === 'ingest');
        const running = ingests.find((j) => j.state === 'running') ?? ingests[ingests.length - 1];
        if (alive && running) setJob((cur) => cur ?? running);
      },
      () => {},
    );
    const off = on('job.updated', (j) => {
      if (j.kind !== 'ingest') return;
      setJob((cur) => (!cur || cur.id === j.id || cur.state !== 'running' ? j : cur));
    });
    return () => {
      alive = false;
      off();
    };
  }, []);

  const start = async () => {
    setError(null);
    try {
      const started = await startIngest(path.trim(), preset === 'hh-rlhf' ? 'hh-rlhf' : undefined);
      // Progress events may have overtaken the reply: keep the newer state.
      setJob((cur) => (cur && cur.id === started.id ? cur : started));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const p = job?.progress;
  const running = job?.state === 'running';
  const pct = p && p.bytesTotal > 0 ? Math.min(100, (p.bytesDone / p.bytesTotal) * 100) : running ? 5 : 100;

  return (
    <div className={classes.ingest} data-testid="ingest-section">
      <Group gap={8} align="flex-end" wrap="nowrap">
        <TextInput
          size="xs"
          label="Ingest a JSONL file or folder"
          placeholder="/path/to/escalations.jsonl"
          value={path}
          onChange={(e) => setPath(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && path.trim() && !running) void start();
          }}
          className={classes.grow}
          data-testid="ingest-path"
          spellCheck={false}
        />
        <Select
          size="xs"
          label="Preset"
          w={130}
          value={preset}
          onChange={setPreset}
          allowDeselect={false}
          data={[
            { value: 'none', label: 'Record v1' },
            { value: 'hh-rlhf', label: 'hh-rlhf' },
          ]}
          data-testid="ingest-preset"
        />
        <Button size="xs" onClick={() => void start()} disabled={!path.trim() || running} data-testid="ingest-start">
          Ingest
        </Button>
      </Group>
      {error && (
        <Alert color="red" variant="light" p="xs" mt={8} data-testid="ingest-error">
          <Text size="xs">{error}</Text>
        </Alert>
      )}
      {job && (
        <div className={classes.job} data-testid="ingest-job" data-state={job.state}>
          <Group justify="space-between" gap={8} wrap="nowrap">
            <Text size="xs" className="truncate" fw={600}>
              {job.label}
            </Text>
            <Group gap={8} wrap="nowrap">
              <Text size="xs" c={job.state === 'failed' ? 'red' : job.state === 'done' ? 'teal' : 'dimmed'} data-testid="ingest-state">
                {job.state === 'running' ? (p?.phase ?? 'starting') : job.state}
              </Text>
              {running && (
                <Button size="compact-xs" variant="light" color="red" onClick={() => void cancelJob(job.id).then(setJob, (e: unknown) => setError(errorMessage(e)))} data-testid="ingest-cancel">
                  Cancel
                </Button>
              )}
            </Group>
          </Group>
          <Progress value={pct} size="sm" mt={6} animated={running} color={job.state === 'failed' ? 'red' : job.state === 'cancelled' ? 'gray' : 'accent'} />
          <div className={classes.jobStats}>
            <span>{formatCount(p?.read ?? job.summary?.read ?? 0)} read</span>
            <span>{formatCount(p?.ingested ?? job.summary?.ingested ?? 0)} ingested</span>
            <span className={(p?.quarantined ?? job.summary?.quarantined ?? 0) > 0 ? classes.warnText : undefined}>
              {formatCount(p?.quarantined ?? job.summary?.quarantined ?? 0)} quarantined
            </span>
            {running && <span>{formatCount(Math.round(p?.itemsPerSecond ?? 0))} items/s</span>}
            {running && <span>ETA {eta(p?.etaSeconds)}</span>}
            {job.summary && <span>{job.summary.seconds.toFixed(1)} s</span>}
          </div>
          {job.error && (
            <Text size="xs" c="red" mt={4}>
              {job.error}
            </Text>
          )}
        </div>
      )}
    </div>
  );
}
