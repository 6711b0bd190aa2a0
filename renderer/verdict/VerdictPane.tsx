import { Alert, Button, Group, Kbd, Select, Switch, Text, Textarea, UnstyledButton } from '@mantine/core';
import { useMemo } from 'react';
import { DECISION_LABEL, shortId } from '../lib/format.ts';
import { refreshItem, useItem } from '../item/queries.ts';
import { WordDiff } from '../item/DiffView.tsx';
import { useQueue } from '../queue/store.ts';
import { KeyHint } from '../shell/KeyHint.tsx';
import { focusItemPane, MOD } from '../shell/shortcuts.ts';
import { useUi } from '../state/ui.ts';
import { adoptCurrentRevision, cancelReplace, chooseDecision, editDraft, submitCurrent, toggleLabel, undoLast, useReplaceConfirm, useSaving } from './actions.ts';
import { CurrentVerdict } from './CurrentVerdict.tsx';
import { DecisionButtons } from './DecisionButtons.tsx';
import { useDraft, useDrafts, type Draft, type Severity } from './draft.ts';
import { FlagReviews } from './FlagReviews.tsx';
import { LabelChips } from './LabelChips.tsx';
import { SpanEditor } from './SpanEditor.tsx';
import { RouteFields } from './RouteFields.tsx';
import { useTaxonomy } from './taxonomy.ts';
import classes from './Verdict.module.css';

const BASE_ROUTES = ['trust_safety', 'clinical', 'legal'];
const SEVERITIES: Severity[] = ['low', 'medium', 'high', 'critical'];
const SEVERITY_COLOR: Record<Severity, string> = { low: 'gray', medium: 'yellow', high: 'orange', critical: 'red' };

export function VerdictPane() {
  const itemId = useUi((s) => s.selectedId);
  const entry = useItem(itemId);
  const view = entry?.data;
  // Suggestions start a first decision only: a decided item's form does not re-offer them.
  const suggestions = useMemo(() => (view && !view.current ? view.suggestedLabels.map((s) => s.label) : []), [view]);
  const draft = useDraft(itemId, suggestions);
  const error = useDrafts((s) => (itemId ? s.errors[itemId] : '')) ?? '';
  const errorKind = useDrafts((s) => (itemId ? s.errorKinds[itemId] : undefined)) ?? 'core';
  const confirming = useReplaceConfirm((s) => s.itemId !== null && s.itemId === itemId);
  const { taxonomy, error: taxError } = useTaxonomy();

  const original = useMemo(() => (view?.item.record.output?.messages ?? []).map((m) => m.content).join('\n\n'), [view]);
  const correction = draft.correction ?? original;
  const corrected = draft.correction !== null && draft.correction !== original;

  if (!itemId || !view) {
    return (
      <aside className="pane pane-verdict" aria-label="Verdict" data-testid="verdict-pane">
        <div className={classes.emptyPane}>
          <Text size="sm" c="dimmed">
            No item selected.
          </Text>
        </div>
      </aside>
    );
  }

  const set = (patch: Partial<Draft>) => editDraft(itemId, patch);
  const revisionNow = view.item.revisions.find((r) => r.revision === view.item.revision)?.id ?? null;
  const staleDraft = draft.revisionId !== null && revisionNow !== null && draft.revisionId !== revisionNow && !draft.amending;

  return (
    <aside className="pane pane-verdict" aria-label="Verdict" data-testid="verdict-pane" data-item-id={itemId}>
      <div className={`scroll-y ${classes.form}`}>
        {view.current && !draft.amending && <CurrentVerdict verdict={view.current} />}
        {draft.amending && (
          <div className={classes.amending} data-testid="amend-banner">
            <div>
              <div className={classes.amendTitle}>Amending verdict #{shortId(draft.amending.verdictId)}</div>
              <div className={classes.amendSub}>The original stays in the history; this replaces it.</div>
            </div>
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => useDrafts.getState().clear(itemId)} data-testid="amend-cancel">
              Cancel
            </Button>
          </div>
        )}

        <div className={classes.block}>
          <div className="section-label">Decision</div>
          <DecisionButtons value={draft.decision} onChange={(d) => chooseDecision(d)} />
          {draft.decision === 'escalate' && (
            <RoutePicker itemRoute={view.item.route} value={draft.routeTo} onChange={(routeTo) => set({ routeTo })} />
          )}
        </div>

        <FlagReviews view={view} draft={draft} />

        <SpanEditor view={view} draft={draft} />

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

        <RouteFields itemId={itemId} route={view.item.route} fields={view.routeTaxonomy.fields} values={draft.routeFields} />

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
      </div>

      <div className={classes.footer}>
        {staleDraft && !error && (
          <Alert color="orange" variant="light" p="xs" data-testid="verdict-stale" className={classes.error}>
            <Text size="xs">A new revision of this item arrived after you started this draft (see History for the diff).</Text>
            <Button size="compact-xs" variant="light" color="orange" mt={6} onClick={() => adoptCurrentRevision(itemId)}>
              Decide on the new revision
            </Button>
          </Alert>
        )}
        {error && (
          <Alert color="red" variant="light" p="xs" data-testid="verdict-error" className={classes.error}>
            <Text size="xs">{error}</Text>
            {errorKind === 'core' && (
            <Group gap={6} mt={6}>
              {staleDraft ? (
                <Button
                  size="compact-xs"
                  variant="light"
                  color="red"
                  onClick={() => {
                    adoptCurrentRevision(itemId);
                    useUi.getState().setItemTab('history');
                  }}
                  data-testid="adopt-revision"
                >
                  Review the new revision
                </Button>
              ) : (
                <Button size="compact-xs" variant="light" color="red" onClick={() => refreshItem(itemId)}>
                  Reload item
                </Button>
              )}
              <Text size="xs" c="dimmed">
                Your draft is kept.
              </Text>
            </Group>
            )}
          </Alert>
        )}
        {confirming && view.current && (
          <Alert color="orange" variant="light" p="xs" data-testid="replace-confirm" className={classes.error}>
            <Text size="xs">
              This item already has a verdict in force: {DECISION_LABEL[view.current.decision] ?? view.current.decision} by {view.current.reviewer} (#
              {shortId(view.current.id)}). Record yours as an amendment of it?
            </Text>
            <Group gap={6} mt={6}>
              <Button id="replace-confirm-ok" size="compact-xs" color="orange" onClick={() => void submitCurrent()} rightSection={<KeyHint keys={[MOD, 'Enter']} />}>
                Amend it
              </Button>
              <Button
                size="compact-xs"
                variant="subtle"
                color="gray"
                onClick={() => {
                  cancelReplace();
                  focusItemPane();
                }}
                rightSection={<Kbd size="xs">Esc</Kbd>}
              >
                Cancel
              </Button>
            </Group>
          </Alert>
        )}
        <SubmitButton amending={draft.amending !== null} />
        <Group justify="space-between" gap={6} wrap="nowrap">
          <SaveNotice />
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => void undoLast()} data-testid="verdict-undo" rightSection={<Kbd size="xs">z</Kbd>} style={{ flexShrink: 0 }}>
            Undo last
          </Button>
        </Group>
      </div>
    </aside>
  );
}

// The save state and the notice change as each verdict is sent and again once it is recorded,
// by then usually with the next item on screen: only these two small components follow them,
// not the whole form.
function SubmitButton({ amending }: { amending: boolean }) {
  const saving = useSaving((s) => s.saving);
  return (
    <Button
      id="verdict-submit"
      data-testid="verdict-submit"
      fullWidth
      size="sm"
      loading={saving}
      onClick={() => void submitCurrent()}
      rightSection={<KeyHint keys={[MOD, 'Enter']} />}
      justify="space-between"
    >
      {amending ? 'Record amendment' : 'Submit verdict'}
    </Button>
  );
}

function SaveNotice() {
  const notice = useSaving((s) => s.notice);
  return (
    <Text size="xs" c="dimmed" className="truncate" data-testid="verdict-notice">
      {notice ?? ''}
    </Text>
  );
}

/**
 * Routes to escalate to: the usual three, this item's own and those of the queue on screen. Not
 * the facets call, which scans every item (seconds at a million) on the core's one thread.
 * Mounted only while Escalate is chosen, so the form does not follow every queue change.
 */
function RoutePicker({ itemRoute, value, onChange }: { itemRoute: string; value: string | null; onChange(route: string | null): void }) {
  const rows = useQueue().rows;
  const routes = useMemo(() => [...new Set([...BASE_ROUTES, itemRoute, ...rows.map((r) => r.route)])].sort(), [itemRoute, rows]);
  return (
    <Select
      id="route-picker"
      data-testid="route-picker"
      size="xs"
      label="Escalate to"
      placeholder="Pick a route"
      data={routes}
      value={value}
      onChange={onChange}
      // Typing part of a route and pressing Enter picks the first match, then the reviewer is
      // back on the item: later shortcut letters never land in the box.
      selectFirstOptionOnChange
      selectFirstOptionOnDropdownOpen
      onOptionSubmit={() => requestAnimationFrame(() => focusItemPane())}
      searchable
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
