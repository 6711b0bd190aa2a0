/**
 * The review loop's latency budget is the frame that paints the next item after a submit or j/k.
 * Background work (the refresh after a verdict, revalidating cached items, prefetching) waits
 * here until that frame has painted, so none of it runs inside it: measured on a 100k-item
 * workspace, a change refresh landing between the keypress and the paint added 30–50 ms.
 */

let held = false;
/** Bumped on every new hold, so a release meant for an earlier item cannot end a later hold. */
let generation = 0;
let failsafe: ReturnType<typeof setTimeout> | null = null;
const waiting: (() => void)[] = [];

// An item that never paints (the pane went away, the core stopped answering) must not hold the
// refreshes back for good: after a second they go ahead anyway.
const FAILSAFE_MS = 1000;

function release(gen: number): void {
  if (gen !== generation || !held) return;
  held = false;
  if (failsafe !== null) clearTimeout(failsafe);
  failsafe = null;
  // One task each, so a keypress that arrives meanwhile is handled between them.
  for (const fn of waiting.splice(0)) setTimeout(fn, 0);
}

/** A different item is going on screen: hold background work until it has painted. */
export function holdUntilPainted(): void {
  held = true;
  const gen = ++generation;
  if (failsafe !== null) clearTimeout(failsafe);
  failsafe = setTimeout(() => release(gen), FAILSAFE_MS);
}

/**
 * The selected item is in the frame being drawn. Called from a requestAnimationFrame callback:
 * a task queued from there runs once that frame has painted.
 */
export function itemPainted(): void {
  const gen = generation;
  setTimeout(() => release(gen), 0);
}

/** Runs `fn` now, or once the item going on screen has painted. */
export function afterItemPaint(fn: () => void): void {
  if (held) waiting.push(fn);
  else fn();
}

/** A promise form of afterItemPaint, for async code that applies fetched data. */
export function itemPaintSettled(): Promise<void> {
  return new Promise((resolve) => afterItemPaint(resolve));
}
