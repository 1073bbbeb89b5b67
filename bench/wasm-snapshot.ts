/**
 * `npx tsx bench/wasm-snapshot.ts [--map] A.wasm [B.wasm …]`: what each module's Wizer snapshot holds
 * (wasm-snapshot-walk.ts): code and data section bytes, the initial memory, the non-zero bytes the
 * data segments write and the 4 KB pages they touch. The Node host pays for each page per instance
 * in two places: the worker faults it in while making the next instance's memory before its request
 * (~1.4 µs a page, outside the instance's vCPU: wasm-host/spare-memory.ts), and V8 copies the
 * segments into it inside the instance (in its vCPU); `bench/wasm-instantiate-ab.ts` times both.
 * Compare with the empty guest (`npx js-compute-runtime bench/guest/empty-guest.ts OUT`).
 * `--map` adds, for each megabyte of memory, the pages touched and the KB of non-zero bytes in
 * each module, side by side, to see where two builds differ.
 */
import { readFileSync } from 'node:fs';
import { readSnapshot, touched, touchedByRegion } from './wasm-snapshot-walk.ts';

const map = process.argv.includes('--map');
const files = process.argv.slice(2).filter((arg) => arg !== '--map');
if (files.length === 0) {
  console.error('usage: npx tsx bench/wasm-snapshot.ts [--map] A.wasm [B.wasm …]');
  process.exit(2);
}
const mb = (bytes: number): string => (bytes / 1e6).toFixed(2).padStart(6);
const regions: Array<Array<{ bytes: number; pages: number }>> = [];
for (const file of files) {
  const bytes = readFileSync(file);
  const { sections, memory, segments } = readSnapshot(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { bytes: nonZero, pages } = touched(memory);
  regions.push(touchedByRegion(memory));
  console.log(
    `${file}: module ${mb(bytes.length)} MB  code ${mb(sections.code ?? 0)}  data ${mb(sections.data ?? 0)} (${segments} segments)  memory ${mb(memory.length)}  non-zero ${mb(nonZero)}  4 KB pages touched ${pages} (faulted in before each request)`,
  );
}
if (map) {
  console.log(`MB  ${files.map((_, i) => `pages/KB ${String.fromCharCode(65 + i)}`.padStart(16)).join('')}`);
  const rows = Math.max(...regions.map((r) => r.length));
  for (let row = 0; row < rows; row++) {
    const cells = regions.map((r) => (r[row] ? `${r[row]!.pages}/${Math.round(r[row]!.bytes / 1024)}` : '-').padStart(16));
    console.log(`${String(row).padStart(2)}  ${cells.join('')}`);
  }
}
