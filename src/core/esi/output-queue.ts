/**
 * The page's output in document order. Parts are pushed as the template is parsed; `drain` writes
 * bytes as soon as everything before them is written, waiting only on a pending part at the head,
 * so bytes before a slow include reach the client without waiting for it.
 */
import type { Part, Rendered } from './rendered-part.ts';
import { minTtl } from './rendered-part.ts';

export interface DrainSummary {
  ttlMs: number | null;
  surrogateKeys: Set<string>;
}

export class OutputQueue {
  private readonly parts: Part[] = [];
  private closed = false;
  private wake: (() => void) | null = null;

  push(part: Part): void {
    this.parts.push(part);
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  async drain(write: (bytes: Uint8Array) => void): Promise<DrainSummary> {
    const summary: DrainSummary = { ttlMs: Number.POSITIVE_INFINITY, surrogateKeys: new Set() };
    let index = 0;
    for (;;) {
      if (index < this.parts.length) {
        const part = this.parts[index]!;
        this.parts[index++] = EMPTY_BYTES;
        if (part instanceof Uint8Array) write(part);
        else writeRendered(part instanceof Promise ? await part : part, write, summary);
      } else if (this.closed) {
        return summary;
      } else {
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

const EMPTY_BYTES = new Uint8Array(0);

function writeRendered(rendered: Rendered, write: (bytes: Uint8Array) => void, summary: DrainSummary): void {
  for (const chunk of rendered.chunks) write(chunk);
  summary.ttlMs = minTtl(summary.ttlMs, rendered.ttlMs);
  for (const key of rendered.surrogateKeys) summary.surrogateKeys.add(key);
}
