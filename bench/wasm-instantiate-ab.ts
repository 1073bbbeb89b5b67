/**
 * `node --expose-gc --import tsx bench/wasm-instantiate-ab.ts BEFORE.wasm AFTER.wasm [PAIRS]`:
 * instantiation alone, paired. `new WebAssembly.Instance` of each build in turn (the order flips
 * every pair, with a GC before each when exposed), with stub imports: nothing runs, so the figure
 * is what the Node host pays to set up a fresh instance (mostly copying the snapshot's data
 * segments: ~1.6 µs per 4 KB page they touch, see bench/wasm-snapshot.ts), apart from the
 * request's own work. Prints the median of the per-pair differences.
 */
import { readFileSync } from 'node:fs';
import { readAbArgs } from './ab-args.ts';
import { spread } from './bench-stats.ts';

const { before, after, count: pairs } = readAbArgs('wasm-instantiate-ab.ts', 'PAIRS', 200);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function load(path: string): () => number {
  const module = new WebAssembly.Module(readFileSync(path));
  const imports: Record<string, Record<string, () => number>> = {};
  for (const { module: from, name } of WebAssembly.Module.imports(module)) (imports[from] ??= {})[name] = () => 0;
  return () => {
    gc();
    const start = performance.now();
    new WebAssembly.Instance(module, imports);
    return performance.now() - start;
  };
}

const [once, twice] = [load(before), load(after)];
for (let i = 0; i < 10; i++) {
  once();
  twice();
}
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < pairs; i++) {
  if (i % 2 === 0) {
    a.push(once());
    b.push(twice());
  } else {
    b.push(twice());
    a.push(once());
  }
}
const d = spread(b.map((x, i) => x - a[i]!));
const median = (xs: number[]): string => spread(xs).median.toFixed(3);
console.log(`instantiation, ${pairs} pairs: before ${median(a)} ms  after ${median(b)} ms  after − before: median ${d.median.toFixed(3)} ms (min ${d.min.toFixed(2)}, max ${d.max.toFixed(2)})`);
