/**
 * Redaction: detected PII and flagged PII spans become typed placeholders, at the right code
 * points even after astral emoji; a flagged value repeated in the correction is caught too;
 * unresolved PII-flagged items block the export unless allowed, and every such choice (and
 * --no-redact) is written to the audit event.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportDataset } from '../../electron/core/export/index.ts';
import { isPiiFlag, piiTypeOf } from '../../electron/core/export/redaction.ts';
import type { EscalationRecordInput } from '../../electron/core/record/schema.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { ingestRecords, itemsOf, readJsonlRows, record } from './helpers.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';

type Msg = { role: string; content: string };

/** Code-point offsets of `needle` in `text`. */
function cp(text: string, needle: string): { start: number; end: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in ${text}`);
  const start = Array.from(text.slice(0, at)).length;
  return { start, end: start + Array.from(needle).length };
}

const OUTPUT = '🙂🎉 Reach Jane Roe on her mobile, or write to jane.roe@example.com. The claim: rent rose 31%.';
const SECOND = '𝄞𝄞 my account is ACCT-77-Z, thanks';

function flagged(id: string): EscalationRecordInput {
  return record(id, {
    input: { messages: [{ role: 'user', content: 'hello' }, { role: 'user', content: SECOND }] },
    output: OUTPUT,
    flags: [
      { source: 'pii-detector', category: 'pii', spans: [{ field: 'output', ...cp(OUTPUT, 'Jane Roe'), label: 'PERSON' }] },
      { source: 'dlp', policy: 'privacy.pii_exposure', spans: [{ field: 'input.messages[1]', ...cp(SECOND, 'ACCT-77-Z'), label: 'IBAN_CODE' }] },
      { source: 'groundedness', category: 'hallucination', spans: [{ field: 'output', ...cp(OUTPUT, 'rent rose 31%'), label: 'CLAIM' }] },
    ],
  });
}

function exportEvents(ws: { sqlite: { prepare: (s: string) => { all: () => unknown[] } } }) {
  return (ws.sqlite.prepare("SELECT body FROM audit_events WHERE type = 'export.created' ORDER BY seq").all() as { body: string }[]).map(
    (r) => JSON.parse(r.body) as { actor: string; data: Record<string, unknown> },
  );
}

describe('redaction', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('replaces detected PII and flagged spans by typed placeholders at the right code points, after emoji', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestRecords(t.ws, t.dir, [flagged('p1')]);
    const [item] = itemsOf(t.ws);
    new ReviewService(t.ws).submit({ itemId: item!.id, decision: 'violation', correction: 'Please ask Jane Roe directly, or mail jane.roe@example.com.', reviewer: 'r' });
    const out = join(t.dir, 'out');
    const s = await exportDataset(t.ws, { format: 'trl-dpo', out, outputs: ['jsonl'] });
    expect(s.rows).toBe(1);
    const [row] = readJsonlRows(out) as { prompt: Msg[]; chosen: Msg[]; rejected: Msg[] }[];
    expect(row!.rejected[0]!.content).toBe('🙂🎉 Reach [NAME] on her mobile, or write to [EMAIL]. The claim: rent rose 31%.');
    expect(row!.prompt[1]!.content).toBe('𝄞𝄞 my account is [IBAN], thanks');
    // The flagged name repeated in the correction is redacted there too; the e-mail by the detector.
    expect(row!.chosen[0]!.content).toBe('Please ask [NAME] directly, or mail [EMAIL].');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.content.redaction).toMatchObject({ enabled: true, placeholders: { EMAIL: 2, NAME: 2, IBAN: 1 }, rows_changed: 1 });
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('`[EMAIL]` 2');
    expect(exportEvents(t.ws)[0]!.data).toMatchObject({ redact: true, allow_unredacted: false, unresolved_pii_items: 0 });
  });

  it('refuses while PII-flagged items are unresolved, unless allowed, and audits the override', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestRecords(t.ws, t.dir, [
      record('ok', { route: 'legal' }),
      flagged('pending'),
      { ...flagged('escalated'), route: 'clinical' },
    ]);
    const [ok, , escalated] = itemsOf(t.ws);
    const review = new ReviewService(t.ws);
    review.submit({ itemId: ok!.id, decision: 'violation', correction: 'fine', reviewer: 'r' });
    review.submit({ itemId: escalated!.id, decision: 'escalate', routeTo: 'clinical', reviewer: 'r' });
    const before = t.ws.audit.head().size;
    const out = join(t.dir, 'out');
    await expect(exportDataset(t.ws, { format: 'sft', out })).rejects.toThrow(
      /^refusing to export: 2 item\(s\) in scope carry PII flags that no reviewer has resolved \(no violation or dismiss verdict in force\); .*--allow-unredacted/,
    );
    expect(existsSync(out)).toBe(false);
    expect(t.ws.audit.head().size).toBe(before);

    // Out of scope (another route), they do not block.
    const legal = await exportDataset(t.ws, { format: 'sft', out: join(t.dir, 'legal'), filters: { routes: ['legal'] } });
    expect(legal.rows).toBe(1);

    const allowed = await exportDataset(t.ws, { format: 'sft', out, allowUnredacted: true, actor: 'alice' });
    expect(allowed).toMatchObject({ rows: 1, unresolvedPiiItems: 2 });
    const events = exportEvents(t.ws);
    expect(events.at(-1)!.actor).toBe('alice');
    expect(events.at(-1)!.data).toMatchObject({ allow_unredacted: true, unresolved_pii_items: 2, redact: true });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.content.redaction).toMatchObject({ allow_unredacted: true, unresolved_pii_items: 2 });
  });

  it('--no-redact exports text as is, refuses PII-flagged rows unless allowed, and is audited', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestRecords(t.ws, t.dir, [flagged('p1'), record('plain', { output: 'mail me: bob@example.com', route: 'legal' })]);
    const review = new ReviewService(t.ws);
    for (const it of itemsOf(t.ws)) review.submit({ itemId: it.id, decision: 'violation', correction: 'ok', reviewer: 'r' });
    await expect(exportDataset(t.ws, { format: 'trl-dpo', out: join(t.dir, 'x'), redact: false })).rejects.toThrow(
      /1 selected item\(s\) carry PII flags and redaction is off/,
    );
    const out = join(t.dir, 'raw');
    const s = await exportDataset(t.ws, { format: 'trl-dpo', out, redact: false, allowUnredacted: true, outputs: ['jsonl'] });
    expect(s).toMatchObject({ rows: 2, unredactedPiiItems: 1 });
    const rows = readJsonlRows(out) as { rejected: Msg[] }[];
    expect(rows.map((r) => r.rejected[0]!.content).sort()).toEqual([OUTPUT, 'mail me: bob@example.com'].sort());
    expect(exportEvents(t.ws).at(-1)!.data).toMatchObject({ redact: false, allow_unredacted: true, unredacted_pii_items: 1 });
    // Without PII flags in the selection, --no-redact needs no override, but is still recorded.
    const s2 = await exportDataset(t.ws, { format: 'trl-dpo', out: join(t.dir, 'raw2'), redact: false, filters: { routes: ['legal'] } });
    expect(s2).toMatchObject({ rows: 1, unredactedPiiItems: 0 });
    expect(exportEvents(t.ws).at(-1)!.data).toMatchObject({ redact: false, allow_unredacted: false, unredacted_pii_items: 0 });
  });

  it('classifies PII flags by category, policy and span label', () => {
    expect(isPiiFlag({ category: 'pii' })).toBe(true);
    expect(isPiiFlag({ policy: 'privacy.pii_exposure' })).toBe(true);
    expect(isPiiFlag({ category: 'email' })).toBe(true);
    expect(isPiiFlag({ category: 'S7: Privacy' })).toBe(false);
    expect(isPiiFlag({ category: 'harmlessness', policy: 'tool.destructive_action' })).toBe(false);
    expect(piiTypeOf('EMAIL_ADDRESS')).toBe('EMAIL');
    expect(piiTypeOf('PHONE_NUMBER')).toBe('PHONE');
    expect(piiTypeOf('US_SSN')).toBe('SSN');
    expect(piiTypeOf('IP_ADDRESS')).toBe('IP_ADDRESS');
    expect(piiTypeOf('STREET_ADDRESS')).toBe('ADDRESS');
    expect(piiTypeOf('CLAIM')).toBe(null);
  });
});
