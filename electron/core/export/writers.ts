/**
 * The export's open output files: one JSONL and/or Parquet writer per split (opened on that
 * split's first row, so an empty split leaves no shard) and `items.jsonl`. Kept together so a
 * failed export abandons every one of them.
 */
import { join } from 'node:path';
import type { CardSplit } from './card.ts';
import { FileSink, type WrittenFile } from './files.ts';
import { parquetSchema, type FormatSpec } from './formats.ts';
import { JsonlSplitWriter } from './jsonl-writer.ts';
import { ITEMS_FILE } from './manifest.ts';
import { SPLITS, type NormalizedOptions, type SplitName } from './options.ts';
import { ParquetSplitWriter } from './parquet-writer.ts';
import type { BatchResult } from './process.ts';
import type { ExportTally } from './tally.ts';
import { APP_VERSION } from '../version.ts';

const bytesOf = (fs: WrittenFile[]) => fs.reduce((n, f) => n + f.bytes, 0);

export class ExportWriters {
  private readonly jsonl = new Map<SplitName, JsonlSplitWriter>();
  private readonly parquet = new Map<SplitName, ParquetSplitWriter>();
  private readonly pqSettings: ConstructorParameters<typeof ParquetSplitWriter>[3] | null;
  private items: FileSink | null;

  constructor(
    private readonly o: NormalizedOptions,
    spec: FormatSpec,
    private readonly writeParquet: boolean,
  ) {
    this.pqSettings = writeParquet
      ? { schema: parquetSchema(spec), columns: spec.columns, rowGroupRows: o.rowGroupRows, createdBy: `verdict ${APP_VERSION}` }
      : null;
    this.items = new FileSink(join(o.out, ITEMS_FILE));
  }

  private jsonlFor(s: SplitName): JsonlSplitWriter {
    let w = this.jsonl.get(s);
    if (!w) this.jsonl.set(s, (w = new JsonlSplitWriter(this.o.out, s, this.o.shardRows)));
    return w;
  }

  private parquetFor(s: SplitName): ParquetSplitWriter {
    let w = this.parquet.get(s);
    if (!w) this.parquet.set(s, (w = new ParquetSplitWriter(this.o.out, s, this.o.shardRows, this.pqSettings!)));
    return w;
  }

  /** Writes a processed batch and adds its counts; batches must come in submission order. */
  write(r: BatchResult, tally: ExportTally): void {
    SPLITS.forEach((split, s) => {
      const lines = r.lines[s];
      if (lines) this.jsonlFor(split).write(lines);
      const objects = r.rows[s] ?? [];
      if (this.writeParquet) for (const row of objects) this.parquetFor(split).write(row);
      tally.perSplit[split] += lines ? lines.rows : objects.length;
    });
    if (r.items.byteLength) this.items!.write(r.items);
    tally.add(r);
  }

  /**
   * Closes every shard and `items.jsonl`. The card describes the Parquet shards when there are
   * any (its config points at one format), so its per-split figures come from that format.
   */
  finish(tally: ExportTally): { files: WrittenFile[]; cardSplits: CardSplit[]; configFormat: 'parquet' | 'jsonl' } {
    const files: WrittenFile[] = [];
    const cardSplits: CardSplit[] = [];
    const configFormat = this.writeParquet ? 'parquet' : 'jsonl';
    for (const s of SPLITS) {
      const j = this.jsonl.get(s)?.finish() ?? [];
      const p = this.parquet.get(s)?.finish() ?? [];
      files.push(...j, ...p);
      const shown = configFormat === 'parquet' ? p : j;
      cardSplits.push({ name: s, rows: tally.perSplit[s], bytes: bytesOf(shown), files: shown.length });
    }
    this.jsonl.clear();
    this.parquet.clear();
    const itemsFile = this.items!.close();
    this.items = null;
    files.push({ path: ITEMS_FILE, ...itemsFile, rows: tally.rows });
    return { files, cardSplits, configFormat };
  }

  abandon(): void {
    for (const w of this.jsonl.values()) w.abandon();
    for (const w of this.parquet.values()) w.abandon();
    this.items?.abandon();
  }
}
