/**
 * Splits a byte stream into JSONL lines with their line number and byte offset, in bounded
 * memory: a line longer than `maxLineBytes` is not buffered, only its first bytes are kept
 * for the quarantine.
 */
import type { Readable } from 'node:stream';

export const RAW_KEEP_BYTES = 64 * 1024;

export interface Line {
  /** 1-based line number within the file. */
  lineNo: number;
  /** Byte offset of the line's first byte (in the decompressed stream for .gz). */
  offset: number;
  /** Byte offset just past the line's terminating newline. */
  end: number;
  /** The line without its terminator (or its first RAW_KEEP_BYTES if oversized). */
  bytes: Buffer;
  /** Total length of the line in bytes, which exceeds `bytes.length` when oversized. */
  length: number;
  oversized: boolean;
  /** True for a last line that has no terminating newline. */
  unterminated: boolean;
}

export interface LineReaderOptions {
  startOffset?: number;
  startLine?: number;
  maxLineBytes: number;
}

const NL = 0x0a;
const CR = 0x0d;

function trimLine(buf: Buffer, isFirstOfFile: boolean): Buffer {
  let start = 0;
  let end = buf.length;
  if (isFirstOfFile && end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
  if (end > start && buf[end - 1] === CR) end--;
  return start === 0 && end === buf.length ? buf : buf.subarray(start, end);
}

/** Yields the lines found in each chunk, so callers pay one await per chunk, not per line. */
export async function* readLines(stream: Readable, options: LineReaderOptions): AsyncGenerator<Line[]> {
  let offset = options.startOffset ?? 0;
  let lineNo = (options.startLine ?? 0) + 1;
  const firstOffset = offset;
  let carry: Buffer[] = [];
  let carryLen = 0;
  let oversized = false;
  let lineStart = offset;

  const emit = (out: Line[], piece: Buffer, end: number, unterminated: boolean) => {
    const whole = carryLen === 0 ? piece : Buffer.concat([...carry, piece]);
    const length = end - lineStart - (unterminated ? 0 : 1);
    const bytes = trimLine(oversized ? whole.subarray(0, RAW_KEEP_BYTES) : whole, lineStart === 0 && firstOffset === 0);
    out.push({ lineNo, offset: lineStart, end, bytes, length, oversized, unterminated });
    lineNo++;
    carry = [];
    carryLen = 0;
    oversized = false;
    lineStart = end;
  };

  for await (const c of stream as AsyncIterable<Buffer | string>) {
    const chunk = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
    const out: Line[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(NL, pos);
      if (nl === -1) {
        const rest = chunk.subarray(pos);
        if (oversized) {
          carryLen += rest.length;
          if (carry.length === 0 || carry[0]!.length < RAW_KEEP_BYTES) carry.push(Buffer.from(rest.subarray(0, RAW_KEEP_BYTES)));
        } else {
          carry.push(Buffer.from(rest));
          carryLen += rest.length;
          if (carryLen > options.maxLineBytes) {
            // Keep only what the quarantine stores; count the rest.
            const kept = Buffer.concat(carry).subarray(0, RAW_KEEP_BYTES);
            carry = [Buffer.from(kept)];
            oversized = true;
          }
        }
        offset += rest.length;
        break;
      }
      const piece = chunk.subarray(pos, nl);
      offset += nl - pos + 1;
      if (!oversized && carryLen + piece.length > options.maxLineBytes) oversized = true;
      emit(out, piece, offset, false);
      pos = nl + 1;
    }
    if (out.length > 0) yield out;
  }
  if (carryLen > 0) {
    const out: Line[] = [];
    emit(out, Buffer.alloc(0), offset, true);
    yield out;
  }
}
