/**
 * A worker builds its import object once and resets it for each instance (instance-kit.ts): the
 * next instance must see what a freshly built one would, with handles from 1, its own request and
 * memory, and nothing left of the instance before (no handle, no downstream request, no response).
 */
import { describe, expect, it } from 'vitest';
import { Status } from '../../wasm-host/abi.ts';
import { kitFor, releaseKit, startInstance, type WorkerParts } from '../../wasm-host/instance-kit.ts';
import type { GuestJob } from '../../wasm-host/rpc-messages.ts';
import type { WorkerChannel } from '../../wasm-host/sync-channel.ts';
import { testConfig } from './guest-config-fixture.ts';
import { MEMORY_IMPORT } from '../../wasm-host/memory-import.ts';

const posts: Array<{ op: string }> = [];
const channel = { post: (message: { op: string }) => posts.push(message), call: () => ({}), blockedMs: 0 } as unknown as WorkerChannel;
const fn = (module: string, name: string): WebAssembly.ModuleImportDescriptor => ({ module, name, kind: 'function' });
const parts: WorkerParts = {
  descriptors: [fn('fastly_http_req', 'body_downstream_get'), fn('fastly_http_req', 'uri_get'), fn('fastly_http_resp', 'new'), fn('fastly_http_body', 'new'), fn('fastly_http_resp', 'send_downstream')],
  config: testConfig(),
  channel,
  cacheKeys: null,
  report: () => undefined,
};
const job = (url: string): GuestJob => ({ method: 'GET', url, headers: [], bodyId: null, clientIp: '127.0.0.1', serverIp: '127.0.0.1', requestId: url });
const clock = { source: 'wall-minus-blocked' as const, elapsedMs: () => 7 };
type Call = (...args: number[]) => number;

/** Runs one "instance": the downstream request's handle and URI, then a response sent downstream. */
function instance(kit: ReturnType<typeof kitFor>): { request: number; uri: string; response: number; sent: number } {
  const call = (module: string, name: string): Call => kit.imports[module]![name] as Call;
  const memory = new WebAssembly.Memory({ initial: 1 });
  kit.ctx.memory.attach(memory);
  expect(call('fastly_http_req', 'body_downstream_get')(0, 4)).toBe(Status.ok);
  const request = kit.ctx.memory.readU32(0);
  expect(call('fastly_http_req', 'uri_get')(request, 100, 200, 8)).toBe(Status.ok);
  const uri = kit.ctx.memory.string(100, kit.ctx.memory.readU32(8));
  call('fastly_http_resp', 'new')(12);
  call('fastly_http_body', 'new')(16);
  const response = kit.ctx.memory.readU32(12);
  const sent = call('fastly_http_resp', 'send_downstream')(response, kit.ctx.memory.readU32(16), 0);
  return { request, uri, response, sent };
}

describe('the instance kit', () => {
  it('shows the next instance its own request, handles from 1 and no response sent yet', () => {
    const first = kitFor(null, parts, job('http://x/one'));
    expect(instance(first)).toEqual({ request: 1, uri: 'http://x/one', response: 3, sent: Status.ok });
    releaseKit(first);
    const second = kitFor(first, parts, job('http://x/two'));
    expect(second.imports).toBe(first.imports);
    expect(second.ctx.downstreamRequest).toBeNull();
    expect(instance(second)).toEqual({ request: 1, uri: 'http://x/two', response: 3, sent: Status.ok });
    expect(posts.filter((p) => p.op === 'respond')).toHaveLength(2);
  });

  it('keeps nothing of the finished instance: its handles and memory are gone', () => {
    const kit = kitFor(null, parts, job('http://x/'));
    instance(kit);
    releaseKit(kit);
    expect(kit.ctx.table.get(1)).toBeUndefined();
    expect(() => kit.ctx.memory.readU32(0)).toThrow(/not attached/);
  });

  it('attaches a memory the host made before the instance and gives it as the import, for that instance only', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    new Uint8Array(memory.buffer).set([1, 0, 0, 0], 40);
    const kit = kitFor(null, parts, job('http://x/'), memory);
    expect(kit.ctx.memory.readU32(40)).toBe(1);
    expect(kit.instanceImports[MEMORY_IMPORT.module]).toEqual({ [MEMORY_IMPORT.name]: memory });
    expect(kit.instanceImports.fastly_http_req).toBe(kit.imports.fastly_http_req);
    expect(kit.imports[MEMORY_IMPORT.module]).toBeUndefined();
    releaseKit(kit);
    expect(kit.instanceImports).toBe(kit.imports);
    expect(kitFor(kit, parts, job('http://x/')).instanceImports[MEMORY_IMPORT.module]).toBeUndefined();
  });

  it('counts no clock until the instance starts, and the next kit forgets the last instance\'s clock', () => {
    const kit = kitFor(null, parts, job('http://x/'));
    expect(kit.ctx.clock.elapsedMs()).toBe(0);
    startInstance(kit, clock);
    expect(kit.ctx.clock.elapsedMs()).toBe(7);
    releaseKit(kit);
    expect(kitFor(kit, parts, job('http://x/')).ctx.clock.elapsedMs()).toBe(0);
  });
});
