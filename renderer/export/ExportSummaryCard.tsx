/** A finished export: rows per split, what was left out and why, the files, and a Verify button. */
import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import type { ExportSummary, VerifyExportResult } from '../../electron/shared/contract.ts';
import { errorMessage, formatCount } from '../lib/format.ts';
import { formatBytes, formatSeconds, SKIP_LABEL } from './format.ts';
import { FORMATS, SPLITS } from './model.ts';
import { verifyExportFolder } from './queries.ts';
import { VerifyResult } from './VerifyResult.tsx';
import classes from './Export.module.css';

const SPLIT_LABEL = { train: 'Train', validation: 'Validation', test: 'Test' } as const;

export function ExportSummaryCard({ summary }: { summary: ExportSummary }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<VerifyExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const verify = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await verifyExportFolder(summary.dir));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const skipped = Object.entries(summary.skipped).filter(([, n]) => n > 0);
  const totalBytes = summary.files.reduce((a, f) => a + f.bytes, 0);
  const formatName = FORMATS.find((f) => f.value === summary.format)?.name ?? summary.format;

  return (
    <div className={`${classes.card} ${classes.summary}`} data-testid="export-summary">
      <Group justify="space-between" wrap="nowrap" gap={8}>
        <Group gap={7} wrap="nowrap">
          <span className={classes.okDot} />
          <Text size="sm" fw={600}>
            Export complete
          </Text>
        </Group>
        <Text size="xs" c="dimmed" className={classes.nowrap}>
          {formatSeconds(summary.seconds)} · {formatCount(Math.round(summary.rowsPerSecond))} rows/s
        </Text>
      </Group>
      <Text size="xs" c="dimmed" mt={2}>
        {formatName} · {summary.outputs.map((o) => (o === 'jsonl' ? 'JSONL' : 'Parquet')).join(' + ')}
      </Text>

      <div className={classes.tiles}>
        <div className={`${classes.tile} ${classes.tileMain}`}>
          <span className={classes.tileNum} data-testid="export-rows">
            {formatCount(summary.rows)}
          </span>
          <span className={classes.tileLabel}>{summary.rows === 1 ? 'row' : 'rows'}</span>
        </div>
        {SPLITS.map((s) => (
          <div key={s} className={classes.tile}>
            <span className={classes.tileNum} data-testid={`export-split-${s}`}>
              {formatCount(summary.perSplit[s] ?? 0)}
            </span>
            <span className={classes.tileLabel}>{SPLIT_LABEL[s]}</span>
          </div>
        ))}
      </div>

      <dl className={`kv ${classes.kv}`}>
        <dt>Selected items</dt>
        <dd>{formatCount(summary.selected)}</dd>
        <dt>Excluded: conflicts</dt>
        <dd data-testid="export-conflicts" className={summary.excludedConflict > 0 ? classes.warnText : undefined}>
          {formatCount(summary.excludedConflict)}
        </dd>
        <dt>Skipped</dt>
        <dd data-testid="export-skipped">
          {skipped.length === 0
            ? 'none'
            : skipped.map(([k, n]) => `${formatCount(n)} ${SKIP_LABEL[k] ?? k.replace(/_/g, ' ')}`).join(' · ')}
        </dd>
        {(summary.unresolvedPiiItems > 0 || summary.unredactedPiiItems > 0) && (
          <>
            <dt>PII allowed (audited)</dt>
            <dd className={classes.warnText} data-testid="export-pii">
              {[
                summary.unresolvedPiiItems > 0 ? `${formatCount(summary.unresolvedPiiItems)} unresolved in scope` : null,
                summary.unredactedPiiItems > 0 ? `${formatCount(summary.unredactedPiiItems)} left unredacted` : null,
              ]
                .filter(Boolean)
                .join(' · ')}
            </dd>
          </>
        )}
        <dt>Audit event</dt>
        <dd data-testid="export-audit-seq">#{summary.auditEventSeq}</dd>
        <dt>Folder</dt>
        <dd className={`mono ${classes.breakAll}`} data-testid="export-dir">
          {summary.dir}
        </dd>
      </dl>

      <div className={classes.files} data-testid="export-files">
        <div className={`${classes.fileRow} ${classes.fileHead}`}>
          <span>File</span>
          <span>Rows</span>
          <span>Size</span>
        </div>
        {summary.files.map((f) => (
          <div key={f.path} className={classes.fileRow} data-testid="export-file">
            <span className={`mono ${classes.filePath}`}>{f.path}</span>
            <span>{f.rows === undefined ? '' : formatCount(f.rows)}</span>
            <span>{formatBytes(f.bytes)}</span>
          </div>
        ))}
        <div className={`${classes.fileRow} ${classes.fileTotal}`}>
          <span>
            {summary.files.length} {summary.files.length === 1 ? 'file' : 'files'} + manifest.json
          </span>
          <span />
          <span>{formatBytes(totalBytes)}</span>
        </div>
      </div>

      <Group gap={8} mt={10} wrap="nowrap">
        <Button size="xs" variant="default" className={classes.noShrink} onClick={() => void verify()} loading={busy} data-testid="export-verify">
          Verify
        </Button>
        <Text size="xs" c="dimmed">
          Re-reads the folder and checks it against the audit log.
        </Text>
      </Group>
      {error && (
        <Text size="xs" c="red" mt={6} className={classes.breakWord} data-testid="export-verify-error">
          {error}
        </Text>
      )}
      {result && (
        <div className={classes.resultGap}>
          <VerifyResult result={result} testId="export-verify-result" />
        </div>
      )}
    </div>
  );
}
