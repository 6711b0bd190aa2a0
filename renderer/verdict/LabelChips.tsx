import { Tooltip, UnstyledButton } from '@mantine/core';
import type { Taxonomy } from '../../electron/shared/contract.ts';
import classes from './Verdict.module.css';

/** Taxonomy labels as toggles; the first nine carry their number key. */
export function LabelChips({ taxonomy, selected, onToggle }: { taxonomy: Taxonomy; selected: string[]; onToggle(id: string): void }) {
  return (
    <div className={classes.labels} data-testid="label-chips">
      {taxonomy.labels.map((l, i) => {
        const on = selected.includes(l.id);
        const chip = (
          <UnstyledButton
            key={l.id}
            className={classes.label}
            data-active={on || undefined}
            aria-pressed={on}
            data-testid={`label-${l.id}`}
            data-label-id={l.id}
            onClick={() => onToggle(l.id)}
          >
            {i < 9 && <span className={classes.labelKey}>{i + 1}</span>}
            <span className={classes.labelName}>{l.name}</span>
          </UnstyledButton>
        );
        return l.description ? (
          <Tooltip key={l.id} label={l.description} multiline w={260}>
            {chip}
          </Tooltip>
        ) : (
          chip
        );
      })}
    </div>
  );
}
