import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import { useState } from 'react';
import type { VerifyView } from '../../electron/shared/contract.ts';
import { errorMessage, formatCount } from '../lib/format.ts';
import { useAsync } from '../lib/useAsync.ts';
import { useChangeVersion } from '../shell/changes.ts';
import { fetchAuditHead, verifyAudit } from './queries.ts';
import classes from './Workspace.module.css';

export function AuditSection() {
  const version = useChangeVersion();
  const { data: head, error } = useAsync(`audit:${version}`, fetchAuditHead);
  const [result, setResult] = useState<VerifyView | null>(null);
  const [busy, setBusy] = useState(false);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  const verify = async () => {
    setBusy(true);
    setVerifyError(null);
    try {
      setResult(await verifyAudit());
    } catch (err) {
      setVerifyError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={classes.list} data-testid="audit-section">
      <Text size="sm" c="dimmed">
        Every ingest, verdict and setting change is an event in an append-only, hash-chained log. Its head is a Merkle tree
        root over all events; verifying recomputes it.
      </Text>
      {error && <Text c="red" size="sm">{error}</Text>}
      {!head && !error && <Loader size="sm" type="dots" />}
      {head && (
        <dl className="kv">
          <dt>Events</dt>
          <dd data-testid="audit-size">{formatCount(head.size)}</dd>
          <dt>Root</dt>
          <dd className={`mono ${classes.breakAll}`} data-testid="audit-root">
            {head.root}
          </dd>
        </dl>
      )}
      <Group>
        <Button size="xs" onClick={() => void verify()} loading={busy} data-testid="audit-verify">
          Verify the log
        </Button>
      </Group>
      {verifyError && <Text c="red" size="sm">{verifyError}</Text>}
      {result &&
        (result.ok ? (
          <Alert color="teal" variant="light" title="The log verifies" data-testid="audit-result" data-ok="true">
            <Text size="xs">
              {formatCount(result.head.size)} events, root <span className="mono">{result.head.root}</span>
            </Text>
          </Alert>
        ) : (
          <Alert color="red" variant="light" title="The log does not verify" data-testid="audit-result" data-ok="false">
            <Text size="xs">
              First bad event: {result.badSeq ?? 'unknown'} — {result.reason}
            </Text>
          </Alert>
        ))}
    </div>
  );
}
