/**
 * Reading a core cache entry's body (src/fastly/core-entry-read.ts): an entry longer than one of
 * js-compute's reads (8 KiB) comes in several chunks, and its read settles one promise made up front
 * rather than a chain of promises each adopting the next (a promise job per read in the Wasm guest).
 */
import { describe, expect, it } from 'vitest';
import { readEntry, RUNTIME_READ_BYTES } from '../../src/fastly/core-entry-read.ts';
import type { CoreEntry } from '../../src/fastly/core-cache-port.ts';
import type { EdgeCacheEntry } from '../../src/core/ports.ts';

/** An entry whose body gives these chunks, one per read, and then `end` (closes, fails, or never ends). */
function entryOf(chunks: Uint8Array[], end: 'close' | 'fail' | 'hang' = 'close', length: number | null = total(chunks)): { entry: CoreEntry; closed: () => number } {
  let closed = 0;
  let next = 0;
  const body = (): ReadableStream<Uint8Array> =>
    new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          if (next < chunks.length) controller.enqueue(chunks[next++]!);
          else if (end === 'close') controller.close();
          else if (end === 'fail') controller.error(new Error('body read failed'));
        },
      },
      { highWaterMark: 0 },
    );
  const entry: CoreEntry = {
    state: () => ({ found: () => true, usable: () => true, stale: () => false, mustInsertOrUpdate: () => false }),
    userMetadata: () => new TextEncoder().encode('m').buffer,
    body,
    length: () => length,
    close: () => void closed++,
  };
  return { entry, closed: () => closed };
}

function total(chunks: Uint8Array[]): number {
  return chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
}

/** `count` chunks of `size` bytes, each filled with its own index. */
function chunksOf(count: number, size: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => new Uint8Array(size).fill(i + 1));
}

/** How many microtask turns `promise` takes to settle (with a bound, so a hang fails the test). */
async function turns(promise: Promise<unknown>): Promise<number> {
  let settled = false;
  void promise.then(() => (settled = true), () => (settled = true));
  let count = 0;
  while (!settled && count < 1000) {
    await Promise.resolve();
    count++;
  }
  return count;
}

describe('reading a core cache entry longer than one runtime read', () => {
  it('joins every chunk in order, closes the entry once, and does not wait for the end once its length is in', async () => {
    const chunks = chunksOf(5, RUNTIME_READ_BYTES);
    const { entry, closed } = entryOf(chunks, 'hang');
    const found = (await readEntry(entry, entry)) as EdgeCacheEntry;
    expect(found.body.byteLength).toBe(5 * RUNTIME_READ_BYTES);
    expect([found.body[0], found.body[RUNTIME_READ_BYTES], found.body[5 * RUNTIME_READ_BYTES - 1]]).toEqual([1, 2, 5]);
    expect({ meta: found.meta, stale: found.stale, closed: closed() }).toEqual({ meta: 'm', stale: false, closed: 1 });
  });

  it('hands the entry to its target in the last read\'s reaction, and settles with the target\'s answer', async () => {
    const { entry } = entryOf(chunksOf(3, RUNTIME_READ_BYTES));
    const read = readEntry(entry, entry, { read: (found) => `read ${found.body.byteLength}`, failed: () => 'failed' });
    expect(await read).toBe(`read ${3 * RUNTIME_READ_BYTES}`);
  });

  it('gives the failure to its target when a later read fails, and closes the entry', async () => {
    const { entry, closed } = entryOf(chunksOf(2, RUNTIME_READ_BYTES), 'fail', 3 * RUNTIME_READ_BYTES);
    expect(await readEntry(entry, entry, { read: () => 'read', failed: (error) => `failed: ${(error as Error).message}` })).toBe('failed: body read failed');
    expect(closed()).toBe(1);
  });

  it('rejects (never an unhandled rejection) when its target throws', async () => {
    const { entry } = entryOf(chunksOf(2, RUNTIME_READ_BYTES));
    const throwing = { read: (): never => { throw new Error('bug'); }, failed: (): never => { throw new Error('failed'); } };
    await expect(readEntry(entry, entry, throwing)).rejects.toThrow('bug');
    const { entry: failing } = entryOf(chunksOf(2, RUNTIME_READ_BYTES), 'fail', 3 * RUNTIME_READ_BYTES);
    await expect(readEntry(failing, failing, throwing)).rejects.toThrow('failed');
  });

  it('reads to the end when the entry turns out longer than its chunks said, or its length is unknown', async () => {
    const short = entryOf(chunksOf(3, 100), 'close', 2 * RUNTIME_READ_BYTES);
    expect(((await readEntry(short.entry, short.entry)) as EdgeCacheEntry).body.byteLength).toBe(300);
    const unknown = entryOf(chunksOf(3, RUNTIME_READ_BYTES), 'close', null);
    expect(((await readEntry(unknown.entry, unknown.entry)) as EdgeCacheEntry).body.byteLength).toBe(3 * RUNTIME_READ_BYTES);
  });

  it('settles one turn later per read more (the stream\'s own): no chain of adopted promises', async () => {
    const turnsFor = async (reads: number): Promise<number> => {
      const { entry } = entryOf(chunksOf(reads, RUNTIME_READ_BYTES));
      return turns(readEntry(entry, entry) as Promise<unknown>);
    };
    // Three reads more cost the stream's own turn each (one on Node); a chain of promises each
    // adopting the next added two more per read as it unwound (5 → 11 turns for 2 → 5 reads).
    expect((await turnsFor(5)) - (await turnsFor(2))).toBeLessThanOrEqual(3);
  });
});
