/** How the dashboard writes its numbers. */
export const pct = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? '—' : `${(100 * v).toFixed(digits)} %`);

export function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / 86_400_000)} d`;
}

export const AGE_LABELS = ['< 1 h', '1–4 h', '4–24 h', '1–3 d', '3–7 d', '> 7 d'];
