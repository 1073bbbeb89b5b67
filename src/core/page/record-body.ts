/**
 * A copy of a streamed body kept by the edge (of a template for the stale tier, of an assembled
 * page for the page tier) up to a cap, while the client gets every byte as it is pulled.
 */
import { concatBytes } from '../http/concat-bytes.ts';
import type { OutputTap } from '../esi/esi-processor.ts';

/**
 * Keeps the chunks up to `cap` bytes. `copy` settles once: with the bytes when the body ended, or
 * null as soon as the copy is impossible (over the cap, or `fail`), so nothing waits on a body that
 * will never finish.
 */
export class BodyCopy implements OutputTap {
  readonly copy: Promise<Uint8Array<ArrayBuffer> | null>;
  private settle: (bytes: Uint8Array<ArrayBuffer> | null) => void = () => undefined;
  private chunks: Uint8Array[] = [];
  private size = 0;
  private overflowed = false;

  constructor(private readonly cap: number) {
    this.copy = new Promise((resolve) => (this.settle = resolve));
  }

  add(bytes: Uint8Array): void {
    this.size += bytes.byteLength;
    if (this.overflowed) return;
    // A copy: the chunk may be a view of bytes its consumer owns from now on.
    if (this.size <= this.cap) return void this.chunks.push(bytes.slice());
    this.overflowed = true;
    this.chunks = [];
    this.settle(null);
  }

  end(): void {
    this.settle(this.overflowed ? null : concatBytes(this.chunks, this.size));
  }

  fail(): void {
    this.settle(null);
  }
}

/**
 * Passes `source` through unchanged (pulled, so backpressure holds) and keeps a copy up to `cap`
 * bytes (see `BodyCopy`). A writer that can tell a `BodyCopy` itself (processEsi's `tap`) saves the
 * guest this second stream's promises per chunk.
 */
export function recordBody(source: ReadableStream<Uint8Array>, cap: number): { stream: ReadableStream<Uint8Array>; copy: Promise<Uint8Array<ArrayBuffer> | null> } {
  const reader = source.getReader();
  const tap = new BodyCopy(cap);
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          tap.end();
          return;
        }
        tap.add(value);
        controller.enqueue(value);
      } catch (error) {
        tap.fail();
        controller.error(error);
      }
    },
    cancel(reason) {
      tap.fail();
      return reader.cancel(reason);
    },
  });
  return { stream, copy: tap.copy };
}
