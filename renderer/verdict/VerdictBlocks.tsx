/**
 * The verdict form's blocks below the decision: labels, severity, corrected output, rationale.
 * Each reads the draft it is given and writes through editDraft.
 */
import { useMask } from '../item/mask.ts';
import { Button, Group, Kbd, Switch, Text, Textarea, UnstyledButton } from '@mantine/core';
import { useMemo } from 'react';
import type { ItemView, Taxonomy } from '../../electron/shared/contract.ts';
import { WordDiff } from '../item/DiffView.tsx';
import { KeyHint } from '../shell/KeyHint.tsx';
import { editDraft, toggleLabel } from './actions.ts';
import type { Draft, Severity } from './draft.ts';
import { LabelChips } from './LabelChips.tsx';
import classes from './Verdict.module.css';

const SEVERITIES: Severity[] = ['low', 'medium', 'high', 'critical'];
const SEVERITY_COLOR: Record<Severity, string> = { low: 'gray', medium: 'yellow', high: 'orange', critical: 'red' };

interface BlockProps {
  itemId: string;
  view: ItemView;
  draft: Draft;
}

export function LabelsBlock({ itemId, view, draft, taxonomy, taxError }: BlockProps & { taxonomy: Taxonomy | undefined; taxError: string | undefined }) {
  return (
    <div className={classes.block}>
      <Group justify="space-between">
        <div className="section-label">Labels</div>
        <Text size="xs" c="dimmed">
          <Kbd size="xs">1</Kbd>–<Kbd size="xs">0</Kbd>, <Kbd size="xs">⇧1</Kbd>–<Kbd size="xs">7</Kbd>
        </Text>
      </Group>
      {taxonomy ? (
        <LabelChips taxonomy={{ ...taxonomy, labels: view.routeTaxonomy.labels }} selected={draft.labels} suggested={draft.suggested} onToggle={(l) => toggleLabel(itemId, l)} />
      ) : (
        <Text size="xs" c={taxError ? 'red' : 'dimmed'}>
          {taxError ?? 'Loading the taxonomy…'}
        </Text>
      )}
      {draft.suggested.length > 0 && (
        <Text size="xs" c="dimmed" data-testid="label-suggestions" className={classes.suggestionNote}>
          Suggested by the flags ({view.suggestedLabels.filter((s) => draft.suggested.includes(s.label)).map((s) => `${s.label} from flag ${s.flags.map((f) => f + 1).join(', ')}`).join('; ')}): kept unless you press the label&apos;s key or choose F.
        </Text>
      )}
    </div>
  );
}

export function SeverityBlock({ itemId, draft }: Omit<BlockProps, 'view'>) {
  const set = (patch: Partial<Draft>) => editDraft(itemId, patch);
  return (
    <div className={classes.block}>
      <Group gap={6}>
        <div className="section-label">Severity</div>
        <KeyHint keys={['h']} />
      </Group>
      <div className={classes.severities} role="radiogroup" aria-label="Severity">
        {SEVERITIES.map((s) => (
          <UnstyledButton
            key={s}
            role="radio"
            aria-checked={draft.severity === s}
            className={classes.severity}
            data-active={draft.severity === s || undefined}
            data-testid={`severity-${s}`}
            style={{ ['--c' as string]: `var(--mantine-color-${SEVERITY_COLOR[s]}-6)` }}
            onClick={() => set({ severity: draft.severity === s ? null : s })}
          >
            {s}
          </UnstyledButton>
        ))}
      </div>
    </div>
  );
}

export function CorrectionBlock({ itemId, view, draft }: BlockProps) {
  const set = (patch: Partial<Draft>) => editDraft(itemId, patch);
  const original = useMemo(() => (view.item.record.output?.messages ?? []).map((m) => m.content).join('\n\n'), [view]);
  const correction = draft.correction ?? original;
  const corrected = draft.correction !== null && draft.correction !== original;
  // The editor holds the model output: masked with the item pane until revealed.
  const hidden = useMask((s) => !(itemId in s.reason) || (s.reason[itemId] !== null && !s.revealed[itemId]));
  if (hidden) {
    return (
      <div className={classes.block}>
        <span className="section-label">Corrected output</span>
        <div className={classes.maskedNote} data-testid="correction-masked">
          Masked with the content (O shows it)
        </div>
      </div>
    );
  }
  return (
    <div className={classes.block}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap={6}>
          <label className="section-label" htmlFor="correction-editor">
            Corrected output
          </label>
          <KeyHint keys={['e']} />
          {corrected && <span className={classes.edited}>edited</span>}
        </Group>
        <Group gap={8} wrap="nowrap">
          {corrected && (
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => set({ correction: null })}>
              Reset
            </Button>
          )}
          <Switch
            size="xs"
            label={
              <span className={classes.switchLabel}>
                Diff <KeyHint keys={['d']} />
              </span>
            }
            checked={draft.showDiff}
            onChange={(e) => set({ showDiff: e.currentTarget.checked })}
            data-testid="correction-diff-toggle"
          />
        </Group>
      </Group>
      <Textarea
        id="correction-editor"
        data-testid="correction-editor"
        value={correction}
        onChange={(e) => set({ correction: e.currentTarget.value })}
        classNames={{ input: `${classes.mono} ${classes.grow} ${classes.correctionInput}` }}
        spellCheck={false}
      />
      {draft.showDiff && <WordDiff before={original} after={correction} testId="correction-diff" />}
    </div>
  );
}

export function RationaleBlock({ itemId, draft }: Omit<BlockProps, 'view'>) {
  const set = (patch: Partial<Draft>) => editDraft(itemId, patch);
  return (
    <div className={classes.block}>
      <Group gap={6}>
        <label className="section-label" htmlFor="rationale-editor">
          Rationale
        </label>
        <KeyHint keys={['n']} />
      </Group>
      <Textarea
        id="rationale-editor"
        data-testid="rationale-editor"
        classNames={{ input: `${classes.grow} ${classes.rationaleInput}` }}
        placeholder="Why? (kept with the verdict; the audit log stores its hash)"
        value={draft.rationale}
        onChange={(e) => set({ rationale: e.currentTarget.value })}
      />
    </div>
  );
}
