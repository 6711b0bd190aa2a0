/**
 * A cheap fingerprint of the part of a file already read: the hash of its first and last
 * 64 KiB. An append keeps both; a rewrite in place almost always changes one.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

const WINDOW = 64 * 1024;

function hashRange(fd: number, start: number, end: number): string {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(Math.min(WINDOW, Math.max(0, end - start)));
  let pos = start;
  while (pos < end) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
    if (n <= 0) break;
    h.update(buf.subarray(0, n));
    pos += n;
  }
  return h.digest('hex');
}

export interface Fingerprint {
  prefixSha256: string;
  tailSha256: string;
}

/** Fingerprint of bytes [0, upTo) of the file. */
export function fingerprint(path: string, upTo: number): Fingerprint {
  const fd = openSync(path, 'r');
  try {
    return {
      prefixSha256: hashRange(fd, 0, Math.min(upTo, WINDOW)),
      tailSha256: hashRange(fd, Math.max(0, upTo - WINDOW), upTo),
    };
  } finally {
    closeSync(fd);
  }
}
