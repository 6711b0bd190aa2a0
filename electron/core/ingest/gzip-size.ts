/**
 * How many uncompressed bytes a .gz file will yield, for progress only (never for offsets).
 *
 * A gzip member ends with ISIZE: its uncompressed length mod 2^32 (RFC 1952 §2.3.1). For a
 * single-member file under 4 GiB that is exact. Past 4 GiB it wraps; a value far below the
 * compressed size means it wrapped, so whole 2^32s are added until it is plausible again
 * (text compresses, it does not shrink to a tenth on expansion). For a multi-member file it is
 * the last member's length only: the ingest widens the total as it reads past the estimate.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const TWO_32 = 2 ** 32;

export function gzipSizeEstimate(file: string, compressedSize: number): number {
  if (compressedSize < 18) return compressedSize; // header + trailer: anything shorter is not gzip
  const head = Buffer.alloc(2);
  const tail = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 2, 0);
    readSync(fd, tail, 0, 4, compressedSize - 4);
  } finally {
    closeSync(fd);
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) return compressedSize;
  let size = tail.readUInt32LE(0);
  while (size < compressedSize * 0.9) size += TWO_32;
  return size;
}
