/**
 * The demo pages' rounds, paired with the floor's: bin/main.wasm and the empty guest run on two
 * stacks started together, and every page request follows one of the empty guest's (floor, page,
 * floor, page...), so a round's "CPU − floor" is the difference of requests made side by side.
 * Measured one after the other, as before, a change of the machine's load between the two phases
 * landed whole in the difference (the goal row swung ±1 ms between invocations minutes apart).
 * After each request the client waits until its worker has made the next instance's memory (about
 * twice that CPU in wall time), so that work never overlaps the other stack's request.
 * The page visitor keeps the cookies the edge sets (visitor-jar.ts), warm-up included; each
 * measured page's `X-Personalization` `cache=` state is counted (the shipped settings turn the
 * debug headers on), so the rows can say whether the pages were assembled or served stored.
 * `beforePage` runs between a floor's request and its page's (the "page assembled" rows purge the
 * pages' tier key there, so every page request is a page-cache miss over cached parts).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { GuestStack } from './wasm-guest-host.ts';
import { VisitorJar } from './visitor-jar.ts';
import { spread } from './bench-stats.ts';

export interface RoundCpu {
  /** Median instance CPU (ms); with `hostTime`, its CPU inside hostcalls taken out. */
  cpu: number;
  /** The same after instantiation (ms): what the guest runs, without V8 copying the snapshot in. */
  run: number;
  /** Median worker CPU making the instance's memory before its request (ms), outside `cpu`. */
  memory: number;
}

export interface PairedRounds {
  /** Per path, per round: the empty guest's requests made beside that path's. */
  floor: Map<string, RoundCpu[]>;
  pages: Map<string, RoundCpu[]>;
  /** Per path: the measured page requests by page-cache state (`cache=` of `X-Personalization`). */
  cache: Map<string, Map<string, number>>;
}

export interface PairedSetup {
  floor: GuestStack;
  page: GuestStack;
  /** The page visitor's starting cookies. */
  cookie: string;
  hostTime: boolean;
  /** Run before each page request, after its floor's, outside both instances' clocks (a purge). */
  beforePage?: () => Promise<void>;
}

const WARMUP = 5;
export const PER_ROUND = 15;

/** One request; resolves once the instance is done and its worker has made the next memory. */
async function once(stack: GuestStack, path: string, headers: Record<string, string>): Promise<Response> {
  const response = await fetch(stack.url(path), { headers });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  await stack.host.settled();
  await delay(Math.ceil(2 * (stack.host.memoryMs.at(-1) ?? 0)) + 1);
  return response;
}

/** Medians of the instances `stack` ran since `from`. */
function roundOf(stack: GuestStack, from: number, hostTime: boolean): RoundCpu {
  const { vcpuMs, hostMs, startMs, memoryMs } = stack.host;
  const cpu = vcpuMs.slice(from).map((ms, i) => ms - (hostTime ? (hostMs[from + i] ?? 0) : 0));
  return { cpu: spread(cpu).median, run: spread(cpu.map((ms, i) => ms - startMs[from + i]!)).median, memory: spread(memoryMs.slice(from)).median };
}

/** `count` floor-then-page pairs for `path`; the page's cache states are counted into `states` when given. */
async function pairs(setup: PairedSetup, jar: VisitorJar, path: string, count: number, states?: Map<string, number>): Promise<void> {
  for (let i = 0; i < count; i++) {
    await once(setup.floor, '/', {});
    if (setup.beforePage) await setup.beforePage();
    const response = await once(setup.page, path, { cookie: jar.header() });
    jar.keep(response.headers.getSetCookie());
    if (!states) continue;
    const state = /cache=(\w+)/.exec(response.headers.get('x-personalization') ?? '')?.[1] ?? 'unreported';
    states.set(state, (states.get(state) ?? 0) + 1);
  }
}

export async function pairedRounds(setup: PairedSetup, paths: readonly string[], rounds: number): Promise<PairedRounds> {
  const jar = new VisitorJar(setup.cookie);
  const out: PairedRounds = { floor: new Map(), pages: new Map(), cache: new Map() };
  for (const path of paths) {
    out.floor.set(path, []);
    out.pages.set(path, []);
    out.cache.set(path, new Map());
  }
  // Every page is visited before any is measured, so each round's visitor carries the same cookies.
  for (const path of paths) await pairs(setup, jar, path, WARMUP);
  for (let round = 0; round < rounds; round++) {
    for (const path of paths) {
      await pairs(setup, jar, path, 1);
      const fromFloor = setup.floor.host.vcpuMs.length;
      const fromPage = setup.page.host.vcpuMs.length;
      await pairs(setup, jar, path, PER_ROUND, out.cache.get(path));
      out.floor.get(path)!.push(roundOf(setup.floor, fromFloor, setup.hostTime));
      out.pages.get(path)!.push(roundOf(setup.page, fromPage, setup.hostTime));
    }
  }
  return out;
}

/** "cache=MISS 75 of 75" (or each state with its count): what the measured requests of a page were. */
export function cacheText(states: ReadonlyMap<string, number> | undefined): string {
  const entries = [...(states ?? new Map<string, number>())];
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return entries.map(([state, n]) => `cache=${state} ${n} of ${total}`).join(', ');
}
