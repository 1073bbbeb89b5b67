/**
 * `npx tsx bench/wasm-esi-ab.ts BEFORE.wasm AFTER.wasm [PAIRS]`: a paired comparison of two builds
 * of the measuring guest (bench/guest/measure-guest.ts, built to .bench/measure-guest.wasm by
 * `npm run bench -- wasm`; copy it aside before the change) on the byte-path rows of the wasm
 * bench. Both run on their own Wasm host; for each page, requests alternate between the two (the
 * order flips every pair), each a fresh instance running the assembly once, and the figure is the
 * guest's own vCPU around the assembly (as the bench's ESI rows), with the median of the per-pair
 * differences. `AB_ONLY=regex` keeps the pages whose name matches.
 */
import { bigFragment, corpusFragment, legacyTemplate, oneFragmentTemplate, storeTemplate } from './corpus-pages.ts';
import { spread } from './bench-stats.ts';
import { startGuest, type GuestStack } from './wasm-guest-host.ts';
import { readAbArgs } from './ab-args.ts';
import { benchPriorityText } from './bench-priority.ts';

const MIB = 1024 * 1024;
const PAGES: Array<{ name: string; path: string; template: Uint8Array; fragment?: Uint8Array }> = [
  { name: 'ESI 2 MiB, 24 includes (cached, read whole)', path: '/esi?runs=1', template: storeTemplate(2 * MIB - 1024, 24) },
  { name: 'ESI-free 1 MB', path: '/esi?runs=1', template: storeTemplate(MIB, 0) },
  { name: 'ESI 2 MiB, 24 includes, streamed from the origin', path: '/esi?template=origin&runs=1', template: storeTemplate(2 * MIB - 1024, 24) },
  { name: 'ESI 200 KB, 10 includes', path: '/esi?runs=1', template: storeTemplate(200 * 1024, 10) },
  { name: 'ESI 200 KB, 1 include', path: '/esi?runs=1', template: storeTemplate(200 * 1024, 1) },
  { name: 'ESI 10 KB, 10 includes', path: '/esi?runs=1', template: storeTemplate(10 * 1024, 10) },
  { name: 'ESI windows-1252 200 KB, 10 includes', path: '/esi?runs=1', template: legacyTemplate(200 * 1024, 10) },
  { name: 'ESI 10,000-include template', path: '/esi?runs=1', template: includeBomb(10_000) },
  { name: 'ESI 1,000-include template', path: '/esi?runs=1', template: includeBomb(1_000) },
  // Shapes that once never started a run (each element alone: ~65 ms, and ~42 s for the first).
  { name: 'ESI 10,000-include template, text not ASCII', path: '/esi?runs=1', template: includeBomb(10_000, (i) => `<p>é${i}</p><esi:include src="/fragments/f${i}"/>`) },
  { name: 'ESI 10,000-include template, src in single quotes', path: '/esi?runs=1', template: includeBomb(10_000, (i) => `<p>${i}</p><esi:include src='/fragments/f${i}'/>`) },
  // One fetch shared by 1,000 includes, 976 of them past the inserted-bytes cap.
  { name: 'ESI 1,000 includes of one 256 KiB fragment', path: '/esi?runs=1', template: oneFragmentTemplate(1000), fragment: bigFragment() },
  // The same streamed in the host's 8 KiB reads: the fetch settles after the first, so most includes come past the closed cap.
  { name: 'ESI 1,000 includes of one 256 KiB fragment, streamed from the origin', path: '/esi?template=origin&runs=1', template: oneFragmentTemplate(1000), fragment: bigFragment() },
];
/** The hostile template of the wasm bench's row: `count` includes, each after a short paragraph. */
function includeBomb(count: number, element = (i: number) => `<p>${i}</p><esi:include src="/fragments/f${i}"/>`): Uint8Array {
  return new TextEncoder().encode(Array.from({ length: count }, (_, i) => element(i)).join(''));
}

const ONLY = process.env.AB_ONLY ? new RegExp(process.env.AB_ONLY, 'i') : null;
const WARMUP = 2;

const { before, after, count: pairs } = readAbArgs('wasm-esi-ab.ts', 'PAIRS', 10);

async function once(stack: GuestStack, path: string, body: Uint8Array<ArrayBuffer>, fragmentBytes: number): Promise<number> {
  const response = await fetch(stack.url(path), { method: 'POST', body, headers: { 'x-fragment-bytes': String(fragmentBytes) } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
  await stack.host.settled();
  return (JSON.parse(text) as { cpuMs: number[] }).cpuMs[0]!;
}

const a = await startGuest(before, true);
const b = await startGuest(after, true);
try {
  console.log(`paired in-guest vCPU of the first run in a fresh instance, ${pairs} pairs per page: before ${before}, after ${after} (${benchPriorityText()})`);
  for (const page of PAGES.filter((p) => ONLY === null || ONLY.test(p.name))) {
    const fragment = page.fragment ?? corpusFragment();
    const body = new Uint8Array(new ArrayBuffer(page.template.length + fragment.length));
    body.set(page.template);
    body.set(fragment, page.template.length);
    for (let i = 0; i < WARMUP; i++) await Promise.all([once(a, page.path, body, fragment.length), once(b, page.path, body, fragment.length)]);
    const measured: Array<{ a: number; b: number }> = [];
    for (let i = 0; i < pairs; i++) {
      const first = i % 2 === 0 ? a : b;
      const x = await once(first, page.path, body, fragment.length);
      const y = await once(first === a ? b : a, page.path, body, fragment.length);
      measured.push(first === a ? { a: x, b: y } : { a: y, b: x });
    }
    const median = (xs: number[]): string => spread(xs).median.toFixed(2);
    const d = spread(measured.map(({ a: x, b: y }) => y - x));
    console.log(`${page.name}: before ${median(measured.map((m) => m.a))} ms  after ${median(measured.map((m) => m.b))} ms  after − before: median ${d.median.toFixed(2)} ms (min ${d.min.toFixed(1)}, max ${d.max.toFixed(1)})`);
  }
} finally {
  await a.close();
  await b.close();
}
