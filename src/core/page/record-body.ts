/**
 * The copy of a body the edge keeps (of a template for the stale tier, of an assembled page for
 * the page tier) up to a cap. The ESI engine tells it the bytes as they pass (processEsi's `tap`
 * and `templateTap`) rather than a second stream teeing the body: inside the Wasm guest that stream
 * cost a pull, a read and their promises per chunk.
 */
import { concatBytes } from '../http/concat-bytes.ts';
import type { ByteTap } from '../esi/esi-processor.ts';

/**
 * Keeps the chunks up to `cap` bytes. `copy` settles once: with the bytes when the body ended, or
 * null as soon as the copy is impossible (over the cap, or `fail`: a read error, the consumer
 * cancelling), so nothing waits on a body that will never finish.
 */
export class BodyCopy implements ByteTap {
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
    // A copy: the chunk may be a view of bytes its consumer owns from now on. Made by the typed
    // array's constructor, native: `slice` runs the engine's self-hosted code, interpreted in the
    // Wasm guest (~15 µs for the demo home page's last 7 KB chunk).
    if (this.size <= this.cap) return void this.chunks.push(new Uint8Array(bytes));
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
