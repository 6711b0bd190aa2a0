/**
 * The export screen (header "Export", g e): the form on the left; on the right the output folder,
 * the Export button, live progress with Cancel, the finished export's summary and Verify, and
 * a separate check of any export folder.
 */
import { Button, Drawer, Group, Progress, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { Job } from '../../electron/shared/contract.ts';
import { errorMessage, formatCount } from '../lib/format.ts';
import { KeyHint } from '../shell/KeyHint.tsx';
import { useUi } from '../state/ui.ts';
import { ExportForm } from './ExportForm.tsx';
import { ExportSummaryCard } from './ExportSummaryCard.tsx';
import { formatEta, PHASE_LABEL } from './format.ts';
import { DECISION_OPTIONS, FORMATS, SPLITS, toRequest, validateDraft, type ExportDraft } from './model.ts';
import { cancelExport, startExport } from './queries.ts';
import { useExportForm } from './store.ts';
import { useExportJob } from './useExportJob.ts';
import { VerifyFolder } from './VerifyFolder.tsx';
import classes from './Export.module.css';

export function ExportDrawer() {
  const open = useUi((s) => s.exportOpen);
  const setOpen = useUi((s) => s.setExportOpen);
  return (
    <Drawer
      opened={open}
      onClose={() => setOpen(false)}
      closeButtonProps={{ 'aria-label': 'Close export' }}
      position="right"
      size="min(1120px, 100%)"
      classNames={{ content: classes.drawerContent, header: classes.drawerHeader, body: classes.drawerBody }}
      title={
        <Group gap={10}>
          <span className={classes.title}>Export a training dataset</span>
          <KeyHint keys={['g', 'e']} sequence />
        </Group>
      }
    >
      <ExportScreen />
    </Drawer>
  );
}

/** One line saying what the form will do, so the reviewer can check it before pressing Export. */
function describe(d: ExportDraft): string {
  const format = FORMATS.find((f) => f.value === d.format)?.name ?? d.format;
  const outputs = [d.jsonl && 'JSONL', d.parquet && 'Parquet'].filter(Boolean).join(' + ') || 'no output';
  const decisions = DECISION_OPTIONS.filter((o) => d.decisions.includes(o.value))
    .map((o) => o.label.toLowerCase())
    .join(', ');
  const pct = (v: number | string) => {
    const n = Number(v);
    return Number.isFinite(n) ? String(Math.round(n * 1000) / 10) : '?';
  };
  const split = SPLITS.map((s) => pct(d.split[s])).join(' / ');
  return `${format} · ${outputs} · ${decisions || 'no decisions'} · split ${split} · seed ${String(d.seed)} · ${d.redact ? 'redacted' : 'NOT redacted'}`;
}

function ExportScreen() {
  const draft = useExportForm((s) => s.draft);
  const edit = useExportForm((s) => s.edit);
  const reset = useExportForm((s) => s.reset);
  const { job, adopt } = useExportJob();
  const [callError, setCallError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const errors = validateDraft(draft);
  const valid = Object.keys(errors).length === 0;
  const running = job?.state === 'running';
  const canStart = valid && draft.out.trim() !== '' && !running && !starting;

  const start = async () => {
    if (!canStart) return;
    setCallError(null);
    setStarting(true);
    try {
      adopt(await startExport(toRequest(draft)));
    } catch (err) {
      setCallError(errorMessage(err));
    } finally {
      setStarting(false);
    }
  };

  // The one readable line under the button: a refused call, or the job's own failure.
  const failure = callError ?? (job && job.state === 'failed' ? job.error : null);

  return (
    <div className={classes.layout} data-testid="export-drawer">
      <div className={classes.left}>
        <ExportForm errors={errors} disabled={running} />
      </div>
      <div className={classes.right}>
        <div className={classes.card}>
          <TextInput
            size="xs"
            label="Output folder"
            description="A new or empty folder; it is created if it does not exist."
            placeholder="/path/to/datasets/safety-2026-11"
            value={draft.out}
            onChange={(e) => edit({ out: e.currentTarget.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void start();
            }}
            classNames={{ input: classes.monoInput }}
            spellCheck={false}
            disabled={running}
            data-testid="export-out"
          />
          <Text size="xs" c="dimmed" mt={10} className={classes.breakWord} data-testid="export-description">
            {describe(draft)}
          </Text>
          <Group gap={8} mt={10} wrap="nowrap">
            <Button size="sm" className={classes.grow} onClick={() => void start()} disabled={!canStart} loading={starting} data-testid="export-start">
              Export
            </Button>
            <Button size="sm" variant="subtle" color="gray" onClick={reset} disabled={running} data-testid="export-reset">
              Reset form
            </Button>
          </Group>
          {!valid && (
            <Text size="xs" c="red" mt={6}>
              Fix the highlighted fields first.
            </Text>
          )}
          {failure && (
            <>
              <div className={classes.errorLine} role="alert" data-testid="export-error">
                {failure}
              </div>
              {/PII/.test(failure) && !draft.allowUnredacted && (
                <div className={classes.hint}>
                  Review those items first, narrow the filters, or switch on “Allow unredacted PII-flagged items” (recorded in the audit log).
                </div>
              )}
            </>
          )}
        </div>

        {job && job.state !== 'failed' && <JobStatus job={job} />}

        <VerifyFolder />
      </div>
    </div>
  );
}

function JobStatus({ job }: { job: Job }) {
  const [cancelError, setCancelError] = useState<string | null>(null);
  if (job.state === 'done' && job.exportSummary) return <ExportSummaryCard key={job.exportSummary.exportId} summary={job.exportSummary} />;
  const p = job.exportProgress;
  const running = job.state === 'running';
  const phase = p?.phase ?? 'checking';
  const pct = p && p.total > 0 ? Math.min(100, (p.done / p.total) * 100) : running ? 4 : 100;
  return (
    <div className={classes.card} data-testid="export-job" data-state={job.state}>
      <Group justify="space-between" gap={8} wrap="nowrap">
        <Text size="xs" fw={600} data-testid="export-phase">
          {running ? (PHASE_LABEL[phase] ?? phase) : job.state === 'cancelled' ? 'Cancelled' : job.state}
          {running && p && p.total > 0 && <span className={classes.pct}> · {Math.floor(pct)}%</span>}
        </Text>
        {running && (
          <Button
            size="compact-xs"
            variant="light"
            color="red"
            onClick={() => void cancelExport(job.id).catch((e: unknown) => setCancelError(errorMessage(e)))}
            data-testid="export-cancel"
          >
            Cancel
          </Button>
        )}
      </Group>
      <Progress
        value={pct}
        size="sm"
        mt={8}
        animated={running}
        color={job.state === 'cancelled' ? 'gray' : 'accent'}
        data-testid="export-progress"
        aria-label="Export progress"
      />
      <div className={classes.jobStats}>
        <span>
          {formatCount(p?.done ?? 0)} / {formatCount(p?.total ?? 0)} items
        </span>
        <span>{formatCount(p?.rows ?? 0)} rows written</span>
        {running && <span>{formatCount(Math.round(p?.rowsPerSecond ?? 0))} rows/s</span>}
        {running && <span>ETA {formatEta(p?.etaSeconds)}</span>}
      </div>
      {job.state === 'cancelled' && (
        <Text size="xs" c="dimmed" mt={6} data-testid="export-cancelled">
          {job.error ?? 'The export was cancelled and its partial output removed.'}
        </Text>
      )}
      {cancelError && (
        <Text size="xs" c="red" mt={6}>
          {cancelError}
        </Text>
      )}
    </div>
  );
}
