/**
 * The guest's linear memory made ready before its instance, as a pooling runtime keeps memory
 * slots mapped between instances (Wasmtime's pooling allocator on Compute). A module that defines
 * its one memory is rewritten to import it instead, so the host can hand each instance a fresh
 * `WebAssembly.Memory` of the same limits created between requests, with the pages its snapshot
 * data lands on already faulted in. V8 still copies the data segments into it inside the instance;
 * what leaves the instance's CPU is the mapping and the kernel's first-touch fault of each 4 KB
 * page (~1.1 µs a page here; `bin/main.wasm` writes ~1,775 of them, the empty guest 724). Pages
 * no data segment writes are left untouched, so the guest faults them in itself, as on Compute.
 * The instance sees the same memory: same limits, zero-filled, then the same segments applied.
 */

import { concatBytes as concat } from '../src/core/http/concat-bytes.ts';
import { encodeLeb, leb, sections, signedLeb } from './wasm-binary.ts';

/** Import module and name the rewritten module takes its memory from. */
export const MEMORY_IMPORT = { module: 'wasm_host', name: 'memory' } as const;

export interface MemoryPlan {
  initialPages: number;
  maximumPages: number | null;
  /** Start offsets of the 4 KB pages that active data segments write. */
  dataPages: Uint32Array;
}

const SECTION = { import: 2, memory: 5, data: 11 } as const;
const PAGE = 4096;

/** The module rewritten to import its memory, with the plan for fresh memories; null when it does not fit (one plain 32-bit memory of its own, no imported one). */
export function importMemory(bytes: Uint8Array): { bytes: Uint8Array<ArrayBuffer>; plan: MemoryPlan } | null {
  const all = sections(bytes);
  const memories = all.filter((section) => section.id === SECTION.memory);
  const imports = all.find((section) => section.id === SECTION.import);
  if (memories.length !== 1 || !imports || importsMemory(imports.payload)) return null;
  const [count, limitsAt] = leb(memories[0]!.payload, 0);
  const limits = memories[0]!.payload.subarray(limitsAt);
  const flags = limits[0];
  if (count !== 1 || (flags !== 0 && flags !== 1)) return null;
  const [initialPages, afterMin] = leb(limits, 1);
  const maximumPages = flags === 1 ? leb(limits, afterMin)[0] : null;
  const name = (text: string): number[] => [...encodeLeb(text.length), ...new TextEncoder().encode(text)];
  const [importCount, entriesAt] = leb(imports.payload, 0);
  const entry = [...name(MEMORY_IMPORT.module), ...name(MEMORY_IMPORT.name), 0x02, ...limits];
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const section of all) {
    if (section.id === SECTION.memory) continue;
    const payload = section === imports ? concat([new Uint8Array(encodeLeb(importCount + 1)), imports.payload.subarray(entriesAt), new Uint8Array(entry)]) : section.payload;
    parts.push(new Uint8Array([section.id, ...encodeLeb(payload.length)]), payload);
  }
  const data = all.find((section) => section.id === SECTION.data);
  return { bytes: concat(parts), plan: { initialPages, maximumPages, dataPages: data ? dataPageStarts(data.payload, initialPages * 65536) : new Uint32Array(0) } };
}

/** A new memory for `plan`, the pages its data lands on written once (the kernel maps each). */
export function freshMemory(plan: MemoryPlan): WebAssembly.Memory {
  const memory = new WebAssembly.Memory(plan.maximumPages === null ? { initial: plan.initialPages } : { initial: plan.initialPages, maximum: plan.maximumPages });
  const bytes = new Uint8Array(memory.buffer);
  for (const start of plan.dataPages) bytes[start] = 0;
  return memory;
}

function importsMemory(payload: Uint8Array): boolean {
  let [count, at] = leb(payload, 0);
  for (; count > 0; count--) {
    const [moduleLength, moduleAt] = leb(payload, at);
    const [nameLength, nameAt] = leb(payload, moduleAt + moduleLength);
    at = nameAt + nameLength;
    const kind = payload[at++];
    if (kind === 0x02) return true;
    at = skipImportType(payload, kind, at);
  }
  return false;
}

function skipImportType(payload: Uint8Array, kind: number | undefined, at: number): number {
  if (kind === 0x00) return leb(payload, at)[1];
  if (kind === 0x01) return skipLimits(payload, at + 1);
  if (kind === 0x03) return at + 2;
  if (kind === 0x04) return leb(payload, at + 1)[1];
  throw new RangeError(`import kind ${String(kind)}`);
}

function skipLimits(payload: Uint8Array, at: number): number {
  const flags = payload[at]!;
  const afterMin = leb(payload, at + 1)[1];
  return flags & 1 ? leb(payload, afterMin)[1] : afterMin;
}

/** Page starts written by active segments with a constant offset; the rest fault in the instance, as before. */
function dataPageStarts(payload: Uint8Array, memoryBytes: number): Uint32Array {
  const pages = new Set<number>();
  let [count, at] = leb(payload, 0);
  for (; count > 0; count--) {
    const [flags, afterFlags] = leb(payload, at);
    at = flags === 2 ? leb(payload, afterFlags)[1] : afterFlags;
    let offset: number | null = null;
    if (flags !== 1) {
      const expression = constantOffset(payload, at);
      if (!expression) break;
      [offset, at] = expression;
    }
    const [length, bytesAt] = leb(payload, at);
    at = bytesAt + length;
    if (offset === null || offset < 0 || length === 0 || offset + length > memoryBytes) continue;
    for (let page = Math.floor(offset / PAGE); page * PAGE < offset + length; page++) pages.add(page * PAGE);
  }
  return Uint32Array.from([...pages].sort((a, b) => a - b));
}

/** `i32.const N end` as [N, after]; `global.get G end` as [null, after]; null for any other expression. */
function constantOffset(payload: Uint8Array, at: number): [number | null, number] | null {
  const opcode = payload[at];
  if (opcode !== 0x41 && opcode !== 0x23) return null;
  const [value, end] = opcode === 0x41 ? signedLeb(payload, at + 1) : leb(payload, at + 1);
  if (payload[end] !== 0x0b) return null;
  return [opcode === 0x41 ? value : null, end + 1];
}
