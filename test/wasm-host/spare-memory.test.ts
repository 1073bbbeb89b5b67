/**
 * The memory the host makes before each instance's request (spare-memory.ts): each instance gets
 * one of its own, fresh, with the snapshot's bytes exactly (never a memory a previous instance
 * wrote), and the host reports the worker CPU it took per instance, outside the instance's vCPU.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { threadCpuMs } from '../../wasm-host/guest-clock.ts';
import { importMemory, MEMORY_IMPORT } from '../../wasm-host/memory-import.ts';
import { SpareMemory } from '../../wasm-host/spare-memory.ts';
import { startWasmHost } from '../../wasm-host/wasm-server.ts';

const name = (text: string): number[] => [text.length, ...Buffer.from(text)];
const section = (id: number, payload: number[]): number[] => [id, payload.length, ...payload];
const i32 = (value: number): number[] => [0x41, ...signedLeb(value)];
function signedLeb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(byte & 0x40)) || (value === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const SNAPSHOT_AT = 70_000;
/** A page no data segment lands on: the guest faults it in itself. */
const UNTOUCHED_AT = 90_000;
const store32 = (at: number, value: number): number[] => [...i32(at), ...i32(value), 0x36, 0x02, 0x00];
const dirty = (at: number): number[] => [...i32(at), 0x42, 0x7f, 0x37, 0x03, 0x00];

/**
 * A guest whose `_start` writes to stdout the 16 bytes at its snapshot's "snapshot" (then zeros)
 * and 8 bytes of an untouched page, then overwrites all three with 0xff: an instance given a
 * memory an earlier one used would print 0xff.
 */
function scribblingGuest(): Uint8Array<ArrayBuffer> {
  const body = [
    0x00,
    ...store32(0, SNAPSHOT_AT), ...store32(4, 16), ...store32(8, UNTOUCHED_AT), ...store32(12, 8),
    ...i32(1), ...i32(0), ...i32(2), ...i32(16), 0x10, 0x00, 0x1a,
    ...dirty(SNAPSHOT_AT), ...dirty(SNAPSHOT_AT + 8), ...dirty(UNTOUCHED_AT),
    0x0b,
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x02, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00]),
    ...section(2, [0x01, ...name('wasi_snapshot_preview1'), ...name('fd_write'), 0x00, 0x00]),
    ...section(3, [0x01, 0x01]),
    ...section(5, [0x01, 0x00, 0x02]),
    ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('_start'), 0x00, 0x01]),
    ...section(10, [0x01, body.length, ...body]),
    ...section(11, [0x01, 0x00, ...i32(SNAPSHOT_AT), 0x0b, ...name('snapshot')]),
  ]);
}

describe('SpareMemory', () => {
  const plan = importMemory(scribblingGuest())!.plan;

  it('hands each memory to one taker only, made ahead or on demand, with the CPU it took', () => {
    let t = 0;
    const spare = new SpareMemory(plan, () => (t += 0.25));
    spare.prepare();
    const first = spare.take()!;
    const second = spare.take()!;
    expect(first.memory).not.toBe(second.memory);
    expect([first.prepMs, second.prepMs]).toEqual([0.25, 0.25]);
    spare.prepare();
    spare.prepare();
    expect(spare.take()!.memory).not.toBe(spare.take()!.memory);
  });

  it('makes none for a module that makes its own memory', () => {
    const spare = new SpareMemory(null, () => 0);
    spare.prepare();
    expect(spare.take()).toBeNull();
  });
});

describe('the host’s memory per instance', () => {
  it('gives every instance a fresh memory with the snapshot’s bytes, and reports its making apart from the vCPU', async () => {
    expect(WebAssembly.validate(scribblingGuest())).toBe(true);
    expect(WebAssembly.Module.imports(new WebAssembly.Module(importMemory(scribblingGuest())!.bytes))).toContainEqual({ ...MEMORY_IMPORT, kind: 'memory' });
    const wasmPath = join(mkdtempSync(join(tmpdir(), 'spare-memory-')), 'guest.wasm');
    writeFileSync(wasmPath, scribblingGuest());
    const seen: Buffer[] = [];
    const host = await startWasmHost({ manifestPath: 'fastly.toml', wasmPath, host: '127.0.0.1', port: 0, workers: 1, stdout: () => undefined, guestOutput: (fd, bytes) => fd === 1 && seen.push(Buffer.from(bytes)) });
    try {
      for (let i = 0; i < 3; i++) {
        const response = await fetch(host.url);
        await response.arrayBuffer();
        await host.settled();
      }
    } finally {
      await host.close();
    }
    const expected = Buffer.concat([Buffer.from('snapshot'), Buffer.alloc(16)]);
    expect(seen).toEqual([expected, expected, expected]);
    expect(host.memoryMs).toHaveLength(3);
    if (threadCpuMs() !== null) for (const ms of host.memoryMs) expect(ms).toBeGreaterThan(0);
  });
});
