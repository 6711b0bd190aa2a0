/** The global keyboard handler. Single keys never fire while typing; Ctrl/⌘+Enter and Esc do. */
import { useEffect } from 'react';
import type { ItemStatus } from '../../electron/shared/contract.ts';
import { ITEM_TABS, OPEN_STATUSES, useUi } from '../state/ui.ts';
import { queueStore } from '../queue/store.ts';
import { selectRelative } from '../queue/navigation.ts';
import { amendInForce, applyReferenceAnswer, cancelReplace, chooseDecision, moveFlagCursor, reviewFlag, stepSeverity, submitCurrent, toggleLabelByIndex, undoLast } from '../verdict/actions.ts';
import { useDrafts } from '../verdict/draft.ts';
import { revealSelected } from '../item/mask.ts';
import { focusById, focusItemPane, isTextField } from './shortcuts.ts';

/** `g` then a letter: toggle a status in the queue filter (`g o`: back to the open statuses). */
const STATUS_KEYS: Record<string, ItemStatus | 'open'> = { n: 'new', i: 'in_review', d: 'decided', x: 'escalated', c: 'conflict', s: 'skipped', o: 'open' };

function toggleStatusFilter(s: ItemStatus | 'open'): void {
  const ui = useUi.getState();
  if (s === 'open') return ui.setFilter({ status: OPEN_STATUSES });
  const cur = ui.filter.status;
  const next = cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s];
  if (next.length > 0) ui.setFilter({ status: next });
}

function anyDialogOpen(): boolean {
  const ui = useUi.getState();
  return ui.helpOpen || ui.workspaceOpen || ui.exportOpen || ui.pendingLink !== null;
}

export function useShortcuts(): void {
  useEffect(() => {
    let gAt = 0;
    const onKey = (e: KeyboardEvent) => {
      const ui = useUi.getState();
      // The team and expert-review views have their own controls and keys (renderer/team, renderer/expert/useExpertKeys.ts);
      // the desk's keys would act on a hidden desk item.
      if (ui.view === 'team' || ui.view === 'expert') return;
      const typing = isTextField(e.target);
      const mod = e.ctrlKey || e.metaKey;

      if (mod && e.key === 'Enter') {
        if (anyDialogOpen()) return;
        e.preventDefault();
        void submitCurrent();
        return;
      }
      if (e.key === 'Escape') {
        if (!anyDialogOpen() && cancelReplace()) {
          e.preventDefault();
          focusItemPane();
          return;
        }
        // Dialogs close themselves on Esc; outside them Esc leaves the field.
        if (!anyDialogOpen() && typing) {
          e.preventDefault();
          (e.target as HTMLElement).blur();
          focusItemPane();
        }
        return;
      }
      if (typing || mod || e.altKey || e.defaultPrevented || (e.repeat && !['j', 'k'].includes(e.key))) return;
      if (anyDialogOpen()) return;

      const key = e.key;
      const now = Date.now();
      if (key === 'w' && now - gAt < 1500) {
        gAt = 0;
        e.preventDefault();
        ui.setWorkspaceOpen(true);
        return;
      }
      if (key === 'e' && now - gAt < 1500) {
        gAt = 0;
        e.preventDefault();
        ui.setExportOpen(true);
        return;
      }
      if (now - gAt < 1500 && key in STATUS_KEYS) {
        gAt = 0;
        e.preventDefault();
        toggleStatusFilter(STATUS_KEYS[key]!);
        return;
      }
      gAt = key === 'g' ? now : 0;
      const id = ui.selectedId;
      const handled = (() => {
        switch (key) {
          case 'j':
            selectRelative(1);
            return true;
          case 'k':
            selectRelative(-1);
            return true;
          case '/':
            focusById('queue-search', true);
            return true;
          case '?':
            ui.setHelpOpen(true);
            return true;
          case 'r':
            queueStore.refresh();
            return true;
          case 'm':
            ui.setMarkdown(!ui.markdown);
            return true;
          case 'o':
            return revealSelected();
          case 't':
          case 'T': {
            const i = ITEM_TABS.indexOf(ui.itemTab);
            const step = e.shiftKey ? -1 : 1;
            ui.setItemTab(ITEM_TABS[(i + step + ITEM_TABS.length) % ITEM_TABS.length]!);
            return true;
          }
          case 'v':
            chooseDecision('violation');
            return true;
          case 'f':
            chooseDecision('dismiss');
            return true;
          case 'x':
            chooseDecision('escalate');
            return true;
          case 's':
            chooseDecision('skip');
            return true;
          case 'e':
            if (id) focusById('correction-editor');
            return true;
          case 'n':
            if (id) focusById('rationale-editor');
            return true;
          case 'p':
            if (id) focusById('span-find', true);
            return true;
          case 'd':
            if (id) {
              const d = useDrafts.getState().drafts[id];
              useDrafts.getState().update(id, { showDiff: !(d?.showDiff ?? false) });
            }
            return true;
          case 'z':
            void undoLast();
            return true;
          case 'g':
            return true;
          case 'h':
          case 'H':
            stepSeverity(e.shiftKey ? -1 : 1);
            return true;
          case 'a':
            amendInForce();
            return true;
          case 'u':
            applyReferenceAnswer();
            return true;
          case 'y':
            reviewFlag(true);
            return true;
          case 'b':
            reviewFlag(false);
            return true;
          case 'l':
          case 'L':
            moveFlagCursor(e.shiftKey ? -1 : 1);
            return true;
          default: {
            // Shift+1…7 (by physical key: the character differs by layout) toggle labels 11–17.
            const digit = /^Digit([0-9])$/.exec(e.code)?.[1];
            if (e.shiftKey && digit && digit !== '0' && digit <= '7') {
              toggleLabelByIndex(9 + Number(digit));
              return true;
            }
            if (!e.shiftKey && /^[0-9]$/.test(key)) {
              toggleLabelByIndex(key === '0' ? 9 : Number(key) - 1);
              return true;
            }
            return false;
          }
        }
      })();
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
