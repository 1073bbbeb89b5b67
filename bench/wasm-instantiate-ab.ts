/**
 * `node --expose-gc --import tsx bench/wasm-instantiate-ab.ts BEFORE.wasm AFTER.wasm [PAIRS]`:
 * instantiation alone, paired, as the Wasm host does it. Each module is rewritten to import its
 * memory (wasm-host/memory-import.ts) and each sample, in turn for the two builds (the order flips
 * every pair, with a GC before each when exposed), times two parts on this thread's CPU clock: the
 * memory made as a worker makes the next instance's while it waits (`freshMemory`: the mapping and
 * the first touch of each 4 KB page the snapshot lands on), and `new WebAssembly.Instance` over it
 * with stub imports, which is what the instance's vCPU counts (V8 copying the data segments in).
 * Nothing runs, so both are what the host pays per fresh instance apart from the request's work;
 * it prints each build's pages touched, then the median of the per-pair differences of each part
 * and of their sum. `AB_OWN_MEMORY=1` measures the unrewritten module making its own memory inside
 * the instance instead (the host before it made memories ahead: the sum, all in the instance).
 */
import { readFileSync } from 'node:fs';
import { threadCpuMs } from '../wasm-host/guest-clock.ts';
import { freshMemory, importMemory, MEMORY_IMPORT } from '../wasm-host/memory-import.ts';
import { readAbArgs } from './ab-args.ts';
import { spread } from './bench-stats.ts';

const { before, after, count: pairs } = readAbArgs('wasm-instantiate-ab.ts', 'PAIRS', 200);
const ownMemory = process.env.AB_OWN_MEMORY === '1';
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const now = (): number => threadCpuMs() ?? performance.now();

interface Sample {
  /** Making the memory before the request (0 with the module's own memory). */
  memory: number;
  /** `new WebAssembly.Instance`: what the instance's vCPU counts. */
  instance: number;
}

/** A sampler for one build, and the 4 KB pages its snapshot's data segments land on. */
function load(path: string): { pages: number; sample: () => Sample } {
  const bytes = readFileSync(path);
  const rewritten = ownMemory ? null : importMemory(bytes);
  const module = new WebAssembly.Module(rewritten?.bytes ?? bytes);
  const stubs: Record<string, Record<string, () => number>> = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) if (kind === 'function') (stubs[from] ??= {})[name] = () => 0;
  const pages = (rewritten ?? importMemory(bytes))?.plan.dataPages.length ?? 0;
  const sample = (): Sample => {
    gc();
    const start = now();
    const memory = rewritten ? freshMemory(rewritten.plan) : null;
    const made = now();
    new WebAssembly.Instance(module, memory ? { ...stubs, [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory } } : stubs);
    return { memory: memory ? made - start : 0, instance: now() - made };
  };
  return { pages, sample };
}

function pairedSamples(a: () => Sample, b: () => Sample): Array<{ a: Sample; b: Sample }> {
  for (let i = 0; i < 10; i++) {
    a();
    b();
  }
  const out: Array<{ a: Sample; b: Sample }> = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      const x = a();
      out.push({ a: x, b: b() });
    } else {
      const y = b();
      out.push({ a: a(), b: y });
    }
  }
  return out;
}

function line(label: string, xs: ReadonlyArray<{ a: number; b: number }>): string {
  const d = spread(xs.map(({ a, b }) => b - a));
  const median = (ys: number[]): string => spread(ys).median.toFixed(3);
  return `${label.padEnd(48)} before ${median(xs.map((p) => p.a))} ms  after ${median(xs.map((p) => p.b))} ms  after − before: median ${d.median.toFixed(3)} ms (min ${d.min.toFixed(2)}, max ${d.max.toFixed(2)})`;
}

const [first, second] = [load(before), load(after)];
const measured = pairedSamples(first.sample, second.sample);
const part = (of: (s: Sample) => number): Array<{ a: number; b: number }> => measured.map((p) => ({ a: of(p.a), b: of(p.b) }));
console.log(`${pairs} pairs, ${threadCpuMs() === null ? 'wall time' : 'thread CPU'}; 4 KB pages the snapshot's data lands on: before ${first.pages}, after ${second.pages}`);
if (ownMemory) {
  console.log(line('instance making its own memory (AB_OWN_MEMORY)', part((s) => s.instance)));
} else {
  console.log(line('instantiation (in the instance\'s vCPU)', part((s) => s.instance)));
  console.log(line('memory made before the request (host, apart)', part((s) => s.memory)));
  console.log(line('both', part((s) => s.memory + s.instance)));
}
