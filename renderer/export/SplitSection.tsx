/** Export form: split ratios and seed. */
import { NumberInput, Text } from '@mantine/core';
import { SPLITS, splitSum } from './model.ts';
import { Section, type SectionProps } from './FormSection.tsx';
import { useExportForm } from './store.ts';
import classes from './Export.module.css';

const SPLIT_LABEL = { train: 'Train', validation: 'Validation', test: 'Test' } as const;

export function SplitSection({ errors }: Pick<SectionProps, 'errors'>) {
  const draft = useExportForm((s) => s.draft);
  const edit = useExportForm((s) => s.edit);
  const sum = splitSum(draft);
  return (
    <Section title="Splits" hint="Deterministic: the same seed gives the same split">
      <div className={classes.splits}>
        {SPLITS.map((s) => (
          <NumberInput
            key={s}
            size="xs"
            label={SPLIT_LABEL[s]}
            value={draft.split[s]}
            onChange={(v) => edit({ split: { ...draft.split, [s]: v } })}
            min={0}
            max={1}
            step={0.05}
            decimalScale={4}
            allowNegative={false}
            error={errors.split ? true : undefined}
            data-testid={`split-${s}`}
          />
        ))}
        <NumberInput
          size="xs"
          label="Seed"
          value={draft.seed}
          onChange={(seed) => edit({ seed })}
          min={0}
          max={2 ** 31}
          allowDecimal={false}
          allowNegative={false}
          error={errors.seed}
          data-testid="export-seed"
        />
      </div>
      <Text
        size="xs"
        mt={6}
        c={errors.split ? 'red' : 'dimmed'}
        data-testid="split-message"
        data-error={errors.split ? 'true' : 'false'}
      >
        {errors.split ?? `Train, validation and test add up to ${Number.isFinite(sum) ? Number(sum.toFixed(4)) : '—'}. Items of one conversation share a split.`}
      </Text>
    </Section>
  );
}
