/**
 * Reads a beacon request's body as text under the 4 KiB cap (docs/contracts.md#budgets), counting the bytes that
 * actually arrive: Content-Length is never trusted, and a slow drip is cut off by a deadline.
 * `navigator.sendBeacon` sends a string as `text/plain;charset=UTF-8` and a JSON Blob as
 * `application/json`, so both are accepted; any other media type, or a charset other than UTF-8,
 * is refused.
 */
import { readCappedBody } from '../backend/read-capped-body.ts';
import { startDeadline } from '../backend/deadline.ts';
import { checkContentType } from './beacon-media-type.ts';

export const MAX_BEACON_BYTES = 4096;
/** A beacon is tiny; a client still sending after this long is stalling on purpose. */
export const BEACON_READ_TIMEOUT_MS = 2000;

export type BeaconText = { ok: true; text: string } | { ok: false; error: string; status: 400 | 415 };

export async function readBeaconRequest(request: Request): Promise<BeaconText> {
  const mediaError = checkContentType(request.headers.get('content-type'));
  // A compressed body is refused rather than decoded: beacons are tiny, and decoding would let a
  // few bytes of gzip expand past the 4 KiB cap before it is checked (RFC 9110 §15.5.16: 415).
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (mediaError !== null || encoding !== 'identity') {
    await request.body?.cancel().catch(() => undefined);
    return mediaError !== null ? { ok: false, error: mediaError, status: 400 } : { ok: false, error: 'content-encoding is not supported: send the body uncompressed', status: 415 };
  }
  const deadline = startDeadline(BEACON_READ_TIMEOUT_MS);
  try {
    const body = await readCappedBody(request.body, MAX_BEACON_BYTES, deadline);
    if (!body.ok) {
      const error = body.reason === 'too-large' ? `body over ${MAX_BEACON_BYTES} bytes` : body.reason === 'timeout' ? 'body read timed out' : 'body could not be read';
      return { ok: false, error, status: 400 };
    }
    if (body.bytes.byteLength === 0) return { ok: false, error: 'empty body', status: 400 };
    // Compute's TextDecoder takes no options (no `fatal`), so invalid bytes are found by the
    // replacement character they decode to; a body that really holds U+FFFD is refused too.
    const text = new TextDecoder('utf-8').decode(body.bytes);
    return text.includes('\uFFFD') ? { ok: false, error: 'body is not valid UTF-8', status: 400 } : { ok: true, text };
  } finally {
    deadline.clear();
  }
}
