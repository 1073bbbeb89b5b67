/**
 * The guest module rewritten to import its memory: an instance over a fresh memory made by the
 * plan sees the same bytes and limits as one over the memory the module would have made itself.
 */
import { describe, expect, it } from 'vitest';
import { freshMemory, importMemory, MEMORY_IMPORT } from '../../wasm-host/memory-import.ts';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const TYPES = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00];
/** (import "env" "f" (func)) */
const IMPORTS = [0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00];
/** (memory 2 3) */
const MEMORY = [0x05, 0x04, 0x01, 0x01, 0x02, 0x03];
/** (export "memory" (memory 0)) */
const EXPORTS = [0x07, 0x0a, 0x01, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00];
/** (data (i32.const 5000) "abc") (data (i32.const 70000) "xyz") */
const DATA = [0x0b, 0x14, 0x02, 0x00, 0x41, 0x88, 0x27, 0x0b, 0x03, 0x61, 0x62, 0x63, 0x00, 0x41, 0xf0, 0xa2, 0x04, 0x0b, 0x03, 0x78, 0x79, 0x7a];

const module = (...sections: number[][]): Uint8Array<ArrayBuffer> => new Uint8Array([...HEADER, ...sections.flat()]);
const env = { env: { f: () => undefined } };

describe('importMemory', () => {
  it('rewrites a module to import a memory of its own limits, and plans the pages its data writes', () => {
    const original = module(TYPES, IMPORTS, MEMORY, EXPORTS, DATA);
    const rewritten = importMemory(original);
    expect(rewritten).not.toBeNull();
    expect(WebAssembly.validate(rewritten!.bytes)).toBe(true);
    expect(rewritten!.plan).toEqual({ initialPages: 2, maximumPages: 3, dataPages: new Uint32Array([4096, 69632]) });
    const compiled = new WebAssembly.Module(rewritten!.bytes);
    expect(WebAssembly.Module.imports(compiled)).toContainEqual({ module: MEMORY_IMPORT.module, name: MEMORY_IMPORT.name, kind: 'memory' });

    const memory = freshMemory(rewritten!.plan);
    const ours = new WebAssembly.Instance(compiled, { ...env, [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory } });
    const own = new WebAssembly.Instance(new WebAssembly.Module(original), env);
    const ownMemory = own.exports.memory as WebAssembly.Memory;
    expect(ours.exports.memory).toBe(memory);
    expect(Buffer.compare(new Uint8Array(memory.buffer), new Uint8Array(ownMemory.buffer))).toBe(0);
    expect(new TextDecoder().decode(new Uint8Array(memory.buffer, 70000, 3))).toBe('xyz');
    // The same maximum: growing past it fails on both.
    expect(memory.grow(1)).toBe(ownMemory.grow(1));
    expect(() => memory.grow(1)).toThrow(RangeError);
    expect(() => ownMemory.grow(1)).toThrow(RangeError);
  });

  it('leaves a module alone without a memory of its own, or with no imports to add to', () => {
    expect(importMemory(module(TYPES, IMPORTS, EXPORTS.slice(0, 0)))).toBeNull();
    expect(importMemory(module(MEMORY, EXPORTS, DATA))).toBeNull();
  });

  it('leaves a module alone that already imports a memory', () => {
    /** (import "env" "m" (memory 1)) */
    const importsMemory = [0x02, 0x0a, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x6d, 0x02, 0x00, 0x01];
    expect(importMemory(module(importsMemory, EXPORTS))).toBeNull();
  });
});
