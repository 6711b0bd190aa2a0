/**
 * The verdict pane's footer: a stale draft, the core's refusal, the replace confirmation, Submit,
 * the save notice and Undo.
 */
import { Alert, Button, Group, Kbd, Text } from '@mantine/core';
import type { ItemView } from '../../electron/shared/contract.ts';
import { DECISION_LABEL, shortId } from '../lib/format.ts';
import { refreshItem } from '../item/queries.ts';
import { KeyHint } from '../shell/KeyHint.tsx';
import { focusItemPane, MOD } from '../shell/shortcuts.ts';
import { useUi } from '../state/ui.ts';
import { adoptCurrentRevision, cancelReplace, submitCurrent, undoLast, useReplaceConfirm, useSaving } from './actions.ts';
import { useDrafts, type Draft } from './draft.ts';
import classes from './Verdict.module.css';
import { ItemActions } from './ItemActions.tsx';

export function VerdictFooter({ itemId, view, draft }: { itemId: string; view: ItemView; draft: Draft }) {
  const error = useDrafts((s) => s.errors[itemId]) ?? '';
  const errorKind = useDrafts((s) => s.errorKinds[itemId]) ?? 'core';
  const confirming = useReplaceConfirm((s) => s.itemId !== null && s.itemId === itemId);
  const revisionNow = view.item.revisions.find((r) => r.revision === view.item.revision)?.id ?? null;
  const staleDraft = draft.revisionId !== null && revisionNow !== null && draft.revisionId !== revisionNow && !draft.amending;
  return (
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
      <ItemActions view={view} />
    </div>
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
