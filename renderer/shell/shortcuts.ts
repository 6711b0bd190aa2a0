/** The shortcut map: one place for the handler, the cheat sheet and the Kbd hints on buttons. */

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const MOD = isMac ? '⌘' : 'Ctrl';

export interface ShortcutInfo {
  keys: string[];
  label: string;
  /** Keys pressed one after the other rather than together. */
  sequence?: boolean;
}

export const SHORTCUT_GROUPS: { title: string; items: ShortcutInfo[] }[] = [
  {
    title: 'Queue',
    items: [
      { keys: ['j'], label: 'Next item' },
      { keys: ['k'], label: 'Previous item' },
      { keys: ['/'], label: 'Search the queue' },
      { keys: ['r'], label: 'Reload the queue' },
      { keys: ['g', 'd'], label: 'Show / hide decided items (g n, g i, g s, g x, g c: the other statuses; g o: open only)', sequence: true },
    ],
  },
  {
    title: 'Item',
    items: [
      { keys: ['t'], label: 'Next tab (conversation, flags, evidence, provenance, history)' },
      { keys: ['Shift', 't'], label: 'Previous tab' },
      { keys: ['m'], label: 'Plain text / Markdown view' },
      { keys: ['o'], label: 'Reveal masked content (wellbeing settings; each reveal is recorded)' },
    ],
  },
  {
    title: 'Verdict',
    items: [
      { keys: ['v'], label: 'Confirm violation' },
      { keys: ['f'], label: 'Dismiss as false positive' },
      { keys: ['x'], label: 'Escalate (then pick a route)' },
      { keys: ['s'], label: 'Skip' },
      { keys: ['1 – 9', '0'], label: 'Toggle labels 1–10' },
      { keys: ['Shift', '1 – 7'], label: 'Toggle labels 11–17' },
      { keys: ['h'], label: 'Severity one step up (Shift+H: down)' },
      { keys: ['y'], label: 'Accept the current flag: the detector was right' },
      { keys: ['b'], label: 'Reject the current flag: a false positive of its detector' },
      { keys: ['l'], label: 'Next flag (Shift+L: previous)' },
      { keys: ['p'], label: 'Find text to mark as a span (Enter: next match, Tab: its label); or select text with the mouse' },
      { keys: ['a'], label: 'Amend the verdict in force' },
      { keys: ['e'], label: 'Edit the corrected output' },
      { keys: ['u'], label: 'Use the reference answer as the correction' },
      { keys: ['n'], label: 'Write the rationale' },
      { keys: ['d'], label: 'Correction diff on / off' },
      { keys: [MOD, 'Enter'], label: 'Submit (or amend) and go to the next item' },
      { keys: ['z'], label: 'Undo your last verdict and return to it' },
    ],
  },
  {
    title: 'General',
    items: [
      { keys: ['g', 'w'], label: 'Workspace: sources, ingest, sync, quarantine, audit', sequence: true },
      { keys: ['g', 'e'], label: 'Export a training dataset', sequence: true },
      { keys: ['?'], label: 'This cheat sheet' },
      { keys: ['Esc'], label: 'Leave a text field / close a dialog' },
    ],
  },
];

/** True for fields where typed letters are text, not shortcuts. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  }
  return false;
}

/** Where focus goes when it leaves a field or after a verdict: the item, never <body>. */
export function focusItemPane(): void {
  const el = document.getElementById('item-pane');
  if (el) el.focus({ preventScroll: true });
}

/**
 * Focuses a field. Text fields get the caret at the end, never a selection: the first keystroke
 * of a reviewer who pressed `e` or `n` must add to the text, not replace all of it. `select`
 * is for fields whose content is meant to be typed over (the search box).
 */
export function focusById(id: string, select = false): void {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLElement)) return;
  el.focus();
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) {
    if (select) el.select?.();
    else if (el instanceof HTMLTextAreaElement || el.type === 'text' || el.type === 'search') {
      const end = el.value.length;
      el.setSelectionRange(end, end);
    }
  }
}
