/** Export form: which verdicts are selected (decision, labels, reviewers, routes, models, dates). */
import { Chip, Group, MultiSelect, SimpleGrid, TagsInput, Text, TextInput } from '@mantine/core';
import { useAsync } from '../lib/useAsync.ts';
import { fetchFacets } from '../queue/queries.ts';
import { useChangeVersionFor } from '../shell/changes.ts';
import { useTaxonomy } from '../verdict/taxonomy.ts';
import { DECISION_OPTIONS, type ExportDecision } from './model.ts';
import { Section, type SectionProps } from './FormSection.tsx';
import { useExportForm } from './store.ts';
import classes from './Export.module.css';

// Routes and models offered are the workspace's facets, refetched when an ingest adds some.
export function SelectionSection({ errors }: Pick<SectionProps, 'errors'>) {
  const draft = useExportForm((s) => s.draft);
  const edit = useExportForm((s) => s.edit);
  const { taxonomy } = useTaxonomy();
  const facetsVersion = useChangeVersionFor('ingest');
  const { data: facets } = useAsync(`facets:${facetsVersion}`, fetchFacets);
  const labelData = (taxonomy?.labels ?? []).map((l) => ({ value: l.id, label: l.id === l.name ? l.id : `${l.id} · ${l.name}` }));
  const list = (xs: string[] | undefined) => (xs ?? []).map((x) => ({ value: x, label: x }));
  return (
    <Section title="Which verdicts" hint="Only the verdict in force on each item counts">
      <div className={classes.field}>
        <Text size="xs" fw={500} mb={4}>
          Decisions
        </Text>
        <Chip.Group multiple value={draft.decisions} onChange={(v) => edit({ decisions: v as ExportDecision[] })}>
          <Group gap={6}>
            {DECISION_OPTIONS.map((d) => (
              <Chip key={d.value} value={d.value} size="xs" variant="light" color={d.color} data-testid={`decision-${d.value}`}>
                {d.label}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        {errors.decisions && (
          <Text size="xs" c="red" mt={4}>
            {errors.decisions}
          </Text>
        )}
      </div>
      <SimpleGrid cols={2} spacing={10} verticalSpacing={8}>
        <MultiSelect
          size="xs"
          label="Labels"
          placeholder={draft.labels.length ? undefined : 'Any label'}
          data={labelData}
          value={draft.labels}
          onChange={(labels) => edit({ labels })}
          searchable
          clearable
          data-testid="export-labels"
        />
        <TagsInput
          size="xs"
          label="Reviewers"
          placeholder={draft.reviewers.length ? undefined : 'Anyone — type a name, then Enter'}
          value={draft.reviewers}
          onChange={(reviewers) => edit({ reviewers })}
          clearable
          data-testid="export-reviewers"
        />
        <MultiSelect
          size="xs"
          label="Routes"
          placeholder={draft.routes.length ? undefined : 'Any route'}
          data={list(facets?.routes)}
          value={draft.routes}
          onChange={(routes) => edit({ routes })}
          clearable
          data-testid="export-routes"
        />
        <MultiSelect
          size="xs"
          label="Models"
          placeholder={draft.models.length ? undefined : 'Any model'}
          data={list(facets?.models)}
          value={draft.models}
          onChange={(models) => edit({ models })}
          searchable
          clearable
          data-testid="export-models"
        />
        <TextInput
          size="xs"
          type="date"
          label="Items created from"
          value={draft.from}
          onChange={(e) => edit({ from: e.currentTarget.value })}
          error={errors.dates}
          data-testid="export-from"
        />
        <TextInput
          size="xs"
          type="date"
          label="To (inclusive)"
          value={draft.to}
          onChange={(e) => edit({ to: e.currentTarget.value })}
          error={errors.dates ? true : undefined}
          data-testid="export-to"
        />
      </SimpleGrid>
    </Section>
  );
}
