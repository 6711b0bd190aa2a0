/** The left column of the export screen: what to export and how. */
import { Alert, Checkbox, Chip, Group, MultiSelect, NumberInput, Radio, SimpleGrid, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useAsync } from '../lib/useAsync.ts';
import { fetchFacets } from '../queue/queries.ts';
import { useChangeVersionFor } from '../shell/changes.ts';
import { useTaxonomy } from '../verdict/taxonomy.ts';
import { DECISION_OPTIONS, FORMATS, SPLITS, splitSum, type DraftErrors, type ExportDecision, type ExportFormat } from './model.ts';
import { useExportForm } from './store.ts';
import classes from './Export.module.css';

const SPLIT_LABEL = { train: 'Train', validation: 'Validation', test: 'Test' } as const;

function Section({ title, hint, children }: { title: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <section className={classes.section}>
      <div className={classes.sectionHead}>
        <span className="section-label">{title}</span>
        {hint && <span className={classes.sectionHint}>{hint}</span>}
      </div>
      {children}
    </section>
  );
}

export function ExportForm({ errors, disabled }: { errors: DraftErrors; disabled: boolean }) {
  const draft = useExportForm((s) => s.draft);
  const edit = useExportForm((s) => s.edit);
  const { taxonomy } = useTaxonomy();
  const facetsVersion = useChangeVersionFor('ingest');
  const { data: facets } = useAsync(`facets:${facetsVersion}`, fetchFacets);
  const sum = splitSum(draft);
  const labelData = (taxonomy?.labels ?? []).map((l) => ({ value: l.id, label: l.id === l.name ? l.id : `${l.id} · ${l.name}` }));
  const list = (xs: string[] | undefined) => (xs ?? []).map((x) => ({ value: x, label: x }));

  return (
    <fieldset className={classes.form} disabled={disabled} data-testid="export-form">
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

      <Section title="Privacy">
        <div className={classes.toggles}>
          <Switch
            size="xs"
            checked={draft.redact}
            onChange={(e) => edit({ redact: e.currentTarget.checked })}
            label="Redact PII in every exported text"
            description="Detected PII and spans flagged as PII are replaced with typed placeholders such as [EMAIL]."
            data-testid="export-redact"
          />
          {!draft.redact && (
            <Alert color="orange" variant="light" p="xs" data-testid="export-redact-warning">
              <Text size="xs">
                <b>Redaction is off.</b> Personal data in inputs, outputs and corrections will be written to the dataset as it is. Items
                flagged for PII block the export unless you also allow unredacted items below.
              </Text>
            </Alert>
          )}
          <Switch
            size="xs"
            color="orange"
            checked={draft.allowUnredacted}
            onChange={(e) => edit({ allowUnredacted: e.currentTarget.checked })}
            label="Allow unredacted PII-flagged items"
            description="Export even though items flagged for PII have no violation or dismiss verdict yet, or would leave unredacted."
            data-testid="export-allow-unredacted"
          />
          {draft.allowUnredacted && (
            <Alert color="yellow" variant="light" p="xs" data-testid="export-allow-warning">
              <Text size="xs">
                <b>Audited.</b> The export records how many PII-flagged items were unresolved or left unredacted, and that you allowed it, in
                the workspace’s audit log.
              </Text>
            </Alert>
          )}
        </div>
      </Section>

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
    </fieldset>
  );
}
