/** Export form: the row layout and the output file kinds. */
import { Checkbox, Group, Radio, Text } from '@mantine/core';
import { FORMATS, type ExportFormat } from './model.ts';
import { Section, type SectionProps } from './FormSection.tsx';
import { useExportForm } from './store.ts';
import classes from './Export.module.css';

export function FormatSection({ errors, disabled }: SectionProps) {
  const draft = useExportForm((s) => s.draft);
  const edit = useExportForm((s) => s.edit);
  return (
    <Section title="Format" hint="What one row of the dataset holds">
      <Radio.Group value={draft.format} onChange={(v) => edit({ format: v as ExportFormat })}>
        <div className={classes.formats}>
          {FORMATS.map((f) => (
            <Radio.Card key={f.value} value={f.value} className={classes.formatCard} data-testid={`format-${f.value}`} disabled={disabled}>
              <div className={classes.formatInner}>
                <Radio.Indicator size="xs" mt={2} />
                <div className={classes.formatText}>
                  <span className={classes.formatName}>{f.name}</span>
                  <span className={`mono ${classes.formatShape}`}>{f.shape}</span>
                  <span className={classes.formatRows}>{f.rows}</span>
                </div>
              </div>
            </Radio.Card>
          ))}
        </div>
      </Radio.Group>
      <Group gap="lg" mt={10}>
        <Text size="xs" fw={600}>
          Outputs
        </Text>
        <Checkbox size="xs" label="JSONL" checked={draft.jsonl} onChange={(e) => edit({ jsonl: e.currentTarget.checked })} data-testid="output-jsonl" />
        <Checkbox
          size="xs"
          label="Parquet"
          checked={draft.parquet}
          onChange={(e) => edit({ parquet: e.currentTarget.checked })}
          data-testid="output-parquet"
        />
        {errors.outputs && (
          <Text size="xs" c="red" data-testid="outputs-error">
            {errors.outputs}
          </Text>
        )}
      </Group>
    </Section>
  );
}
