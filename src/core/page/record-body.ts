/**
 * A tee for a streamed body: the client gets every byte as it is pulled, and the edge keeps a copy
 * (of a template for the stale tier, of an assembled page for the page tier) up to a cap.
 */
import { concatBytes } from '../http/concat-bytes.ts';

/**
 * Passes `source` through unchanged (pulled, so backpressure holds) and keeps a copy up to `cap`
 * bytes. `copy` settles once: with the bytes when the source ended, or null as soon as the copy is
 * impossible (over the cap, a read error, or the consumer cancelling), so nothing waits on a
 * stream that will never finish.
 */
export function recordBody(source: ReadableStream<Uint8Array>, cap: number): { stream: ReadableStream<Uint8Array>; copy: Promise<Uint8Array<ArrayBuffer> | null> } {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let overflowed = false;
  let settle: (bytes: Uint8Array<ArrayBuffer> | null) => void = () => undefined;
  const copy = new Promise<Uint8Array<ArrayBuffer> | null>((resolve) => (settle = resolve));
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          settle(overflowed ? null : concatBytes(chunks, size));
          return;
        }
        size += value.byteLength;
        if (size <= cap) chunks.push(value.slice());
        else if (!overflowed) {
          overflowed = true;
          chunks.length = 0;
          settle(null);
        }
        controller.enqueue(value);
      } catch (error) {
        settle(null);
        controller.error(error);
      }
    },
    cancel(reason) {
      settle(null);
      return reader.cancel(reason);
    },
  });
  return { stream, copy };
}
