/** Small display helpers. */

// Built once: toLocaleString makes a new formatter on every call.
const COUNT = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return COUNT.format(n);
}

const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });

/** For narrow counters: exact up to 99,999, then 1.05M / 123.4K (the exact figure goes in a title). */
export function formatCountShort(n: number): string {
  return n < 100_000 ? COUNT.format(n) : COMPACT.format(n);
}

/**
 * A short id to tell rows apart: the last 8 hex digits. Our ids are UUIDv7, whose first 12
 * digits are a millisecond timestamp, so their head is the same for rows made together.
 */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(-8);
}

export function formatScore(score: number | null | undefined): string {
  return score == null ? '—' : score.toFixed(2);
}

/** Meaning colors for a detector score. */
export function scoreColor(score: number | null | undefined): string {
  if (score == null) return 'gray';
  if (score >= 0.8) return 'red';
  if (score >= 0.5) return 'orange';
  return 'yellow';
}

export const PRIORITY_LABEL = ['Critical', 'High', 'Normal', 'Low'] as const;
export const PRIORITY_SHORT = ['P0', 'P1', 'P2', 'P3'] as const;
export const PRIORITY_COLOR = ['red', 'orange', 'blue', 'gray'] as const;

export const STATUS_LABEL: Record<string, string> = {
  new: 'New',
  in_review: 'In review',
  decided: 'Decided',
  escalated: 'Escalated',
  conflict: 'Conflict',
  skipped: 'Skipped',
  disputed: 'Disputed',
  on_hold: 'On hold',
};

export const STATUS_COLOR: Record<string, string> = {
  new: 'blue',
  in_review: 'yellow',
  decided: 'green',
  escalated: 'grape',
  conflict: 'red',
  skipped: 'gray',
  disputed: 'orange',
  on_hold: 'cyan',
};

export const DECISION_LABEL: Record<string, string> = {
  violation: 'Violation confirmed',
  dismiss: 'False positive',
  escalate: 'Escalated',
  skip: 'Skipped',
  retracted: 'Retracted (undo)',
};

export const DECISION_COLOR: Record<string, string> = {
  violation: 'red',
  dismiss: 'teal',
  escalate: 'grape',
  skip: 'gray',
  retracted: 'gray',
};

/** Pretty JSON for display; never throws (cycles cannot come from JSON, but be safe). */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** If a string holds JSON, its pretty form; otherwise null. */
export function prettyIfJson(text: string): string | null {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return null;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return null;
  }
}

export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
