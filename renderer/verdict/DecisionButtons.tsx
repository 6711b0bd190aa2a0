import { Kbd, UnstyledButton } from '@mantine/core';
import type { Decision } from './draft.ts';
import classes from './Verdict.module.css';

const DECISIONS: { value: Decision; label: string; key: string; color: string }[] = [
  { value: 'violation', label: 'Violation', key: 'V', color: 'red' },
  { value: 'dismiss', label: 'False positive', key: 'F', color: 'teal' },
  { value: 'escalate', label: 'Escalate', key: 'X', color: 'grape' },
  { value: 'skip', label: 'Skip', key: 'S', color: 'gray' },
];

export function DecisionButtons({ value, onChange }: { value: Decision | null; onChange(d: Decision): void }) {
  return (
    <div className={classes.decisions} role="radiogroup" aria-label="Decision">
      {DECISIONS.map((d) => (
        <UnstyledButton
          key={d.value}
          role="radio"
          aria-checked={value === d.value}
          className={classes.decision}
          data-active={value === d.value || undefined}
          data-testid={`decision-${d.value}`}
          style={{ ['--c' as string]: `var(--mantine-color-${d.color}-6)` }}
          onClick={() => onChange(d.value)}
        >
          <span className={classes.decisionDot} />
          <span className={classes.decisionLabel}>{d.label}</span>
          <Kbd size="xs">{d.key.toLowerCase()}</Kbd>
        </UnstyledButton>
      ))}
    </div>
  );
}
