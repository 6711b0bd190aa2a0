/**
 * Accept or reject each detector flag: the false-positive signal per detector that the oversight
 * metrics need. `y` / `b` call the flag under the cursor and move on; `l` moves the cursor.
 */
import { Group, UnstyledButton } from '@mantine/core';
import type { ItemView } from '../../electron/shared/contract.ts';
import { formatScore } from '../lib/format.ts';
import { visibleString } from '../lib/hidden-chars.ts';
import { Shown } from '../lib/Shown.tsx';
import { KeyHint } from '../shell/KeyHint.tsx';
import { reviewFlag } from './actions.ts';
import type { Draft } from './draft.ts';
import classes from './Verdict.module.css';

export function FlagReviews({ view, draft }: { view: ItemView; draft: Draft }) {
  const flags = view.item.record.flags;
  if (flags.length === 0) return null;
  const cursor = Math.min(draft.flagCursor, flags.length - 1);
  const called = Object.keys(draft.flagReviews).length;
  return (
    <div className={classes.block} data-testid="flag-reviews">
      <Group justify="space-between" wrap="nowrap">
        <Group gap={6} wrap="nowrap">
          <div className="section-label">Flags</div>
          <KeyHint keys={['y']} />
          <KeyHint keys={['b']} />
          <KeyHint keys={['l']} />
        </Group>
        <span className={classes.flagCount}>
          {called} of {flags.length} called
        </span>
      </Group>
      <div className={classes.flagList} role="list" aria-label="Flags to accept or reject">
        {flags.map((f, i) => {
          const call = draft.flagReviews[i];
          const name = f.category ?? f.source;
          return (
            <div
              key={i}
              role="listitem"
              className={classes.flagRow}
              data-testid="flag-review"
              data-current={i === cursor || undefined}
              data-call={call === undefined ? 'none' : call ? 'accepted' : 'rejected'}
              title={visibleString(`${f.source}${f.category ? ` · ${f.category}` : ''}`)}
            >
              <span className={classes.flagName}>
                <Shown text={name} />
                {f.category && (
                  <span className={classes.flagSource}>
                    {' '}
                    <Shown text={f.source} />
                  </span>
                )}
              </span>
              <span className={classes.flagScore}>{formatScore(f.score)}</span>
              <UnstyledButton
                className={classes.flagCall}
                data-kind="accept"
                data-active={call === true || undefined}
                aria-pressed={call === true}
                aria-label={`Accept flag ${i + 1}: the detector was right`}
                onClick={() => reviewFlag(true, i)}
              >
                right
              </UnstyledButton>
              <UnstyledButton
                className={classes.flagCall}
                data-kind="reject"
                data-active={call === false || undefined}
                aria-pressed={call === false}
                aria-label={`Reject flag ${i + 1}: a false positive`}
                onClick={() => reviewFlag(false, i)}
              >
                wrong
              </UnstyledButton>
            </div>
          );
        })}
      </div>
    </div>
  );
}
