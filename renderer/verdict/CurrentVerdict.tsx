import { Shown } from '../lib/Shown.tsx';
import { Badge, Button, Group } from '@mantine/core';
import { KeyHint } from '../shell/KeyHint.tsx';
import { amendInForce } from './actions.ts';
import { labelDisplay, useTaxonomy } from './taxonomy.ts';
import type { VerdictRow } from '../../electron/shared/contract.ts';
import { DECISION_COLOR, DECISION_LABEL } from '../lib/format.ts';
import { formatDateTime } from '../lib/time.ts';
import classes from './Verdict.module.css';

/** The verdict in force on a decided item. */
export function CurrentVerdict({ verdict }: { verdict: VerdictRow }) {
  const { taxonomy } = useTaxonomy();
  const details = [
    verdict.severity ? `Severity ${verdict.severity}` : null,
    verdict.routeTo ? `Route ${verdict.routeTo}` : null,
    verdict.labels.length ? `Labels ${verdict.labels.map((l) => labelDisplay(l, taxonomy)).join(', ')}` : null,
  ].filter((x): x is string => x !== null);
  return (
    <div className={classes.current} data-testid="current-verdict" data-decision={verdict.decision}>
      <div className={classes.currentHead}>
        <span className="section-label">Current verdict</span>
        <span className={classes.spacer} />
        <Badge size="sm" variant="filled" color={DECISION_COLOR[verdict.decision] ?? 'gray'}>
          {DECISION_LABEL[verdict.decision] ?? verdict.decision}
        </Badge>
      </div>
      <div className={classes.currentMeta}>
        {verdict.kind === 'amendment' ? 'Amended' : 'Recorded'} by {verdict.reviewer} · {formatDateTime(verdict.decidedAt)}
      </div>
      {details.length > 0 && <div className={classes.currentMeta}>{details.join(' · ')}</div>}
      {verdict.rationale && <div className={classes.currentRationale}>
          <Shown text={verdict.rationale} />
        </div>}
      <Group justify="flex-end" mt={4}>
        <Button size="compact-xs" variant="subtle" onClick={amendInForce} rightSection={<KeyHint keys={['a']} />} data-testid="current-amend">
          Amend
        </Button>
      </Group>
    </div>
  );
}
