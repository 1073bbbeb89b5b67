/**
 * The import object: implemented hostcalls are wired by module and name; anything else answers the
 * ABI's `unsupported` status (WASI: ENOSYS) and reports its qualified name.
 */
import { describe, expect, it } from 'vitest';
import { Errno, Status } from '../../wasm-host/abi.ts';
import { GuestMemory } from '../../wasm-host/guest-memory.ts';
import { HandleTable } from '../../wasm-host/guest-state.ts';
import { buildImports } from '../../wasm-host/import-table.ts';
import type { HostContext } from '../../wasm-host/imports/host-context.ts';
import type { WorkerChannel } from '../../wasm-host/sync-channel.ts';
import { testConfig } from './guest-config-fixture.ts';

const config = testConfig({ configStores: new Map([['personalization_config', new Map([['settings', '{"debugHeaders":true}']])]]) });

function context(): HostContext {
  const memory = new GuestMemory();
  memory.attach(new WebAssembly.Memory({ initial: 1 }));
  const channel = { post: () => undefined, call: () => ({}), blockedMs: 0 } as unknown as WorkerChannel;
  const job = { method: 'GET', url: 'http://x/', headers: [], bodyId: null, clientIp: '127.0.0.1', serverIp: '127.0.0.1', requestId: 'r' };
  return { memory, table: new HandleTable(), channel, job, config, clock: { source: 'wall-minus-blocked', elapsedMs: () => 0 }, downstreamRequest: null, responded: false };
}

const fn = (module: string, name: string): WebAssembly.ModuleImportDescriptor => ({ module, name, kind: 'function' });
type Call = (...args: number[]) => number;
const call = (imports: WebAssembly.Imports, module: string, name: string): Call => imports[module]![name] as Call;

describe('buildImports', () => {
  it.each([
    { module: 'fastly_erl', name: 'penaltybox_has', status: Status.unsupported },
    { module: 'fastly_kv_store', name: 'open', status: Status.unsupported },
    { module: 'wasi_snapshot_preview1', name: 'sock_accept', status: Errno.nosys },
  ])('answers $status and reports $module.$name when it is not implemented', ({ module, name, status }) => {
    const reported: string[] = [];
    const imports = buildImports([fn(module, name)], context(), (qualified) => reported.push(qualified));
    expect(call(imports, module, name)()).toBe(status);
    expect(reported).toEqual([`${module}.${name}`]);
  });

  it('wires implemented hostcalls without reporting them', () => {
    const reported: string[] = [];
    const ctx = context();
    const imports = buildImports([fn('fastly_config_store', 'open'), fn('fastly_config_store', 'get')], ctx, (q) => reported.push(q));
    const name = new TextEncoder().encode('personalization_config');
    ctx.memory.write(100, name);
    expect(call(imports, 'fastly_config_store', 'open')(100, name.byteLength, 200)).toBe(Status.ok);
    const handle = ctx.memory.readU32(200);
    ctx.memory.write(300, new TextEncoder().encode('settings'));
    expect(call(imports, 'fastly_config_store', 'get')(handle, 300, 8, 400, 4, 500)).toBe(Status.buflen);
    expect(ctx.memory.readU32(500)).toBe('{"debugHeaders":true}'.length);
    expect(call(imports, 'fastly_config_store', 'get')(handle, 300, 8, 400, 64, 500)).toBe(Status.ok);
    expect(ctx.memory.string(400, ctx.memory.readU32(500))).toBe('{"debugHeaders":true}');
    expect(reported).toEqual([]);
  });

  it('answers a config value changed between two gets with the new value, and a removed one with none', () => {
    const store = new Map([['greeting', 'hello']]);
    const ctx = { ...context(), config: testConfig({ configStores: new Map([['c', store]]) }) };
    const imports = buildImports([fn('fastly_config_store', 'open'), fn('fastly_config_store', 'get')], ctx, () => undefined);
    ctx.memory.write(100, new TextEncoder().encode('c'));
    call(imports, 'fastly_config_store', 'open')(100, 1, 200);
    ctx.memory.write(300, new TextEncoder().encode('greeting'));
    const get = (): string | number => {
      const status = call(imports, 'fastly_config_store', 'get')(ctx.memory.readU32(200), 300, 8, 400, 64, 500);
      return status === Status.ok ? ctx.memory.string(400, ctx.memory.readU32(500)) : status;
    };
    const first = get();
    store.set('greeting', 'grüß dich');
    const second = get();
    store.delete('greeting');
    expect([first, second, get()]).toEqual(['hello', 'grüß dich', Status.none]);
  });

  it('gives each secret handle the stored value, unchanged by what the guest wrote after an earlier read', () => {
    const ctx = { ...context(), config: testConfig({ secretStores: new Map([['s', new Map([['key', 'secret-1']])]]) }) };
    const imports = buildImports([fn('fastly_secret_store', 'open'), fn('fastly_secret_store', 'get'), fn('fastly_secret_store', 'plaintext')], ctx, () => undefined);
    ctx.memory.write(100, new TextEncoder().encode('s'));
    call(imports, 'fastly_secret_store', 'open')(100, 1, 200);
    ctx.memory.write(300, new TextEncoder().encode('key'));
    const read = (): string => {
      expect(call(imports, 'fastly_secret_store', 'get')(ctx.memory.readU32(200), 300, 3, 204)).toBe(Status.ok);
      expect(call(imports, 'fastly_secret_store', 'plaintext')(ctx.memory.readU32(204), 400, 64, 500)).toBe(Status.ok);
      const text = ctx.memory.string(400, ctx.memory.readU32(500));
      ctx.memory.write(400, new TextEncoder().encode('XXXXXXXX'));
      return text;
    };
    expect([read(), read()]).toEqual(['secret-1', 'secret-1']);
  });

  it('answers none for a config key that is absent', () => {
    const ctx = context();
    const imports = buildImports([fn('fastly_config_store', 'open'), fn('fastly_config_store', 'get')], ctx, () => undefined);
    ctx.memory.write(100, new TextEncoder().encode('personalization_config'));
    call(imports, 'fastly_config_store', 'open')(100, 22, 200);
    ctx.memory.write(300, new TextEncoder().encode('missing'));
    expect(call(imports, 'fastly_config_store', 'get')(ctx.memory.readU32(200), 300, 7, 400, 64, 500)).toBe(Status.none);
  });

  it('limits an entry over its rate with fastly_erl.check_rate, writing blocked as one byte', () => {
    const ctx = context();
    const imports = buildImports([fn('fastly_erl', 'check_rate')], ctx, () => undefined);
    const text = (at: number, value: string): number => {
      const bytes = new TextEncoder().encode(value);
      ctx.memory.write(at, bytes);
      return bytes.byteLength;
    };
    const rc = text(100, 'rc-test');
    const entry = text(200, 'client-a');
    const pb = text(300, 'pb-test');
    ctx.memory.write(400, new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd]));
    const blocked: number[] = [];
    for (let i = 0; i < 12; i++) {
      expect(call(imports, 'fastly_erl', 'check_rate')(100, rc, 200, entry, 1, 10, 1, 300, pb, 1, 400)).toBe(Status.ok);
      blocked.push(ctx.memory.bytes(400, 1)[0] ?? -1);
    }
    // 1 per second over 10 s: the 11th call in the same second is over the limit.
    expect(blocked).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    // Only the bool's byte is written (js-compute-runtime reads `bool *blocked_out`).
    expect([...ctx.memory.bytes(401, 3)]).toEqual([0xbb, 0xcc, 0xdd]);
  });
});
