/** Request bodies with a size limit that answers 413 instead of resetting the connection. */
import type { IncomingMessage } from 'node:http';

export const MAX_BODY = 2 * 1024 * 1024;
/** Past this much, an oversized body is not drained for a polite 413: the connection is cut. */
const MAX_DRAIN = 16 * 1024 * 1024;

export type BodyResult = { ok: true; text: string } | { ok: false; reason: 'too_large' | 'invalid_utf8' | 'aborted'; drained: boolean };

/**
 * Reads the whole body as UTF-8. An oversized body is read to its end and discarded (up to
 * MAX_DRAIN) so the client receives the 413 instead of a reset from unread data.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_DRAIN) return resolve({ ok: false, reason: 'too_large', drained: false });
    let size = 0;
    let over = declared > limit;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      if (over) {
        chunks.length = 0;
        if (size > MAX_DRAIN) {
          req.removeAllListeners('data');
          req.pause();
          resolve({ ok: false, reason: 'too_large', drained: false });
        }
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (over) return resolve({ ok: false, reason: 'too_large', drained: true });
      const buf = Buffer.concat(chunks);
      try {
        resolve({ ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buf) });
      } catch {
        resolve({ ok: false, reason: 'invalid_utf8', drained: true });
      }
    });
    req.on('error', () => resolve({ ok: false, reason: 'aborted', drained: false }));
    req.on('aborted', () => resolve({ ok: false, reason: 'aborted', drained: false }));
  });
}
