/**
 * Core cache hits a worker answers itself (core-cache-store.ts, kept-core-hits.ts) must be the
 * answers the store would give: the same body, metadata and staleness, none once the object was
 * replaced, purged or expired, and the same LRU order, so the same object is evicted next.
 */
import { describe, expect, it } from 'vitest';
import { Status } from '../../wasm-host/abi.ts';
import { GuestMemory } from '../../wasm-host/guest-memory.ts';
import { HandleTable } from '../../wasm-host/guest-state.ts';
import { buildImports } from '../../wasm-host/import-table.ts';
import type { HostContext } from '../../wasm-host/imports/host-context.ts';
import type { WorkerChannel } from '../../wasm-host/sync-channel.ts';
import { testConfig } from './guest-config-fixture.ts';
import { CoreCacheStore } from '../../wasm-host/core-cache-store.ts';
import { HttpCacheHits } from '../../wasm-host/http-cache-hits.ts';
import { KeptCoreHits } from '../../wasm-host/kept-core-hits.ts';
import type { CacheLookupReply } from '../../wasm-host/rpc-messages.ts';

function setup(maxBytes = 1024 * 1024) {
  let now = 1_000_000;
  const clock = () => now;
  const shared = new HttpCacheHits();
  const store = new CoreCacheStore(shared, maxBytes, clock);
  // A second view of the same memory, as a worker thread has.
  const worker = new KeptCoreHits(new HttpCacheHits(shared.shared), clock);
  const put = (key: string, ttlMs = 60_000, swrMs = 0, bytes = 4, tag = 'tag') =>
    store.insert(key, new Uint8Array(bytes).fill(key.length), { ttlMs, swrMs, surrogateKeys: [tag], meta: `meta-${key}` });
  /** The store's answer, kept by the worker as the hostcall does. */
  const ask = async (key: string): Promise<CacheLookupReply> => {
    const reply = await store.answer(key);
    worker.keep(key, reply);
    return reply;
  };
  return { store, worker, put, ask, advance: (ms: number) => (now += ms) };
}

const seen = (reply: CacheLookupReply | null) => (reply?.found ? { body: [...reply.body], meta: reply.meta, stale: reply.stale } : reply);

describe('core cache hits answered in the worker', () => {
  it('answers what the store would: the same body, metadata and staleness, fresh and within stale-while-revalidate', async () => {
    const { store, worker, put, ask, advance } = setup();
    await put('k', 1_000, 5_000);
    await ask('k');
    const fresh = [seen(worker.answer('k')), seen(await store.answer('k'))];
    advance(1_000);
    const stale = [seen(worker.answer('k')), seen(await store.answer('k'))];
    expect(fresh).toEqual([{ body: [1, 1, 1, 1], meta: 'meta-k', stale: false }, { body: [1, 1, 1, 1], meta: 'meta-k', stale: false }]);
    expect(stale).toEqual([{ body: [1, 1, 1, 1], meta: 'meta-k', stale: true }, { body: [1, 1, 1, 1], meta: 'meta-k', stale: true }]);
  });

  it('answers nothing itself once the object expired, was replaced or purged, and the store agrees or has the new one', async () => {
    const { store, worker, put, ask, advance } = setup();
    await put('a', 1_000, 1_000);
    await put('b');
    await put('c', 60_000, 0, 4, 'other');
    await Promise.all(['a', 'b', 'c'].map(ask));
    advance(2_000);
    await store.insert('b', new Uint8Array([9]), { ttlMs: 60_000, swrMs: 0, surrogateKeys: [], meta: 'new' });
    await store.purgeSurrogateKey('other');
    expect([worker.answer('a'), worker.answer('b'), worker.answer('c')]).toEqual([null, null, null]);
    expect([seen(await ask('a')), seen(await ask('b')), seen(await ask('c'))]).toEqual([{ found: false }, { body: [9], meta: 'new', stale: false }, { found: false }]);
    expect(seen(worker.answer('b'))).toEqual({ body: [9], meta: 'new', stale: false });
  });

  it('moves a key it answered to the most recently used end, so eviction spares it as the store would', async () => {
    const entry = 4 + 'meta-x'.length * 2 + 'x'.length * 2 + 64;
    const { worker, put, ask, store } = setup(3 * entry);
    await put('x');
    await put('y');
    await put('z');
    await ask('x');
    expect(seen(worker.answer('x'))).toEqual({ body: [1, 1, 1, 1], meta: 'meta-x', stale: false });
    await put('w');
    expect([(await store.lookup('x')) !== null, await store.lookup('y')]).toEqual([true, null]);
  });

  it('asks the store again after this worker posts an insert or purge of its own', async () => {
    const { worker, put, ask } = setup();
    await put('k');
    await ask('k');
    worker.forgetAll();
    expect(worker.answer('k')).toBeNull();
  });

  it('keeps nothing from a miss, and forgets a key the store no longer has', async () => {
    const { worker, put, ask, store } = setup();
    await put('k');
    await ask('k');
    await store.purgeSurrogateKey('tag');
    worker.keep('k', await store.answer('k'));
    expect([await ask('none'), worker.answer('none'), worker.answer('k')]).toEqual([{ found: false }, null, null]);
  });

  it('sends the lookup after its own instance inserted the key to the main thread, which has the insert by then', async () => {
    const { worker, put, ask } = setup();
    await put('k');
    await ask('k');
    const posts: string[] = [];
    let calls = 0;
    const channel = {
      post: (message: { op: string }) => posts.push(message.op),
      call: () => ((calls += 1), { found: true, body: new Uint8Array([7]), meta: 'new', stale: false }),
      blockedMs: 0,
    } as unknown as WorkerChannel;
    const memory = new GuestMemory();
    memory.attach(new WebAssembly.Memory({ initial: 1 }));
    const job = { method: 'GET', url: 'http://x/', headers: [], bodyId: null, clientIp: '127.0.0.1', serverIp: '127.0.0.1', requestId: 'r' };
    const ctx: HostContext = { memory, table: new HandleTable(), channel, job, config: testConfig(), clock: { source: 'wall-minus-blocked', elapsedMs: () => 0 }, coreHits: worker, downstreamRequest: null, responded: false };
    const fn = (module: string, name: string): WebAssembly.ModuleImportDescriptor => ({ module, name, kind: 'function' });
    const imports = buildImports([fn('fastly_cache', 'lookup'), fn('fastly_cache', 'insert'), fn('fastly_cache', 'get_length'), fn('fastly_http_body', 'close')], ctx, () => undefined);
    const call = (module: string, name: string) => imports[module]![name] as (...args: number[]) => number;
    memory.write(100, new TextEncoder().encode('k'));
    const length = (): number => {
      expect(call('fastly_cache', 'lookup')(100, 1, 0, 0, 200)).toBe(Status.ok);
      expect(call('fastly_cache', 'get_length')(memory.readU32(200), 208)).toBe(Status.ok);
      return Number(memory.view().getBigUint64(208, true));
    };
    const before = [length(), calls];
    expect(call('fastly_cache', 'insert')(100, 1, 0, 300, 204)).toBe(Status.ok);
    expect(call('fastly_http_body', 'close')(memory.readU32(204))).toBe(Status.ok);
    expect([before, [length(), calls], posts]).toEqual([[4, 0], [1, 1], ['cache-insert']]);
  });
});
