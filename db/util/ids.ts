import { randomFillSync } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): 48-bit millisecond time, then random bits, with a monotonic counter
 * in rand_a so ids made within one millisecond still sort in creation order. Random bytes
 * come from a pooled buffer: one getrandom call per 1,024 ids instead of one per id.
 */
const POOL_IDS = 1024;
const BYTES_PER_ID = 10;
const pool = Buffer.alloc(POOL_IDS * BYTES_PER_ID);
let poolPos = pool.length;
let lastMs = -1;
let counter = 0;
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function newId(): string {
  if (poolPos >= pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    counter = pool.readUInt16BE(poolPos) & 0x07ff; // leave headroom for the counter
  } else {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      lastMs++;
      ms = lastMs;
      counter = 0;
    }
  }
  const b = new Uint8Array(16);
  b[0] = Math.floor(ms / 2 ** 40) & 0xff;
  b[1] = Math.floor(ms / 2 ** 32) & 0xff;
  b[2] = (ms >>> 24) & 0xff;
  b[3] = (ms >>> 16) & 0xff;
  b[4] = (ms >>> 8) & 0xff;
  b[5] = ms & 0xff;
  b[6] = 0x70 | ((counter >>> 8) & 0x0f);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (pool[poolPos + 2]! & 0x3f);
  for (let i = 9; i < 16; i++) b[i] = pool[poolPos + i - 6]!;
  poolPos += BYTES_PER_ID;
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += HEX[b[i]!]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}

export function nowIso(): string {
  return new Date().toISOString();
}
