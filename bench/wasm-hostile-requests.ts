/**
 * Rows "hostile request: …" of `npm run bench -- wasm`: the guest CPU one request a client shapes (or
 * one answer an origin shapes) costs inside bin/main.wasm, within the limits a request actually
 * reaches our code under (Compute's 8,192-byte URL and 69 KB of request headers, which the Wasm host
 * applies too, and the 4 KiB beacon body). Compute stops a request at 50 ms of vCPU, so each row's goal
 * is < 25 ms, as the other hostile rows'. Each figure is a whole instance's vCPU (a fresh instance per
 * request, as on Compute), as the consented demo visitor; "plain /" and the plain beacon beside them
 * are the same requests without anything hostile. The host makes each instance's memory before its
 * request, outside that vCPU (as Compute's pooling allocator keeps slots ready): its own row gives it.
 * `npx tsx bench/wasm-hostile-requests.ts [WASM] [ROUNDS] [REGEX]` prints the rows alone
 * (`npx tsx bench/wasm-hostile-ab.ts BEFORE.wasm AFTER.wasm PAIRS` pairs two builds).
 */
import { existsSync } from 'node:fs';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { ensureWasm } from '../wasm-host/wasm-build.ts';
import { DEFAULT_WASM_PATH } from '../wasm-host/wasm-server.ts';
import { consentingVisitorCookie } from '../src/local-platform/signed-visitor.ts';
import { spread, type Goal } from './bench-stats.ts';
import { startHostileStack, type HostileStack } from './wasm-hostile-stack.ts';

export interface HostileCase {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** A function: the body made from the visitor's decision token (as a page's beacon script sends it). */
  body?: string | ((decision: string) => string);
  /** The status this request answers when it reached our code as meant. */
  status: number;
  /** The consented visitor who sends it (default `demo-runner`). */
  visitor?: string;
  /** A query parameter (or with `visitor`, a visitor id) new on each request, so that the template (the profile) is fetched from the origin each time (a miss). */
  fresh?: boolean;
}

let freshCount = 0;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** `count` distinct three-letter names, in order. */
const names = (count: number): string[] => Array.from({ length: count }, (_, i) => LETTERS[Math.floor(i / 676) % 26]! + LETTERS[Math.floor(i / 26) % 26]! + LETTERS[i % 26]!);
/** `count` headers `x-h0: v` …: Node's server, and so the Wasm host, keeps at most ~1,000 headers of a request. */
const manyHeaders = (count: number): Record<string, string> => Object.fromEntries(Array.from({ length: count }, (_, i) => [`x-h${i}`, 'v']));
const BEACON = JSON.stringify({ type: 'click', slot: 'recs', item: 'sku-1017', page: '/product/shoes/sku-1017' });
/** A recommendation click as the demo's beacon script sends it: the page's path and its decision token. */
const pageBeacon = (decision: string): string => JSON.stringify({ type: 'click', slot: 'recs', item: 'sku-1017', page: '/product/shoes/sku-1017', decision });

/** The requests, each the worst of its kind found (docs/performance.md, "Thirteenth round", hostile13). */
export const HOSTILE_CASES: readonly HostileCase[] = [
  { name: 'plain / (no hostile input)', path: '/', status: 200 },
  { name: '1,000 $(QUERY_STRING{q}) of one `<` and 7,900 letters', path: `/hostile/vars?q=%3C${'a'.repeat(7900)}`, status: 200 },
  { name: '1,000 $(QUERY_STRING{q}) of 2,600 `<` (cap12\'s page)', path: `/hostile/vars?q=${'%3C'.repeat(2600)}`, status: 200 },
  { name: '24 includes carrying a query of 2,600 `<`', path: `/hostile/includes?q=${'%3C'.repeat(2600)}`, status: 200 },
  { name: 'plain beacon click with a decision token (no hostile input)', path: '/__beacon', method: 'POST', headers: { 'content-type': 'application/json' }, body: pageBeacon, status: 204 },
  { name: 'beacon Content-Type of 15,000 parameters', path: '/__beacon', method: 'POST', headers: { 'content-type': `text/plain${';a=b'.repeat(15_000)};charset=UTF-8` }, body: BEACON, status: 204 },
  { name: 'query of 2,000 names out of order', path: `/category/running?${names(2000).reverse().join('&')}`, status: 200 },
  { name: 'query of 2,600 `%3C`', path: `/category/running?q=${'%3C'.repeat(2600)}`, status: 200 },
  { name: 'path of 4,000 segments', path: `/category${'/a'.repeat(4000)}`, status: 404 },
  { name: 'path segment of 2,600 `%3C`', path: `/category/${'%3C'.repeat(2600)}`, status: 404 },
  { name: 'Accept-Language of 60 KB', path: '/', headers: { 'accept-language': 'xx-'.repeat(20_000) }, status: 200 },
  { name: 'Cookie of 8,100 characters, 97 pairs', path: '/', headers: { cookie: Array.from({ length: 95 }, (_, i) => `c${i}=${'x'.repeat(78)}`).join('; ').slice(0, 8000) }, status: 200 },
  { name: 'plain pass-through POST (no hostile input)', path: '/cart/hostile', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'sku=1', status: 200 },
  { name: 'pass-through POST with 1,000 headers', path: '/cart/hostile', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...manyHeaders(990) }, body: 'sku=1', status: 200 },
  { name: 'profile answer of 64 KiB: 6,000 copies of one segment, 2,500 affinities out of range (a miss)', path: '/', visitor: 'hostile-profile', fresh: true, status: 200 },
  { name: 'plain / as a new visitor (a profile miss, no hostile input)', path: '/', visitor: 'new-visitor', fresh: true, status: 200 },
  { name: 'template answer with 60 KB of Surrogate-Key (a miss)', path: '/hostile/keys', fresh: true, status: 200 },
];

/** The consented demo visitor on a stack: their cookies, and the decision token `/` renders for them (the beacon carries it). */
export interface HostileVisitor {
  cookie: string;
  decision: string;
}

export async function hostileVisitor(stack: HostileStack): Promise<HostileVisitor> {
  const cookie = await consentingVisitorCookie(loadManifest(stack.manifestPath), 'demo-runner');
  const page = await fetch(new URL('/', stack.host.url), { headers: { cookie } });
  const decision = /data-decision="([^"]+)"/.exec(await page.text())?.[1];
  await stack.host.settled();
  if (decision === undefined) throw new Error('no decision token on / for the demo visitor');
  return { cookie, decision };
}

/** One request's figures (ms). */
export interface HostileCpu {
  /** Instance vCPU. */
  cpu: number;
  /** The same after instantiation: what the guest runs. */
  run: number;
  /** `run` less the CPU inside hostcalls (this host's JavaScript, native on Compute); null unless the host times them (`hostTime`). */
  guest: number | null;
  /** Worker CPU that made the instance's memory before the request, outside `cpu`. */
  memory: number;
}

/** One request of `c` in a fresh instance; throws when it did not answer as meant. */
export async function hostileOnce(stack: HostileStack, c: HostileCase, visitor: HostileVisitor): Promise<HostileCpu> {
  const id = c.visitor === undefined ? null : c.fresh === true ? `${c.visitor}-${++freshCount}` : c.visitor;
  const cookie = id === null ? visitor.cookie : await consentingVisitorCookie(loadManifest(stack.manifestPath), id);
  // A cookie the case sets itself comes after the visitor's, as a browser would send both.
  const headers = { ...c.headers, cookie: c.headers?.cookie === undefined ? cookie : `${cookie}; ${c.headers.cookie}` };
  const path = c.fresh === true && c.visitor === undefined ? `${c.path}${c.path.includes('?') ? '&' : '?'}fresh=${++freshCount}` : c.path;
  const body = typeof c.body === 'function' ? c.body(visitor.decision) : c.body;
  const status = await stack.send(path, { method: c.method, headers, body });
  await stack.host.settled();
  if (status !== c.status) throw new Error(`hostile request ${c.name}: ${status}, not ${c.status}`);
  const { vcpuMs, startMs, hostMs, memoryMs } = stack.host;
  const run = vcpuMs.at(-1)! - startMs.at(-1)!;
  return { cpu: vcpuMs.at(-1)!, run, guest: hostMs.length === vcpuMs.length ? run - hostMs.at(-1)! : null, memory: memoryMs.at(-1)! };
}

/** Figures per request, `rounds` fresh instances per case, after one warm-up of each. */
async function hostileCpu(stack: HostileStack, cases: readonly HostileCase[], rounds: number): Promise<Map<HostileCase, HostileCpu[]>> {
  const visitor = await hostileVisitor(stack);
  const out = new Map<HostileCase, HostileCpu[]>(cases.map((c) => [c, []]));
  for (let round = -1; round < rounds; round++) {
    for (const c of cases) {
      const figures = await hostileOnce(stack, c, visitor);
      if (round >= 0) out.get(c)!.push(figures);
    }
  }
  return out;
}

export interface HostileFigure {
  figure: string;
  samples: number[];
  unit: string;
  goal: Goal | null;
  method: string;
}

const METHOD = 'instance vCPU of one request, a fresh instance each, bin/main.wasm; its memory is made before the request, outside this figure (the memory row)';
const MEMORY = 'hostile request: host memory made before each request, outside vCPU';
const MEMORY_METHOD = 'worker thread CPU making each instance\'s WebAssembly.Memory (the snapshot\'s pages written once) while it waits for the request, over every hostile request above; in none of their vCPU figures, as on Compute\'s pooling allocator';

/** The rows, `rounds` requests of each case (kept when `wanted` matches "hostile request: <name>"). */
export async function hostileRequestFigures(rounds: number, wanted: (figure: string) => boolean, wasmPath = DEFAULT_WASM_PATH): Promise<HostileFigure[]> {
  const cases = HOSTILE_CASES.filter((c) => wanted(`hostile request: ${c.name}`));
  if (wasmPath === DEFAULT_WASM_PATH) await ensureWasm(DEFAULT_WASM_PATH).catch((error: unknown) => console.warn(`[bench] ${String(error)}; using the existing ${DEFAULT_WASM_PATH}`));
  if (cases.length === 0 || !existsSync(wasmPath)) return [];
  const stack = await startHostileStack(wasmPath);
  try {
    const cpu = await hostileCpu(stack, cases, rounds);
    const rows = cases.map((c) => ({ figure: `hostile request: ${c.name}`, samples: cpu.get(c)!.map((f) => f.cpu), unit: 'ms', goal: c.name.startsWith('plain') ? null : { below: 25 }, method: METHOD }));
    const memory = [...cpu.values()].flat().map((f) => f.memory);
    return [...rows, { figure: MEMORY, samples: memory, unit: 'ms', goal: null, method: MEMORY_METHOD }];
  } finally {
    await stack.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [wasm = 'bin/main.wasm', rounds = '5', only = ''] = process.argv.slice(2);
  const figures = await hostileRequestFigures(Number(rounds), (figure) => new RegExp(only, 'i').test(figure), wasm);
  for (const f of figures) {
    const s = spread(f.samples);
    console.log(`${f.figure.padEnd(72)} ${s.min.toFixed(2)} / ${s.median.toFixed(2)} / ${s.max.toFixed(2)} ms${f.goal === null ? '' : s.median < 25 ? '  met' : '  MISSED'}`);
  }
}
