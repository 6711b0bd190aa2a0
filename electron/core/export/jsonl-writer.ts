/** One split's JSONL shards, written as rows arrive: at most one shard open. */
import { join } from 'node:path';
import { FileSink, finalizeShards, partialShardName, type WrittenFile } from './files.ts';
import type { LineChunk } from './process.ts';

export class JsonlSplitWriter {
  private current: FileSink | null = null;
  private rowsInShard = 0;
  private readonly done: { sha256: string; bytes: number; rows: number }[] = [];
  rows = 0;

  constructor(
    private readonly dir: string,
    private readonly split: string,
    private readonly shardRows: number,
  ) {}

  /** Appends a chunk of encoded lines, starting a new shard every `shardRows` rows. */
  write(chunk: LineChunk): void {
    const { bytes } = chunk;
    let left = chunk.rows;
    let start = 0;
    while (left > 0) {
      if (!this.current) {
        this.current = new FileSink(join(this.dir, partialShardName(this.split, this.done.length, 'jsonl')));
        this.rowsInShard = 0;
      }
      const take = Math.min(this.shardRows - this.rowsInShard, left);
      // The whole rest of the chunk, or up to the newline that ends its take-th row.
      const end = take === left ? bytes.length : endOfRow(bytes, start, take);
      this.current.write(bytes.subarray(start, end));
      this.rowsInShard += take;
      this.rows += take;
      left -= take;
      start = end;
      if (this.rowsInShard >= this.shardRows) this.closeShard();
    }
  }

  private closeShard(): void {
    if (!this.current) return;
    this.done.push({ ...this.current.close(), rows: this.rowsInShard });
    this.current = null;
  }

  finish(): WrittenFile[] {
    this.closeShard();
    return finalizeShards(this.dir, this.split, 'jsonl', this.done);
  }

  abandon(): void {
    this.current?.abandon();
    this.current = null;
  }
}

/** The offset just past the `rows`-th newline at or after `from`. */
function endOfRow(bytes: Uint8Array, from: number, rows: number): number {
  let at = from;
  for (let n = 0; n < rows; n++) {
    const nl = bytes.indexOf(10, at);
    if (nl === -1) throw new Error('export: a JSONL chunk holds fewer lines than its row count');
    at = nl + 1;
  }
  return at;
}
