/**
 * The demo pages' handler alone inside the Wasm guest: the handler-runs guest
 * (bench/guest/handler-runs.ts, built from the service's own entry code with the service's build
 * options) runs the real handler three times in each fresh instance, as the consented demo
 * visitor, and reports the guest's vCPU (µs) around each run. The first run pays cold CPU caches;
 * the second, right after, does not; the third runs after a 20 ms timer wait in the same instance,
 * which is enough for the caches to go cold again (docs/performance.md, "## Ninth round"). Unlike the "(CPU − floor)" rows,
 * nothing here is a difference of two instances: the runtime's request handling, instantiation and
 * V8's snapshot copy are outside the clock. This host's hostcall code (JavaScript here, native on
 * Compute) runs inside it. Same stack as bench/wasm-demo-pages.ts: shipped settings, templates and
 * fragments from the edge caches after warm-up.
 */
import { AS_SHIPPED, startGuest, type GuestStack } from './wasm-guest-host.ts';
import { demoVisitorCookie, PAGES, type PageFigure } from './wasm-demo-pages.ts';
import { addInstance, handlerFigures, parseRuns, type HandlerRun, type PageRuns } from './wasm-handler-figures.ts';

const RUNS = 3;
/** The timer wait before the last run, ms: first9's probes saw a warm run cost as much as a first one after 20 ms. */
export const IDLE_MS = 20;
/** Fresh instances per page before the measured rounds: the edge caches fill, the host's one-off costs pass. */
const WARMUP = 3;

/** One fresh instance running the handler `RUNS` times on `path`. */
async function instanceRuns(stack: GuestStack, path: string, cookie: string): Promise<HandlerRun[]> {
  const response = await fetch(stack.url(path), { headers: { cookie, 'x-handler-runs': String(RUNS), 'x-handler-idle-ms': String(IDLE_MS) } });
  const text = await response.text();
  await stack.host.settled();
  if (response.status !== 200) throw new Error(`${path}: handler-runs guest answered ${response.status} ${text.slice(0, 200)}`);
  return parseRuns(path, text, RUNS);
}

/** Per page: `rounds` fresh instances (pages interleaved per round), the three runs of each. */
export async function handlerOnlyCpu(rounds: number, guestPath: string): Promise<PageFigure[]> {
  const stack = await startGuest(guestPath, true, false, AS_SHIPPED);
  const pages = new Map<string, PageRuns>(PAGES.map((path) => [path, { first: [], second: [], idle: [] }]));
  try {
    const cookie = await demoVisitorCookie(stack.manifestPath);
    for (let i = 0; i < WARMUP; i++) for (const path of PAGES) await instanceRuns(stack, path, cookie);
    for (let round = 0; round < rounds; round++) {
      for (const path of PAGES) addInstance(pages.get(path)!, await instanceRuns(stack, path, cookie));
    }
  } finally {
    await stack.close();
  }
  return handlerFigures(pages, IDLE_MS);
}
