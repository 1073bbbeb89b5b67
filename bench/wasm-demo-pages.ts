/**
 * Guest CPU per request for the demo pages: the real bin/main.wasm on the Wasm host against the
 * local origin, as the consented demo visitor, a returning one that keeps the cookies the edge sets
 * (so its session cookie is set once, not signed again on every category view); its pages are
 * stored with holes (ranked per visitor on each hit), so the goal rows measure page-cache hits, as
 * a returning visitor mostly gets. The "page assembled" rows purge the pages' tier key
 * (`edge-pages`) through the host before each of their requests, outside the instance's clock, so
 * each is a page-cache miss that runs the template, fragments and ESI assembly over parts still
 * cached; the template's variation entry carries no surrogate key and stays, so each is a typical
 * miss (one page key's TTL ran out, or a new segment), not a first sight of the template; each row
 * says which page-cache state its requests had. Templates and shared fragments
 * come from the edge caches after warm-up, as in production. The host's vCPU
 * clock gives each instance's CPU time; an empty js-compute-runtime guest gives the floor
 * (instantiation and runtime start) that is not our code, measured in requests paired with the
 * pages' (paired-rounds.ts). Instantiation is also reported apart:
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
import { PAGE_TIER_KEY } from '../src/core/http/storage-policy.ts';
import { fmt, spread, type Goal } from './bench-stats.ts';
import { AS_SHIPPED, startGuest } from './wasm-guest-host.ts';
import { cacheText, pairedRounds, PER_ROUND, type PairedRounds, type RoundCpu } from './paired-rounds.ts';

export interface PageFigure {
  figure: string;
  samples: number[];
  unit: string;
  goal: Goal | null;
  method: string;
}

const PER_REQUEST = `instance vCPU, median of ${PER_ROUND} requests per round`;
const PAIRED = `each request follows one of the empty guest's on its own stack (paired-rounds.ts), minus the median of those ${PER_ROUND}`;
const VISITOR = 'the consented demo visitor keeping the cookies the edge sets';
const GOAL_ROW = `${PER_REQUEST}, ${PAIRED}; ${VISITOR}; the instance's memory is made before the request, as on Compute's pooling allocator (see the host's memory row)`;
const ASSEMBLED = `; ${PAGE_TIER_KEY} purged by the host before each request, after its floor's and outside both clocks (template, fragments and the template's remembered variation stay cached, so each is a miss of one page key, as after its TTL or for a new segment)`;
const RUN_ONLY = `instance vCPU after instantiation, median of ${PER_ROUND} requests per round, ${PAIRED}`;
const GUEST_SIDE = `instance vCPU minus its CPU inside hostcalls, median of ${PER_ROUND} requests per round, ${PAIRED} (hostcalls timed on both)`;
const GUEST_RUN = `instance vCPU after instantiation minus its CPU inside hostcalls, median of ${PER_ROUND} requests per round, ${PAIRED} (hostcalls timed on both)`;

export const PAGES = ['/', '/category/running', '/product/running/sku-1001'];

/** The consented demo visitor's cookies (consent and a signed `vid`) for the stack's key. */
export async function demoVisitorCookie(manifestPath: string): Promise<string> {
  return consentingVisitorCookie(loadManifest(manifestPath), 'demo-runner');
}

/**
 * Both stacks started together, the rounds paired (paired-rounds.ts); with `hostTime`, hostcalls
 * timed on both. With `assembled`, a second pass on the same stacks purges the pages' tier key
 * before each page request (every page a page-cache miss): its rounds are the second element.
 */
async function perRound(emptyGuest: string, rounds: number, hostTime = false, assembled = false): Promise<PairedRounds[]> {
  const floor = await startGuest(emptyGuest, false, hostTime, AS_SHIPPED);
  try {
    const page = await startGuest(DEFAULT_WASM_PATH, false, hostTime, AS_SHIPPED);
    try {
      const setup = { floor, page, cookie: await demoVisitorCookie(page.manifestPath), hostTime };
      const hits = await pairedRounds(setup, PAGES, rounds);
      if (!assembled) return [hits];
      return [hits, await pairedRounds({ ...setup, beforePage: () => page.host.purge(PAGE_TIER_KEY) }, PAGES, rounds)];
    } finally {
      await page.close();
    }
  } finally {
    await floor.close();
  }
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
function memoryFigure(paired: PairedRounds, emptyGuest: string): PageFigure {
  const perRound = (of: Map<string, RoundCpu[]>): number[] => [...of.values()][0]!.map((_, round) => spread([...of.values()].map((rs) => rs[round]!.memory)).median);
  const ours = perRound(paired.pages);
  const floorMs = spread(perRound(paired.floor)).median;
  const method =
    `worker thread CPU (its CPU clock) making each instance's WebAssembly.Memory while it waits for the request and writing once to each of the ${snapshotPages(DEFAULT_WASM_PATH)} 4 KB pages bin/main.wasm's snapshot lands on, median of ${PER_ROUND} requests per round; ` +
    `in no vCPU row (made before the request, as on Compute's pooling allocator); the floor's empty guest: ${fmt(floorMs)} ms for ${snapshotPages(emptyGuest)} pages, so "our code" would read ${fmt(spread(ours).median - floorMs)} ms more with both counted`;
  return { figure: 'host: memory made before each request, outside vCPU', samples: ours, unit: 'ms', goal: null, method };
}

/** Per round, `page`'s figure minus its paired floor's. */
function minusFloor(paired: PairedRounds, path: string, pick: (r: RoundCpu) => number): number[] {
  const floor = paired.floor.get(path)!;
  return paired.pages.get(path)!.map((r, round) => pick(r) - pick(floor[round]!));
}

export async function demoPageCpu(rounds: number, emptyGuest: string): Promise<PageFigure[]> {
  await ensureWasm(DEFAULT_WASM_PATH).catch((error: unknown) => console.warn(`[bench] ${String(error)}; using the existing ${DEFAULT_WASM_PATH}`));
  if (!existsSync(DEFAULT_WASM_PATH)) return [];
  const [paired, assembled] = (await perRound(emptyGuest, rounds, false, true)) as [PairedRounds, PairedRounds];
  const floorCpu = [...paired.floor.values()][0]!.map((_, round) => spread([...paired.floor.values()].map((rs) => rs[round]!.cpu)).median);
  const measured = (path: string, rs: PairedRounds): string => `; measured pages: ${cacheText(rs.cache.get(path))}`;
  const figures: PageFigure[] = [{ figure: 'empty guest CPU per request (floor)', samples: floorCpu, unit: 'ms', goal: null, method: `${PER_REQUEST}, the median over the pages' paired requests` }];
  for (const [path, rs] of paired.pages) {
    figures.push({ figure: `guest CPU ${path}`, samples: rs.map((r) => r.cpu), unit: 'ms', goal: null, method: `${PER_REQUEST}; ${VISITOR}${measured(path, paired)}` });
    figures.push({ figure: `our code ${path} (CPU − floor)`, samples: minusFloor(paired, path, (r) => r.cpu), unit: 'ms', goal: { atMost: 3 }, method: `${GOAL_ROW}${measured(path, paired)}` });
    // What a page-cache miss costs beside the hit the goal row measures: the assembly stays visible.
    const figure = `our code ${path}, page assembled (${PAGE_TIER_KEY} purged before each request)`;
    figures.push({ figure, samples: minusFloor(assembled, path, (r) => r.cpu), unit: 'ms', goal: null, method: `${GOAL_ROW}${ASSEMBLED}${measured(path, assembled)}` });
  }
  figures.push(memoryFigure(paired, emptyGuest));
  for (const path of PAGES) {
    figures.push({ figure: `our code ${path}, instantiation excluded`, samples: minusFloor(paired, path, (r) => r.run), unit: 'ms', goal: null, method: RUN_ONLY });
  }
  // The same pages with this host's hostcall code taken out of both sides: what the guest itself runs.
  const [guestSide] = (await perRound(emptyGuest, rounds, true)) as [PairedRounds];
  for (const path of PAGES) {
    figures.push({ figure: `our code ${path}, guest side only`, samples: minusFloor(guestSide, path, (r) => r.cpu), unit: 'ms', goal: null, method: `${GUEST_SIDE}${measured(path, guestSide)}` });
  }
  // Both taken out: the guest's own work for the request, what a probe build's steps add up to.
  // The gap between this row and "instantiation excluded" is this host's hostcall code (~220
  // hostcalls and ~450 clock reads a page, all JavaScript here, native code on Compute).
  for (const path of PAGES) {
    figures.push({ figure: `our code ${path}, guest side only, instantiation excluded`, samples: minusFloor(guestSide, path, (r) => r.run), unit: 'ms', goal: null, method: GUEST_RUN });
  }
  return figures;
}
