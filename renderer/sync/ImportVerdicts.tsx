/** Record decisions made in another tool (a JSONL file of verdicts) as audited verdicts of kind “import”. */
import { Button, Group, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ImportSummary } from '../../electron/shared/contract.ts';
import { errorMessage, formatCount } from '../lib/format.ts';
import { importVerdicts } from './queries.ts';
import classes from './Sync.module.css';

export function ImportVerdicts() {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    setSummary(null);
    try {
      setSummary(await importVerdicts(path.trim()));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={classes.import} data-testid="import-verdicts">
      <div className="section-label">Import decisions from another tool</div>
      <Text size="xs" c="dimmed" mt={2} mb={8}>
        Records decisions made outside Verdict as audited verdicts of kind “import”, one JSON object per line:{' '}
        <span className="mono">{'{item_id, decision, decided_at, labels?, severity?, correction?, reviewer?}'}</span>. Importing a file again
        adds nothing twice; bad lines go to the quarantine.
      </Text>
      <Group gap={8} wrap="nowrap" align="flex-end">
        <TextInput
          size="xs"
          className={classes.grow}
          placeholder="/path/to/decisions.jsonl"
          value={path}
          onChange={(e) => setPath(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && path.trim() && !busy) void run();
          }}
          classNames={{ input: classes.monoInput }}
          spellCheck={false}
          aria-label="Verdicts file to import"
          data-testid="import-path"
        />
        <Button size="xs" variant="default" onClick={() => void run()} disabled={!path.trim()} loading={busy} data-testid="import-start">
          Import verdicts
        </Button>
      </Group>
      {error && (
        <Text size="xs" c="red" mt={6} className={classes.breakWord} data-testid="import-error">
          {error}
        </Text>
      )}
      {summary && (
        <div className={classes.importStats} data-testid="import-summary">
          <span>{formatCount(summary.read)} read</span>
          <span className={classes.okText}>{formatCount(summary.imported)} imported</span>
          <span>{formatCount(summary.duplicates)} already imported</span>
          <span className={summary.quarantined > 0 ? classes.warnText : undefined}>{formatCount(summary.quarantined)} quarantined</span>
          <span>{summary.seconds.toFixed(1)} s</span>
        </div>
      )}
    </div>
  );
}
