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
    const { bytes, ends } = chunk;
    let row = 0;
    let start = 0;
    while (row < ends.length) {
      if (!this.current) {
        this.current = new FileSink(join(this.dir, partialShardName(this.split, this.done.length, 'jsonl')));
        this.rowsInShard = 0;
      }
      const take = Math.min(this.shardRows - this.rowsInShard, ends.length - row);
      const end = ends[row + take - 1]!;
      this.current.write(bytes.subarray(start, end));
      this.rowsInShard += take;
      this.rows += take;
      row += take;
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
