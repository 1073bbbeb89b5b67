/**
 * Compiling the guest module: as V8 does by default, or every function optimized before the first
 * instance (benchmarks), kept per file for the process because that compile takes seconds.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileGuestModule, memoryPlanOf } from '../../wasm-host/module-compile.ts';

/** `(module (func (export "answer") (result i32) i32.const 42))`. */
const ANSWER = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00,
  0x07, 0x0a, 0x01, 0x06, 0x61, 0x6e, 0x73, 0x77, 0x65, 0x72, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,
]);

function moduleFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'module-compile-')), 'answer.wasm');
  writeFileSync(path, ANSWER);
  return path;
}

const answer = (module: WebAssembly.Module): unknown => (new WebAssembly.Instance(module).exports.answer as () => number)();

describe('compileGuestModule', () => {
  it.each([
    ['default', false],
    ['optimized', true],
  ])('compiles a module that runs (%s)', async (_name, optimized) => {
    expect(answer(await compileGuestModule(moduleFile(), optimized))).toBe(42);
  });

  it('compiles an optimized file once per process', async () => {
    const path = moduleFile();
    expect(await compileGuestModule(path, true)).toBe(await compileGuestModule(path, true));
  });

  it('compiles afresh each time by default', async () => {
    const path = moduleFile();
    expect(await compileGuestModule(path, false)).not.toBe(await compileGuestModule(path, false));
  });

  it('keeps no optimized module once the file is rewritten', async () => {
    const path = moduleFile();
    const first = await compileGuestModule(path, true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(path, ANSWER);
    expect(await compileGuestModule(path, true)).not.toBe(first);
  });

  it('plans the memory of a module that defines one, and none for a module without', async () => {
    expect(memoryPlanOf(await compileGuestModule(moduleFile(), false))).toBeNull();
    /** (import "env" "f" (func)) (memory 1) (data (i32.const 8) "a") */
    const withMemory = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01,
      0x66, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x0b, 0x07, 0x01, 0x00, 0x41, 0x08, 0x0b, 0x01, 0x61,
    ]);
    const path = join(mkdtempSync(join(tmpdir(), 'module-compile-')), 'memory.wasm');
    writeFileSync(path, withMemory);
    for (const optimized of [false, true]) {
      const module = await compileGuestModule(path, optimized);
      expect(memoryPlanOf(module)).toEqual({ initialPages: 1, maximumPages: null, dataPages: new Uint32Array([0]) });
      expect(WebAssembly.Module.imports(module).map((entry) => entry.kind)).toEqual(['function', 'memory']);
    }
  });
});
