/**
 * One origin body read once and fanned out to every collapsed waiter: each subscriber gets its own
 * stream that replays the chunks so far and then follows live, while the bytes are also collected
 * for the cache unless they exceed the per-object cap.
 */
import { concatBytes } from '../core/http/concat-bytes.ts';

export class SharedBody {
  private readonly chunks: Uint8Array[] = [];
  private readonly wakers = new Set<() => void>();
  private subscribers = 0;
  private bytes = 0;
  private finished = false;
  private failure: { error: unknown } | null = null;
  /** Set once the body has grown past the cap: it will not be stored, and no one new may join. */
  oversized = false;

  constructor(
    private readonly maxObjectBytes: number,
    private readonly onOversized: () => void,
  ) {}

  /** Reads `source` to the end; resolves with the whole body, or null when it errored or was too large to keep. */
  async pump(source: ReadableStream<Uint8Array> | null): Promise<Uint8Array | null> {
    const reader = source?.getReader();
    try {
      for (;;) {
        if (!reader) break;
        if (this.oversized && this.subscribers === 0) {
          await reader.cancel();
          break;
        }
        const { done, value } = await reader.read();
        if (done) break;
        this.append(value);
      }
      this.finished = true;
    } catch (error) {
      this.failure = { error };
    }
    this.wake();
    return this.failure || this.oversized ? null : concatBytes(this.chunks, this.bytes);
  }

  /** A stream of the whole body for one waiter, from the first byte. */
  subscribe(): ReadableStream<Uint8Array> {
    let index = 0;
    let open = true;
    this.subscribers += 1;
    const leave = (): void => {
      if (open) this.subscribers -= 1;
      open = false;
    };
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        for (;;) {
          const chunk = this.chunks[index];
          if (chunk) {
            index += 1;
            controller.enqueue(chunk);
            return;
          }
          if (this.failure) {
            leave();
            controller.error(this.failure.error);
            return;
          }
          if (this.finished) {
            leave();
            controller.close();
            return;
          }
          await new Promise<void>((resolve) => this.wakers.add(resolve));
        }
      },
      cancel: leave,
    });
  }

  private append(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.bytes += chunk.byteLength;
    if (!this.oversized && this.bytes > this.maxObjectBytes) {
      this.oversized = true;
      this.onOversized();
    }
    this.wake();
  }

  private wake(): void {
    const wakers = [...this.wakers];
    this.wakers.clear();
    for (const wake of wakers) wake();
  }
}
