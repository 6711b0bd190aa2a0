/**
 * The replay of team migration 0009: every kept revision text must be the one the log says the
 * item had at that revision (its content hash), and every correction must follow from its
 * `verdict.corrected` event, made by the verdict's author on their own verdict, once.
 */
import type { CorrectionRow, RevisionRow } from '../../../db/team/revisions.ts';

export class RevisionReplay {
  /** item id -> revision -> content hash, from item.ingested / item.revised. */
  private shas = new Map<string, Map<number, string>>();
  private corrections = new Map<string, Omit<CorrectionRow, 'verdictId'>>();

  /** Notes the revision an ingest or revision event gives an item. */
  observe(type: string, id: string, d: Record<string, unknown>): void {
    if (type !== 'item.ingested' && type !== 'item.revised') return;
    const m = this.shas.get(id) ?? new Map<number, string>();
    m.set(type === 'item.ingested' ? 1 : Number(d.revision), String(d.content_sha256));
    this.shas.set(id, m);
  }

  /** A `verdict.corrected` event, given the replayed verdict it names; the reason when it breaks a rule. */
  correct(id: string, d: Record<string, unknown>, actor: string, verdict: { itemId: string; reviewer: string; token: string } | undefined, where: string): string | null {
    const vid = String(d.verdict);
    if (!verdict || verdict.itemId !== id || verdict.token !== String(d.token)) return `${where}: correction of verdict ${vid}, which is not a verdict on item ${id} under lease ${String(d.token)}`;
    if (verdict.reviewer !== actor || String(d.reviewer) !== actor) return `${where}: ${actor} corrected verdict ${vid} of ${verdict.reviewer}`;
    if (this.corrections.has(vid)) return `${where}: verdict ${vid} corrected twice`;
    this.corrections.set(vid, { itemId: id, reviewer: actor, correctionSha256: String(d.correction_sha256), correctedAt: String(d.corrected_at) });
    return null;
  }

  compare(t: { revisions: RevisionRow[]; corrections: CorrectionRow[] }): string | null {
    for (const r of t.revisions) {
      const logged = this.shas.get(r.itemId)?.get(r.revision);
      if (r.textSha256 !== r.contentSha256) return `item ${r.itemId} revision ${r.revision}: its kept text was edited (content hash mismatch)`;
      if (logged !== r.contentSha256) return `item ${r.itemId} revision ${r.revision}: the kept text is not the one the log recorded`;
    }
    if (t.corrections.length !== this.corrections.size) return `the corrections table has ${t.corrections.length} rows; the log made ${this.corrections.size}`;
    for (const c of t.corrections) {
      const e = this.corrections.get(c.verdictId);
      if (!e || e.itemId !== c.itemId || e.reviewer !== c.reviewer || e.correctionSha256 !== c.correctionSha256 || e.correctedAt !== c.correctedAt)
        return `the correction of verdict ${c.verdictId} differs from its audit event (edited without an event)`;
    }
    return null;
  }
}
