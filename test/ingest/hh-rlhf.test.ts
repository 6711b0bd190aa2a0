import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { parseHhTranscript } from '../../electron/core/ingest/presets.ts';
import { queuePage } from '../../db/queries/items.ts';
import { HH_RLHF, tempWorkspace } from '../helpers/workspace.ts';

describe('hh-rlhf preset on the real Anthropic HH harmless-base test split', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('ingests 2,312 lines as 2,312 items, none quarantined, and a second run brings nothing new', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const first = await ingest(t.ws, { path: HH_RLHF, preset: 'hh-rlhf' });
    expect(first).toMatchObject({ read: 2312, ingested: 2312, duplicates: 0, revisions: 0, quarantined: 0, searchable: true });
    const second = await ingest(t.ws, { path: HH_RLHF, preset: 'hh-rlhf' });
    expect(second).toMatchObject({ read: 0, ingested: 0, quarantined: 0, skippedFiles: 1 });
    expect(t.ws.sqlite.prepare('SELECT count(*) FROM items').pluck().get()).toBe(2312);

    // Rows carry the pair faithfully: prompt turns, rejected reply as output, chosen as reference.
    const rl = createInterface({ input: createReadStream(HH_RLHF).pipe(createGunzip()) });
    const firstLine = JSON.parse((await rl[Symbol.asyncIterator]().next()).value as string) as { chosen: string; rejected: string };
    rl.close();
    const rejected = parseHhTranscript(firstLine.rejected);
    const chosen = parseHhTranscript(firstLine.chosen);
    const row = t.ws.sqlite
      .prepare("SELECT record FROM item_revisions WHERE json_extract(record, '$.output.messages[0].content') = ? LIMIT 1")
      .pluck()
      .get(rejected.at(-1)!.content) as string;
    const record = JSON.parse(row);
    expect(record.input.messages).toEqual(rejected.slice(0, -1));
    expect(record.evidence[0]).toMatchObject({ kind: 'reference_response', content: chosen.at(-1)!.content });

    // Searchable right after the ingest reports done.
    const hits = queuePage(t.ws.sqlite, { search: 'neighbor' }, null, 10);
    expect(hits.rows.length).toBeGreaterThan(0);
    expect(t.ws.audit.verify().ok).toBe(true);
  });
});
