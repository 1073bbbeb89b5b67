/**
 * A core cache lookup of a key never stored is answered in the worker, without the round trip to
 * the main thread; any key that may be stored (or is about to be, by this instance's own earlier
 * insert or transaction) still asks the main thread, so the answer is the same either way.
 */
import { describe, expect, it } from 'vitest';
import { MemoryEdgeCache } from '../../src/local-platform/memory-edge-cache.ts';
import { Status } from '../../wasm-host/abi.ts';
import { GuestMemory } from '../../wasm-host/guest-memory.ts';
import { HandleTable } from '../../wasm-host/guest-state.ts';
import { cacheImports } from '../../wasm-host/imports/cache-imports.ts';
import type { HostContext } from '../../wasm-host/imports/host-context.ts';
import { KeyPresence, markingInserts } from '../../wasm-host/key-presence.ts';
import type { GuestCall, GuestPost } from '../../wasm-host/rpc-messages.ts';

type Call = (...args: number[]) => number;

/** The cache hostcalls over a fake channel that records what reached the main thread. */
function sandbox(presence: KeyPresence): { calls: Record<string, Call>; bytes: Uint8Array; sent: Array<GuestCall | GuestPost>; ctx: HostContext } {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const guest = new GuestMemory();
  guest.attach(memory);
  const sent: Array<GuestCall | GuestPost> = [];
  const channel = {
    post: (message: GuestPost) => sent.push(message),
    call: (message: GuestCall) => (sent.push(message), { found: true, body: new Uint8Array([7]), meta: 'm', stale: false }),
  };
  const ctx = { memory: guest, table: new HandleTable(), channel, cacheKeys: presence } as unknown as HostContext;
  return { calls: cacheImports(ctx) as unknown as Record<string, Call>, bytes: new Uint8Array(memory.buffer), sent, ctx };
}

/** Writes `key` at 0 and calls `name(0, length, 0, 0, 512)`; returns the handle written at 512. */
function withKey(calls: Record<string, Call>, bytes: Uint8Array, name: string, key: string): number {
  const encoded = new TextEncoder().encode(key);
  bytes.set(encoded, 0);
  expect(calls[name]!(0, encoded.length, 0, 0, 512)).toBe(Status.ok);
  return new DataView(bytes.buffer).getUint32(512, true);
}

describe('KeyPresence', () => {
  it('never forgets a marked key and holds few others', () => {
    const presence = new KeyPresence();
    const keys = Array.from({ length: 5000 }, (_, i) => `page:["page/v3","http://x/${i}"]`);
    for (const key of keys) presence.mark(key);
    expect(keys.every((key) => presence.mayHold(key))).toBe(true);
    const others = Array.from({ length: 5000 }, (_, i) => `breaker:v1:${i}`).filter((key) => presence.mayHold(key));
    expect(others.length).toBeLessThan(10);
  });

  it('is shared through its buffer, as the main thread and the workers share it', () => {
    const main = new KeyPresence();
    const worker = new KeyPresence(main.shared);
    main.mark('profile:v1:abc');
    expect(worker.mayHold('profile:v1:abc')).toBe(true);
    expect(worker.mayHold('profile:v1:abd')).toBe(false);
  });

  it('marks every key the store is asked to insert or fill', async () => {
    const presence = new KeyPresence();
    const cache = markingInserts(new MemoryEdgeCache(), presence);
    await cache.insert('a', new Uint8Array(1), { ttlMs: 1000 });
    await cache.lookupOrFill('b', 10);
    expect([presence.mayHold('a'), presence.mayHold('b'), presence.mayHold('c')]).toEqual([true, true, false]);
    expect((await cache.lookup('a'))?.body).toEqual(new Uint8Array(1));
  });
});

describe('fastly_cache.lookup with key presence', () => {
  it('answers a never-stored key as a miss without asking the main thread', () => {
    const { calls, bytes, sent } = sandbox(new KeyPresence());
    const handle = withKey(calls, bytes, 'lookup', 'breaker:v1:templates');
    expect(sent).toEqual([]);
    expect(calls.get_state!(handle, 600)).toBe(Status.ok);
    expect(bytes[600]).toBe(0);
    expect(calls.get_length!(handle, 600)).toBe(Status.none);
  });

  it('asks the main thread for a key that may be stored', () => {
    const presence = new KeyPresence();
    presence.mark('profile:v1:abc');
    const { calls, bytes, sent } = sandbox(presence);
    withKey(calls, bytes, 'lookup', 'profile:v1:abc');
    expect(sent).toEqual([{ op: 'cache-lookup', key: 'profile:v1:abc' }]);
  });

  it('asks the main thread after this instance inserted the key or started a transaction on it', () => {
    const { calls, bytes, sent } = sandbox(new KeyPresence());
    withKey(calls, bytes, 'insert', 'vary:v1:tpl');
    withKey(calls, bytes, 'transaction_lookup_async', 'page:x');
    sent.length = 0;
    withKey(calls, bytes, 'lookup', 'vary:v1:tpl');
    withKey(calls, bytes, 'lookup', 'page:x');
    expect(sent.map((message) => message.op)).toEqual(['cache-lookup', 'cache-lookup']);
  });
});
