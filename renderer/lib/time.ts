/** Relative ages for the queue: "5m", "3h", "2d"; amber after 4 hours, red after 24. */
import { useEffect, useState } from 'react';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export function relativeAge(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '?';
  const d = Math.max(0, now - t);
  if (d < MIN) return 'now';
  if (d < HOUR) return `${Math.floor(d / MIN)}m`;
  if (d < DAY) return `${Math.floor(d / HOUR)}h`;
  if (d < 60 * DAY) return `${Math.floor(d / DAY)}d`;
  return `${Math.floor(d / (30 * DAY))}mo`;
}

export type AgeLevel = 'fresh' | 'aging' | 'stale';

export function ageLevel(iso: string, now: number): AgeLevel {
  const d = now - Date.parse(iso);
  if (d >= DAY) return 'stale';
  if (d >= 4 * HOUR) return 'aging';
  return 'fresh';
}

// One formatter for every call: toLocaleString builds a new one each time, which showed up in
// profiles of the review loop (every visible queue row formats its date on each render).
const DATE_TIME = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });

const DATE_TIME_SECONDS = new Intl.DateTimeFormat('en-US', { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** With seconds: for pipeline steps, which run seconds apart. */
export function formatTimeSeconds(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : DATE_TIME_SECONDS.format(t);
}

export function formatDateTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return DATE_TIME.format(t);
}

/** The current time, re-read every `everyMs` (ages in the queue tick without re-fetching). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
