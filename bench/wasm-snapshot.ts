/**
 * `npx tsx bench/wasm-snapshot.ts A.wasm [B.wasm …]`: what each module's Wizer snapshot holds
 * (wasm-snapshot-walk.ts): code and data section bytes, the initial memory, the non-zero bytes the
 * data segments write and the 4 KB pages they touch (what a fresh instance on the Node host pays
 * for). Compare with the empty guest (`npx js-compute-runtime bench/guest/empty-guest.ts OUT`).
 */
import { readFileSync } from 'node:fs';
import { readSnapshot, touched } from './wasm-snapshot-walk.ts';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npx tsx bench/wasm-snapshot.ts A.wasm [B.wasm …]');
  process.exit(2);
}
const mb = (bytes: number): string => (bytes / 1e6).toFixed(2).padStart(6);
for (const file of files) {
  const bytes = readFileSync(file);
  const { sections, memory, segments } = readSnapshot(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { bytes: nonZero, pages } = touched(memory);
  console.log(
    `${file}: module ${mb(bytes.length)} MB  code ${mb(sections.code ?? 0)}  data ${mb(sections.data ?? 0)} (${segments} segments)  memory ${mb(memory.length)}  non-zero ${mb(nonZero)}  4 KB pages touched ${pages}`,
  );
}
