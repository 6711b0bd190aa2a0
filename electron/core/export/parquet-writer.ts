/**
 * One split's Parquet shards via hyparquet-writer's incremental `ParquetWriter`: rows are
 * buffered for one row group at most, encoded, and streamed to disk (the encoder's byte buffer
 * is flushed to the file whenever it passes 4 MB and after every row group).
 */
import { join } from 'node:path';
import type { SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { FileSink, finalizeShards, partialShardName, type WrittenFile } from './files.ts';
import type { Column, Row } from './formats.ts';

const FLUSH_AT = 4 << 20;

/** hyparquet-writer's ByteWriter, draining into a FileSink instead of growing without bound. */
class SinkByteWriter extends ByteWriter {
  constructor(private readonly sink: FileSink) {
    super(1 << 20);
  }

  private drain(): void {
    if (this.index > 0) {
      this.sink.write(new Uint8Array(this.buffer, 0, this.index));
      this.index = 0;
    }
  }

  override ensure(size: number): void {
    if (this.index > FLUSH_AT) this.drain();
    super.ensure(size);
  }

  flush(): void {
    this.drain();
  }

  override finish(): void {
    this.drain();
  }
}

export interface ParquetSettings {
  schema: SchemaElement[];
  columns: Column[];
  rowGroupRows: number;
  createdBy: string;
}

export class ParquetSplitWriter {
  private sink: FileSink | null = null;
  private writer: ParquetWriter | null = null;
  private buffer: Row[] = [];
  private rowsInShard = 0;
  private readonly done: { sha256: string; bytes: number; rows: number }[] = [];
  rows = 0;

  constructor(
    private readonly dir: string,
    private readonly split: string,
    private readonly shardRows: number,
    private readonly settings: ParquetSettings,
  ) {}

  write(row: Row): void {
    this.buffer.push(row);
    this.rows++;
    this.rowsInShard++;
    if (this.buffer.length >= this.settings.rowGroupRows) this.writeGroup();
    if (this.rowsInShard >= this.shardRows) this.closeShard();
  }

  private writeGroup(): void {
    if (this.buffer.length === 0) return;
    if (!this.writer) {
      this.sink = new FileSink(join(this.dir, partialShardName(this.split, this.done.length, 'parquet')));
      this.writer = new ParquetWriter({
        writer: new SinkByteWriter(this.sink),
        schema: this.settings.schema,
        codec: 'SNAPPY',
        statistics: false,
        createdBy: this.settings.createdBy,
      });
    }
    const rows = this.buffer;
    this.buffer = [];
    const columnData = this.settings.columns.map((c) => {
      const data = new Array<unknown>(rows.length);
      for (let i = 0; i < rows.length; i++) data[i] = rows[i]![c.name];
      return { name: c.name, data };
    });
    const r = this.writer.write({ columnData, rowGroupSize: rows.length });
    if (r) throw new Error('parquet writer unexpectedly went asynchronous');
  }

  private closeShard(): void {
    this.writeGroup();
    if (!this.writer || !this.sink) return;
    const r = this.writer.finish();
    if (r) throw new Error('parquet writer unexpectedly went asynchronous');
    this.done.push({ ...this.sink.close(), rows: this.rowsInShard });
    this.writer = null;
    this.sink = null;
    this.rowsInShard = 0;
  }

  finish(): WrittenFile[] {
    this.closeShard();
    return finalizeShards(this.dir, this.split, 'parquet', this.done);
  }

  abandon(): void {
    this.sink?.abandon();
    this.sink = null;
    this.writer = null;
    this.buffer = [];
  }
}
