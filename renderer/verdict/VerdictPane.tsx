import { Button, Select, Text } from '@mantine/core';
import { useMemo } from 'react';
import { shortId } from '../lib/format.ts';
import { useItem } from '../item/queries.ts';
import { useQueue } from '../queue/store.ts';
import { focusItemPane } from '../shell/shortcuts.ts';
import { useUi } from '../state/ui.ts';
import { chooseDecision, editDraft } from './actions.ts';
import { CurrentVerdict } from './CurrentVerdict.tsx';
import { DecisionButtons } from './DecisionButtons.tsx';
import { useDraft, useDrafts, type Draft } from './draft.ts';
import { FlagReviews } from './FlagReviews.tsx';
import { SpanEditor } from './SpanEditor.tsx';
import { RouteFields } from './RouteFields.tsx';
import { useTaxonomy } from './taxonomy.ts';
import { CorrectionBlock, LabelsBlock, RationaleBlock, SeverityBlock } from './VerdictBlocks.tsx';
import { VerdictFooter } from './VerdictFooter.tsx';
import classes from './Verdict.module.css';

const BASE_ROUTES = ['trust_safety', 'clinical', 'legal'];

export function VerdictPane() {
  const itemId = useUi((s) => s.selectedId);
  const entry = useItem(itemId);
  const view = entry?.data;
  // Suggestions start a first decision only: a decided item's form does not re-offer them.
  const suggestions = useMemo(() => (view && !view.current ? view.suggestedLabels.map((s) => s.label) : []), [view]);
  const draft = useDraft(itemId, suggestions);
  const { taxonomy, error: taxError } = useTaxonomy();

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

        <LabelsBlock itemId={itemId} view={view} draft={draft} taxonomy={taxonomy} taxError={taxError} />

        <RouteFields itemId={itemId} route={view.item.route} fields={view.routeTaxonomy.fields} values={draft.routeFields} />

        <SeverityBlock itemId={itemId} draft={draft} />

        <CorrectionBlock itemId={itemId} view={view} draft={draft} />

        <RationaleBlock itemId={itemId} draft={draft} />
      </div>

      <VerdictFooter itemId={itemId} view={view} draft={draft} />
    </aside>
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
