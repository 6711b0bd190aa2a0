/** What `export.verify` said about a folder: OK with the audit head, or the one problem. */
import { Alert, Text } from '@mantine/core';
import type { VerifyExportResult } from '../../electron/shared/contract.ts';
import { formatCount } from '../lib/format.ts';
import classes from './Export.module.css';

export function VerifyResult({ result, testId }: { result: VerifyExportResult; testId: string }) {
  if (!result.ok) {
    return (
      <Alert color="red" variant="light" p="xs" title="Does not verify" data-testid={testId} data-ok="false">
        <Text size="xs" className={classes.breakWord} data-testid={`${testId}-problem`}>
          {result.problem}
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="teal" variant="light" p="xs" title="Verified against the audit log" data-testid={testId} data-ok="true">
      <Text size="xs">
        {formatCount(result.files)} {result.files === 1 ? 'file' : 'files'}, {formatCount(result.rows)} {result.rows === 1 ? 'row' : 'rows'}, audit
        event #{result.eventSeq}; log head {formatCount(result.head.size)} events
      </Text>
      <Text size="xs" className={`mono ${classes.hash}`} data-testid={`${testId}-head`}>
        {result.head.root}
      </Text>
    </Alert>
  );
}
