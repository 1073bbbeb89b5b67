/**
 * Reads the ESI template into the tokenizer, chunk by chunk, up to `MAX_TEMPLATE_BYTES`, writing
 * what is ready after each chunk. Past the cap the rest is not read; a read error ends the page
 * the same way; both are told as problems.
 */
import { MAX_TEMPLATE_BYTES } from './esi-limits.ts';
import type { EsiTokenizer } from './esi-tokenizer.ts';
import type { OutputQueue } from './output-queue.ts';

export interface Reading {
  tokenizer: EsiTokenizer;
  output: OutputQueue;
  problem: (message: string) => void;
  cancelled: () => boolean;
}

/**
 * Feeds the template to the tokenizer up to the byte cap, writing what is ready after each chunk,
 * then calls `ended`; never throws. A `then` per read rather than an async loop: inside the Wasm
 * guest every promise an `await` adds costs about 10 µs.
 */
export function readTemplate(reader: ReadableStreamDefaultReader<Uint8Array>, reading: Reading, ended: () => void): void {
  const { tokenizer, output, problem, cancelled } = reading;
  let total = 0;
  let over = false;
  const end = (): void => {
    if (over) return;
    over = true;
    tokenizer.end();
    ended();
  };
  const failed = (): void => {
    problem('template read failed: the page ends there');
    end();
  };
  const step = (result: Awaited<ReturnType<typeof reader.read>>): void => {
    try {
      if (result.done || cancelled()) return end();
      const chunk = result.value;
      const room = MAX_TEMPLATE_BYTES - total;
      total += chunk.length;
      if (chunk.length > room) {
        tokenizer.write(new Uint8Array(chunk.buffer, chunk.byteOffset, room));
        problem(`template over ${MAX_TEMPLATE_BYTES} bytes: the page ends there`);
        void reader.cancel().catch(() => undefined);
        return end();
      }
      tokenizer.write(chunk);
      output.flush();
    } catch {
      return failed();
    }
    reader.read().then(step, failed);
  };
  reader.read().then(step, failed);
}
