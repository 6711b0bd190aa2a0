import { Tooltip, UnstyledButton } from '@mantine/core';
import type { Taxonomy } from '../../electron/shared/contract.ts';
import classes from './Verdict.module.css';

/** The key of the label at `i`: 1–9, 0 for the tenth, ⇧1–⇧7 for the eleventh to seventeenth. */
function labelKey(i: number): string | null {
  if (i < 9) return String(i + 1);
  if (i === 9) return '0';
  if (i < 17) return `⇧${i - 9}`;
  return null;
}

/** Taxonomy labels as toggles; the first seventeen carry their key. */
export function LabelChips({
  taxonomy,
  selected,
  suggested = [],
  onToggle,
}: {
  taxonomy: Taxonomy;
  selected: string[];
  /** Preselected from the flags and not yet touched: marked so they are never taken for the reviewer's own. */
  suggested?: string[];
  onToggle(id: string): void;
}) {
  return (
    <div className={classes.labels} data-testid="label-chips">
      {taxonomy.labels.map((l, i) => {
        const on = selected.includes(l.id);
        const hint = suggested.includes(l.id);
        const chip = (
          <UnstyledButton
            key={l.id}
            className={classes.label}
            data-active={on || undefined}
            data-suggested={hint || undefined}
            aria-pressed={on}
            aria-description={hint ? 'suggested by a detector flag' : undefined}
            data-testid={`label-${l.id}`}
            data-label-id={l.id}
            onClick={() => onToggle(l.id)}
          >
            {labelKey(i) && <span className={classes.labelKey}>{labelKey(i)}</span>}
            <span className={classes.labelName}>{l.name}</span>
            {hint && <span className={classes.suggestedTag}>suggested</span>}
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
