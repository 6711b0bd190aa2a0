/** Verify any export folder against this workspace's audit log. */
import { Button, Group, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { VerifyExportResult } from '../../electron/shared/contract.ts';
import { errorMessage } from '../lib/format.ts';
import { verifyExportFolder } from './queries.ts';
import { VerifyResult } from './VerifyResult.tsx';
import classes from './Export.module.css';

export function VerifyFolder() {
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<VerifyExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await verifyExportFolder(dir.trim()));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={classes.card} data-testid="verify-folder">
      <div className="section-label">Verify an export folder</div>
      <Text size="xs" c="dimmed" mt={2} mb={8}>
        Checks every file’s size and SHA-256 against the manifest, and the manifest against its event in this workspace’s audit log.
      </Text>
      <Group gap={8} wrap="nowrap" align="flex-end">
        <TextInput
          size="xs"
          className={classes.grow}
          placeholder="/path/to/export"
          value={dir}
          onChange={(e) => setDir(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && dir.trim() && !busy) void run();
          }}
          classNames={{ input: classes.monoInput }}
          spellCheck={false}
          aria-label="Export folder to verify"
          data-testid="verify-folder-path"
        />
        <Button size="xs" variant="default" onClick={() => void run()} disabled={!dir.trim()} loading={busy} data-testid="verify-folder-run">
          Verify
        </Button>
      </Group>
      {error && (
        <Text size="xs" c="red" mt={6} className={classes.breakWord} data-testid="verify-folder-error">
          {error}
        </Text>
      )}
      {result && (
        <div className={classes.resultGap}>
          <VerifyResult result={result} testId="verify-folder-result" />
        </div>
      )}
    </div>
  );
}
