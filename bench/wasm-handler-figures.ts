/**
 * The handler-only demo-page figures (bench/wasm-handler-runs.ts), kept apart from the host so
 * they can be tested: reading the handler-runs guest's answer (bench/guest/handler-runs.ts) and
 * turning per-instance runs into rows. No goal on them: the "our code / (CPU − floor)" row keeps it.
 */
import type { PageFigure } from './wasm-demo-pages.ts';

export interface HandlerRun {
  /** Guest vCPU of the run, µs (the bench host's `vCpuTime()` in microseconds). */
  cpu: number;
  status: number;
  bytes: number;
}

/** The runs of each fresh instance, ms, one entry per round: first, second, and (if run) a last one after an idle wait. */
export interface PageRuns {
  first: number[];
  second: number[];
  idle: number[];
}

const isRun = (r: unknown): r is HandlerRun =>
  typeof r === 'object' && r !== null && ['cpu', 'status', 'bytes'].every((k) => Number.isFinite((r as Record<string, unknown>)[k]));

/**
 * The guest's `{ runs: [...] }` answer for `path`: exactly `count` runs, each a page (status 200,
 * a body) with a CPU time above zero. Anything else throws, so a broken page never becomes a figure.
 */
export function parseRuns(path: string, text: string, count: number): HandlerRun[] {
  const runs = (JSON.parse(text) as { runs?: unknown }).runs;
  if (!Array.isArray(runs) || runs.length !== count || !runs.every(isRun)) throw new Error(`${path}: not ${count} handler runs: ${text.slice(0, 200)}`);
  for (const [i, run] of runs.entries()) {
    if (run.status !== 200 || run.bytes === 0) throw new Error(`${path}: run ${i + 1} answered ${run.status} with ${run.bytes} bytes`);
    if (run.cpu <= 0) throw new Error(`${path}: run ${i + 1} read ${run.cpu} µs of CPU`);
  }
  return runs;
}

/** Adds one instance's runs (µs) to `into` (ms); a third run is the one after the idle wait. */
export function addInstance(into: PageRuns, runs: readonly HandlerRun[]): void {
  into.first.push(runs[0]!.cpu / 1000);
  into.second.push(runs[1]!.cpu / 1000);
  if (runs.length > 2) into.idle.push(runs[2]!.cpu / 1000);
}

const HANDLER = 'guest vCPU around createHandler + handle + body drain + waitUntil work';
const HOST = "this host's hostcall code included; instantiation and the runtime's own request handling excluded";
export const FIRST_METHOD = `${HANDLER}, first run in a fresh instance (cold CPU caches); ${HOST}; one instance per round`;
export const SECOND_METHOD = `the same, second run right after it in the same instance (warm CPU caches; the first run's memos, e.g. the imported HMAC key, reused); ${HOST}`;
export const SURPLUS_METHOD = 'first run − second run, per instance';
const idleMethod = (idleMs: number): string =>
  `the same, third run in the same instance after a ${idleMs} ms timer wait (as a request waiting on a backend; the caches go cold again, the memos stay); ${HOST}`;

/** Per page: the first run, the second, their per-instance difference, and the run after the idle wait when there is one. */
export function handlerFigures(pages: ReadonlyMap<string, PageRuns>, idleMs: number): PageFigure[] {
  const figures: PageFigure[] = [];
  for (const [path, { first, second, idle }] of pages) {
    figures.push({ figure: `our code ${path}, handler only, first run in an instance`, samples: first, unit: 'ms', goal: null, method: FIRST_METHOD });
    figures.push({ figure: `our code ${path}, handler only, second run (warm caches)`, samples: second, unit: 'ms', goal: null, method: SECOND_METHOD });
    figures.push({ figure: `our code ${path}, handler only, first − second`, samples: first.map((ms, i) => ms - second[i]!), unit: 'ms', goal: null, method: SURPLUS_METHOD });
    if (idle.length > 0) {
      figures.push({ figure: `our code ${path}, handler only, third run after ${idleMs} ms idle`, samples: idle, unit: 'ms', goal: null, method: idleMethod(idleMs) });
    }
  }
  return figures;
}
