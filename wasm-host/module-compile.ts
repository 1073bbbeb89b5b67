/**
 * Compiles the guest module, either as V8 does by default or fully optimized before it runs.
 *
 * By default V8 compiles a Wasm function lazily on its first call with its baseline compiler
 * (Liftoff) and recompiles hot functions with its optimizing compiler (TurboFan) on background
 * threads. Compute runs the module ahead-of-time compiled by an optimizing compiler (Cranelift), so
 * it has neither step. On this host the first request down a new code path runs cold baseline code
 * (measured on the 15 MB measuring guest: the first 1 MB stream copy 10–17 ms, later ones 2–3 ms),
 * and when the tier-up lands depends on how busy the background threads are. `optimized` compiles
 * every function with TurboFan inside `WebAssembly.compile`, before any instance exists: 13–40 s
 * for the 15 MB module on a busy 2-core machine, so compiled modules are kept per file for the
 * process. V8 has no per-module switch for this; its flags are process-wide, read when a
 * compilation starts, and restored right after.
 */
import { readFileSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { importMemory, type MemoryPlan } from './memory-import.ts';

const optimizedModules = new Map<string, Promise<WebAssembly.Module>>();
const memoryPlans = new WeakMap<WebAssembly.Module, MemoryPlan>();

/** How to make the memory a module compiled here imports (memory-import.ts), or null when it defines its own. */
export function memoryPlanOf(module: WebAssembly.Module): MemoryPlan | null {
  return memoryPlans.get(module) ?? null;
}

/** Compiles `bytes` rewritten to import their memory where they fit, remembering the plan. */
async function compile(bytes: Uint8Array<ArrayBuffer>): Promise<WebAssembly.Module> {
  const rewritten = importMemory(bytes);
  const module = await WebAssembly.compile(rewritten?.bytes ?? bytes);
  if (rewritten) memoryPlans.set(module, rewritten.plan);
  return module;
}

async function compileOptimized(bytes: Buffer<ArrayBuffer>): Promise<WebAssembly.Module> {
  setFlagsFromString('--no-liftoff');
  setFlagsFromString('--no-wasm-lazy-compilation');
  try {
    return await compile(bytes);
  } finally {
    setFlagsFromString('--liftoff');
    setFlagsFromString('--wasm-lazy-compilation');
  }
}

/** The compiled module of `path`; `optimized`: every function optimized before the first instance. */
export function compileGuestModule(path: string, optimized: boolean): Promise<WebAssembly.Module> {
  if (!optimized) return compile(readFileSync(path));
  const key = `${path}@${statSync(path).mtimeMs}`;
  let module = optimizedModules.get(key);
  if (!module) {
    module = compileOptimized(readFileSync(path));
    optimizedModules.set(key, module);
  }
  return module;
}
