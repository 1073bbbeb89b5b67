/**
 * An in-memory stand-in for `CoreCache`, for the build-time warm-up (warm-up.ts) alone: the
 * platform's cache cannot be reached while the module is snapshotted, and with a cache that never
 * finds anything the warm-up would leave every cache-hit path (a cached profile, a stored page, the
 * page-cache pass marker, the edge-cache adapter's own reads) to be compiled in each request's
 * instance. It keeps what is inserted, without expiry or collapsing (the warm-up runs one page at a
 * time), and is dropped with the warm-up: nothing of it stays in the snapshot.
 */
import { spentLater } from './warm-up-spent.ts';
import type { CoreCachePort, CoreEntry, CoreInsertOptions, CoreTransaction, CoreWriter } from './core-cache-port.ts';

interface Stored {
  body: Uint8Array;
  meta: ArrayBuffer;
}

const encoder = new TextEncoder();

function entryOf(stored: Stored | null, onInsert: (stored: Stored) => void): CoreTransaction {
  const state = {
    found: () => stored !== null,
    usable: () => stored !== null,
    stale: () => false,
    mustInsertOrUpdate: () => stored === null,
  };
  const body = stored?.body ?? new Uint8Array(0);
  return {
    state: () => state,
    userMetadata: () => stored?.meta ?? new ArrayBuffer(0),
    body: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          if (body.byteLength > 0) controller.enqueue(body);
          controller.close();
        },
      }),
    length: () => body.byteLength,
    close: () => undefined,
    cancel: () => undefined,
    insert: (options) => writerOf(options, onInsert),
  };
}

function writerOf(options: CoreInsertOptions, onClose: (stored: Stored) => void): CoreWriter {
  const parts: Uint8Array[] = [];
  return {
    append: (body) => void parts.push(spentLater(body.slice())),
    close() {
      const body = spentLater(new Uint8Array(options.length));
      let at = 0;
      for (let i = 0; i < parts.length; i++) {
        body.set(parts[i]!, at);
        at += parts[i]!.byteLength;
      }
      onClose({ body, meta: spentLater(encoder.encode(options.userMetadata)).buffer });
    },
  };
}

export function warmUpCoreCache(): CoreCachePort {
  const store = new Map<string, Stored>();
  const keep = (key: string) => (stored: Stored) => void store.set(key, stored);
  return {
    lookup(key): CoreEntry | null {
      const stored = store.get(key);
      return stored ? entryOf(stored, keep(key)) : null;
    },
    transactionLookupAsync: (key) => ({ wait: () => Promise.resolve(entryOf(store.get(key) ?? null, keep(key))) }),
    insert: (key, options) => writerOf(options, keep(key)),
  };
}
