/**
 * Output files: a synchronous file sink that hashes what it writes, and shard naming
 * (`data/<split>-00000-of-00003.<ext>`; a shard is written under a temporary name and renamed
 * once the split's shard count is known).
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { WrittenFile } from '../../shared/models/export.ts';
export type { WrittenFile };

export class FileSink {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  constructor(readonly absPath: string) {
    this.fd = openSync(absPath, 'wx');
  }

  write(data: Uint8Array): void {
    let off = 0;
    while (off < data.length) off += writeSync(this.fd, data, off, data.length - off);
    this.hash.update(data);
    this.bytes += data.length;
  }

  close(): { sha256: string; bytes: number } {
    closeSync(this.fd);
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }

  /** Closes without caring about the result (cleanup after an error). */
  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

const pad5 = (n: number) => String(n).padStart(5, '0');

export function shardName(split: string, index: number, count: number, ext: string): string {
  return `data/${split}-${pad5(index)}-of-${pad5(count)}.${ext}`;
}

export function partialShardName(split: string, index: number, ext: string): string {
  return `data/${split}-${pad5(index)}.${ext}.partial`;
}

/** Renames a split's finished shards to their final `-of-N` names. */
export function finalizeShards(
  dir: string,
  split: string,
  ext: string,
  shards: { sha256: string; bytes: number; rows: number }[],
): WrittenFile[] {
  return shards.map((s, i) => {
    const path = shardName(split, i, shards.length, ext);
    renameSync(join(dir, partialShardName(split, i, ext)), join(dir, path));
    return { path, sha256: s.sha256, bytes: s.bytes, rows: s.rows };
  });
}
