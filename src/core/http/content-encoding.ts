/**
 * Origins are asked for `Accept-Encoding: identity`; a body that arrives compressed anyway is
 * decoded here (gzip or deflate, with the platform's DecompressionStream) so ESI sees plain bytes.
 * Size caps apply to the decoded output downstream, which bounds decompression bombs.
 */
import type { HeaderReader } from './header-reader.ts';

export type DecodeResult = { ok: true; body: ReadableStream<Uint8Array> } | { ok: false; encoding: string };

/** `headers` are the response's, or a reader over them that has read some already (header-reader.ts). */
export function decodeBody(response: Response, headers: HeaderReader = response.headers): DecodeResult {
  const body = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  const encoding = (headers.get('content-encoding') ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return { ok: true, body };
  if (encoding === 'gzip' || encoding === 'x-gzip') return { ok: true, body: decompress(body, 'gzip') };
  if (encoding === 'deflate') return { ok: true, body: decompress(body, 'deflate') };
  return { ok: false, encoding: encoding.slice(0, 32) };
}

/** Piped by hand: the DOM typings declare the writable side as BufferSource, which Uint8Array is. */
function decompress(body: ReadableStream<Uint8Array>, format: 'gzip' | 'deflate'): ReadableStream<Uint8Array> {
  const stream = new DecompressionStream(format);
  const writer = stream.writable.getWriter();
  const reader = body.getReader();
  const pump = async (): Promise<void> => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return writer.close();
      await writer.write(value as Uint8Array<ArrayBuffer>);
    }
  };
  // A broken input surfaces as an error on the readable side; the pump itself must not reject unobserved.
  pump().catch((error: unknown) => writer.abort(error).catch(() => undefined));
  return stream.readable;
}
