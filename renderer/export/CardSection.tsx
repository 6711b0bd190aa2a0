/** Export form: the dataset card's license, and the SFT-only dismissed-items option. */
import { Checkbox, SimpleGrid, TextInput } from '@mantine/core';
import { Section, type SectionProps } from './FormSection.tsx';
import { useExportForm } from './store.ts';

export function CardSection({ errors }: Pick<SectionProps, 'errors'>) {
  const draft = useExportForm((s) => s.draft);
  const edit = useExportForm((s) => s.edit);
  return (
    <Section title="Dataset card">
      <SimpleGrid cols={2} spacing={10}>
        <TextInput
          size="xs"
          label="License"
          description="SPDX id or Hugging Face license name"
          value={draft.license}
          onChange={(e) => edit({ license: e.currentTarget.value })}
          error={errors.license}
          spellCheck={false}
          data-testid="export-license"
        />
        <Checkbox
          size="xs"
          mt={22}
          checked={draft.format === 'sft' && draft.includeDismissed}
          disabled={draft.format !== 'sft'}
          onChange={(e) => edit({ includeDismissed: e.currentTarget.checked })}
          label="Include dismissed items (SFT only)"
          description="Dismissed items without a correction contribute their original output."
          data-testid="export-include-dismissed"
        />
      </SimpleGrid>
    </Section>
  );
}
