/**
 * Guest CPU per request for the demo pages: the real bin/main.wasm on the Wasm host against the
 * local origin, as the consented demo visitor (per-visitor recommendations keep the pages out of
 * the assembled-page cache, so each request runs the decision and ESI assembly; templates and
 * shared fragments come from the edge caches after warm-up, as in production). The host's vCPU
 * clock gives each instance's CPU time; an empty js-compute-runtime guest gives the floor
 * (instantiation and runtime start) that is not our code. Instantiation is also reported apart:
 * V8 copies the whole snapshot into each instance's memory, so a bigger snapshot costs more here,
 * while Wasmtime on Compute maps it copy-on-write and pays only for the pages a request writes.
 * The instance's memory itself is made before its request (wasm-host/spare-memory.ts), as Compute's
 * pooling allocator keeps slots ready, so no vCPU row counts it; its own row shows what it costs.
 * The config store holds the `settings` text the demo ships (`AS_SHIPPED`), so the pages pay what
 * the shipped service pays: no validation of a document the warm-up already parsed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { consentingVisitorCookie } from '../src/local-platform/signed-visitor.ts';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { ensureWasm } from '../wasm-host/wasm-build.ts';
import { importMemory } from '../wasm-host/memory-import.ts';
import { DEFAULT_WASM_PATH } from '../wasm-host/wasm-server.ts';
import { fmt, spread, type Goal } from './bench-stats.ts';
import { AS_SHIPPED, startGuest, type GuestStack } from './wasm-guest-host.ts';

export interface PageFigure {
  figure: string;
  samples: number[];
  unit: string;
  goal: Goal | null;
  method: string;
}

const PER_REQUEST = 'instance vCPU, median of 15 requests per round';
const GOAL_ROW = `${PER_REQUEST}, minus the floor's; the instance's memory is made before the request, as on Compute's pooling allocator (see the host's memory row)`;
const RUN_ONLY = 'instance vCPU after instantiation, median of 15 requests per round, minus the floor\'s';
const GUEST_SIDE = 'instance vCPU minus its CPU inside hostcalls, median of 15 requests per round, minus the floor\'s';
const GUEST_RUN = 'instance vCPU after instantiation minus its CPU inside hostcalls, median of 15 requests per round, minus the floor\'s';

export const PAGES = ['/', '/category/running', '/product/running/sku-1001'];
const WARMUP = 5;
const PER_ROUND = 15;

interface RoundCpu {
  /** Median instance CPU (ms). */
  cpu: number;
  /** Median instance CPU after instantiation (ms): what the guest runs, without V8 copying the snapshot in. */
  run: number;
  /** Median worker CPU making the instance's memory before its request (ms), outside `cpu`. */
  memory: number;
}

/**
 * Medians of `PER_ROUND` requests to `path`, after warm-up; with `hostTime`, each request's CPU
 * inside hostcalls (this host's JavaScript, native code on Compute) is taken out.
 */
async function roundCpu(stack: GuestStack, path: string, cookie: string, warmup: number, hostTime: boolean): Promise<RoundCpu> {
  const once = async (): Promise<void> => {
    const response = await fetch(stack.url(path), { headers: { cookie } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    await stack.host.settled();
  };
  for (let i = 0; i < warmup; i++) await once();
  const from = stack.host.vcpuMs.length;
  for (let i = 0; i < PER_ROUND; i++) await once();
  const cpu = stack.host.vcpuMs.slice(from).map((ms, i) => ms - (hostTime ? (stack.host.hostMs[from + i] ?? 0) : 0));
  return { cpu: spread(cpu).median, run: spread(cpu.map((ms, i) => ms - stack.host.startMs[from + i]!)).median, memory: spread(stack.host.memoryMs.slice(from)).median };
}

/** The consented demo visitor's cookies (consent and a signed `vid`) for the stack's key. */
export async function demoVisitorCookie(manifestPath: string): Promise<string> {
  return consentingVisitorCookie(loadManifest(manifestPath), 'demo-runner');
}

async function perRound(wasmPath: string, paths: readonly string[], rounds: number, hostTime = false): Promise<Map<string, RoundCpu[]>> {
  const stack = await startGuest(wasmPath, false, hostTime, AS_SHIPPED);
  const cookie = await demoVisitorCookie(stack.manifestPath);
  const out = new Map<string, RoundCpu[]>(paths.map((p) => [p, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const path of paths) out.get(path)!.push(await roundCpu(stack, path, cookie, round === 0 ? WARMUP : 1, hostTime));
    }
  } finally {
    await stack.close();
  }
  return out;
}

/** Pages of `wasmPath`'s snapshot the host faults in while making a memory (memory-import.ts); 0 when it makes none. */
function snapshotPages(wasmPath: string): number {
  return importMemory(readFileSync(wasmPath))?.plan.dataPages.length ?? 0;
}

/**
 * The host's memory work per instance, outside every vCPU row: per round, the median over the
 * pages (it does not depend on the page, made before the request). Its text gives the floor's,
 * which differs with the snapshot's size, and so what the goal row would read with both counted.
 */
function memoryFigure(pages: Map<string, RoundCpu[]>, floor: RoundCpu[], emptyGuest: string): PageFigure {
  const perRound = floor.map((_, round) => spread([...pages.values()].map((rs) => rs[round]!.memory)).median);
  const ours = spread(perRound).median;
  const floorMs = spread(floor.map((r) => r.memory)).median;
  const method =
    `worker thread CPU (its CPU clock) making each instance's WebAssembly.Memory while it waits for the request and writing once to each of the ${snapshotPages(DEFAULT_WASM_PATH)} 4 KB pages bin/main.wasm's snapshot lands on, median of 15 requests per round; ` +
    `in no vCPU row (made before the request, as on Compute's pooling allocator); the floor's empty guest: ${fmt(floorMs)} ms for ${snapshotPages(emptyGuest)} pages, so "our code" would read ${fmt(ours - floorMs)} ms more with both counted`;
  return { figure: 'host: memory made before each request, outside vCPU', samples: perRound, unit: 'ms', goal: null, method };
}

export async function demoPageCpu(rounds: number, emptyGuest: string): Promise<PageFigure[]> {
  await ensureWasm(DEFAULT_WASM_PATH).catch((error: unknown) => console.warn(`[bench] ${String(error)}; using the existing ${DEFAULT_WASM_PATH}`));
  if (!existsSync(DEFAULT_WASM_PATH)) return [];
  const floor = (await perRound(emptyGuest, ['/'], rounds)).get('/')!;
  const pages = await perRound(DEFAULT_WASM_PATH, PAGES, rounds);
  const floorCpu = floor.map((r) => r.cpu);
  const figures: PageFigure[] = [{ figure: 'empty guest CPU per request (floor)', samples: floorCpu, unit: 'ms', goal: null, method: PER_REQUEST }];
  for (const [path, rs] of pages) {
    figures.push({ figure: `guest CPU ${path}`, samples: rs.map((r) => r.cpu), unit: 'ms', goal: null, method: PER_REQUEST });
    figures.push({ figure: `our code ${path} (CPU − floor)`, samples: rs.map((r, i) => r.cpu - floorCpu[i]!), unit: 'ms', goal: { atMost: 3 }, method: GOAL_ROW });
  }
  figures.push(memoryFigure(pages, floor, emptyGuest));
  for (const [path, rs] of pages) {
    figures.push({ figure: `our code ${path}, instantiation excluded`, samples: rs.map((r, i) => r.run - floor[i]!.run), unit: 'ms', goal: null, method: RUN_ONLY });
  }
  // The same pages with this host's hostcall code taken out of both sides: what the guest itself runs.
  const guestFloor = (await perRound(emptyGuest, ['/'], rounds, true)).get('/')!;
  const guestSide = await perRound(DEFAULT_WASM_PATH, PAGES, rounds, true);
  for (const [path, rs] of guestSide) {
    figures.push({ figure: `our code ${path}, guest side only`, samples: rs.map((r, i) => r.cpu - guestFloor[i]!.cpu), unit: 'ms', goal: null, method: GUEST_SIDE });
  }
  // Both taken out: the guest's own work for the request, what a probe build's steps add up to.
  // The gap between this row and "instantiation excluded" is this host's hostcall code (~220
  // hostcalls and ~450 clock reads a page, all JavaScript here, native code on Compute).
  for (const [path, rs] of guestSide) {
    figures.push({ figure: `our code ${path}, guest side only, instantiation excluded`, samples: rs.map((r, i) => r.run - guestFloor[i]!.run), unit: 'ms', goal: null, method: GUEST_RUN });
  }
  return figures;
}
