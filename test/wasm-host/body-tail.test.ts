/**
 * The client's request body in the sandbox: a buffer whose remote tail stays on the main thread.
 * Copies of it (the runtime appends it to new bodies before a send) carry the tail along unread;
 * reading, writing after it, or sending it gets every byte in order.
 */
import { describe, expect, it } from 'vitest';
import { Status } from '../../wasm-host/abi.ts';
import { GuestMemory } from '../../wasm-host/guest-memory.ts';
import { HandleTable, type BufferBody } from '../../wasm-host/guest-state.ts';
import { bodyImports } from '../../wasm-host/imports/body-imports.ts';
import type { HostContext } from '../../wasm-host/imports/host-context.ts';
import type { GuestConfig } from '../../wasm-host/guest-config.ts';
import type { WorkerChannel } from '../../wasm-host/sync-channel.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);
type Call = (...args: number[]) => number;

/** A sandbox whose main thread holds remote body 0 with `pieces`, answering reads in order. */
function sandbox(pieces: string[]): { ctx: HostContext; calls: Record<string, Call>; reads: () => number; posts: Array<{ op: string }> } {
  const memory = new GuestMemory();
  memory.attach(new WebAssembly.Memory({ initial: 2 }));
  const queue = pieces.map(bytes);
  const posts: Array<{ op: string }> = [];
  let reads = 0;
  const channel = {
    post: (message: { op: string }) => posts.push(message),
    call: () => {
      reads++;
      const next = queue.shift();
      return { bytes: next ?? new Uint8Array(0), done: queue.length === 0, error: null };
    },
  } as unknown as WorkerChannel;
  const ctx: HostContext = {
    memory, table: new HandleTable(), channel, config: {} as GuestConfig, clock: { source: 'wall-minus-blocked', elapsedMs: () => 0 }, downstreamRequest: null, responded: false,
    job: { method: 'POST', url: 'http://x/', headers: [], bodyId: 0, clientIp: '', serverIp: '', requestId: 'r' },
  };
  return { ctx, calls: bodyImports(ctx) as Record<string, Call>, reads: () => reads, posts };
}

function clientBody(ctx: HostContext): number {
  return ctx.table.add({ kind: 'buffer', chunks: [], onClose: null, tail: { kind: 'remote', id: 0, done: false } });
}

function readAll(ctx: HostContext, calls: Record<string, Call>, handle: number): string {
  let out = '';
  for (;;) {
    expect(calls.read!(handle, 1000, 4096, 8)).toBe(Status.ok);
    const n = ctx.memory.readU32(8);
    if (n === 0) return out;
    out += text(ctx.memory.bytes(1000, n));
  }
}

describe('the client body as a buffer with a remote tail', () => {
  it('moves the tail through appends without reading it', () => {
    const { ctx, calls, reads } = sandbox(['hello ', 'world']);
    const client = clientBody(ctx);
    expect(calls.new!(16)).toBe(Status.ok);
    const copy = ctx.memory.readU32(16);
    expect(calls.append!(copy, client)).toBe(Status.ok);
    expect(reads()).toBe(0);
    expect((ctx.table.get(copy) as BufferBody).tail?.id).toBe(0);
    expect(calls.known_length!(copy, 24)).toBe(Status.none);
    expect(readAll(ctx, calls, copy)).toBe('hello world');
  });

  it('keeps byte order when the guest writes after an appended tail', () => {
    const { ctx, calls } = sandbox(['from the client']);
    expect(calls.new!(16)).toBe(Status.ok);
    const body = ctx.memory.readU32(16);
    ctx.memory.write(200, bytes('head:'));
    expect(calls.write!(body, 200, 5, 0, 24)).toBe(Status.ok);
    expect(calls.append!(body, clientBody(ctx))).toBe(Status.ok);
    ctx.memory.write(300, bytes(':tail'));
    expect(calls.write!(body, 300, 5, 0, 24)).toBe(Status.ok);
    expect(readAll(ctx, calls, body)).toBe('head:from the client:tail');
  });

  it('reads the whole tail before a cache insert body is stored', () => {
    const { ctx, calls } = sandbox(['cached ', 'bytes']);
    let stored = '';
    const body = ctx.table.add({ kind: 'buffer', chunks: [], onClose: (all) => (stored = text(all)) });
    expect(calls.append!(body, clientBody(ctx))).toBe(Status.ok);
    expect(calls.close!(body)).toBe(Status.ok);
    expect(stored).toBe('cached bytes');
  });

  it('tells the main thread to drop an unread tail when its body is abandoned', () => {
    const { ctx, calls, posts } = sandbox(['never read']);
    expect(calls.abandon!(clientBody(ctx))).toBe(Status.ok);
    expect(posts).toEqual([{ op: 'discard', id: 0 }]);
  });
});
