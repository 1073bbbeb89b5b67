/**
 * `npm run bench -- wasm`: what our code costs inside the compiled Wasm, where Compute runs it
 * (SpiderMonkey interpreting our JavaScript, no JIT) and stops a request at 50 ms of CPU. A
 * measuring guest (bench/guest/measure-guest.ts, the real core code) runs on the Wasm host, one
 * fresh instance per round as on Compute; each figure is guest CPU time from the host's vCPU clock
 * (the worker thread's CPU time), read by the guest around the operation (`vCpuTime()`, µs on this
 * host), with the old measure (the instance minus one that does nothing with the same request)
 * printed beside it. The demo pages run on the real bin/main.wasm, minus an empty guest's floor, and
 * their handler alone is timed inside a guest built from the service's entry (wasm-handler-runs.ts).
 * Every figure: min / median / max over the rounds; the goal is checked on the median. The module
 * is compiled fully optimized before the first request, as Compute runs ahead-of-time optimized
 * code (wasm-host/module-compile.ts); the compile is in no figure.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { BenchSection } from './bench-section.ts';
import { fmt, goalText, mark, spread, spreadText, type Goal, type Spread } from './bench-stats.ts';
import { bigFragment, corpusFragment, legacyTemplate, oneFragmentTemplate, storeTemplate } from './corpus-pages.ts';
import { buildGuest, serviceBuildFlags, startGuest, type GuestStack } from './wasm-guest-host.ts';
import { handlerOnlyCpu } from './wasm-handler-runs.ts';
import { benchPriorityText } from './bench-priority.ts';
import { demoPageCpu } from './wasm-demo-pages.ts';
import { guestDecisionCookie } from './wasm-decision-cookie.ts';
import { phaseFigures } from './wasm-phases.ts';
import { rankingFigures } from './wasm-rank-phases.ts';
import { hostileRequestFigures } from './wasm-hostile-requests.ts';

const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 3));
/** Sub-millisecond figures sit inside the instances' own spread (±1 ms): more rounds for them. */
const SMALL_ROUNDS = ROUNDS * 3;
/** `BENCH_ONLY=regex` keeps only the figures whose name matches (to iterate on one part quickly). */
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;
const wanted = (figure: string): boolean => ONLY === null || ONLY.test(figure);
const KB = 1024;
const MIB = 1024 * 1024;

interface Figure {
  figure: string;
  samples: number[];
  unit: string;
  goal: Goal | null;
  warm?: number[];
  /** In-guest wall time of the first run; its minimum bounds the CPU time from above. */
  wall?: number[];
  /** How the figure is measured (printed with it). */
  method?: string;
  /** The same first run measured the old way, whole instances: running it once, and idle (a cross-check). */
  instance?: Instances;
}

/** Per round, the whole CPU time of an instance running the operation once and of an idle one. */
interface Instances {
  once: number[];
  idle: number[];
}

const IN_GUEST = 'in-guest vCPU around the assembly, first run of a fresh instance';

/** Guest CPU (ms) of one fresh instance serving `path` with `body`: the host's count and the guest's own per run. */
async function instanceCpu(stack: GuestStack, path: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string>): Promise<{ cpu: number; runs: number[]; wall: number }> {
  const response = await fetch(stack.url(path), { method: 'POST', body, headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
  await stack.host.settled();
  const { wallMs, cpuMs } = JSON.parse(text) as { wallMs: number[]; cpuMs: number[] };
  return { cpu: stack.host.vcpuMs[stack.host.vcpuMs.length - 1]!, runs: cpuMs, wall: wallMs[0] ?? NaN };
}

/**
 * Per round, an idle instance, then an instance running the operation once and one running it
 * `warmRuns` times, all with the same body. First run = the guest's own `vCpuTime()` read before and
 * after the operation in the fresh instance (the guest's host reports µs): inside one instance, so
 * the state of the host process, which moves two instances' CPU apart by milliseconds, cannot enter
 * it. It covers everything the assembly costs, the hostcalls it makes and the drain of its output
 * included; what it leaves out (instantiation, reading the request, the response) the idle instance
 * pays too. `instance` keeps the old measure beside it (whole instances, the config load the
 * operation prepares with included) as a cross-check. Warm = the median of the later runs.
 */
async function guestRuns(stack: GuestStack, path: string, template: Uint8Array, extra: Record<string, string> = {}, rounds = ROUNDS, warmRuns = 3, fragment = corpusFragment()): Promise<{ first: number[]; warm: number[]; wall: number[]; instance: Instances }> {
  const body = new Uint8Array(new ArrayBuffer(template.length + fragment.length));
  body.set(template);
  body.set(fragment, template.length);
  const headers = { ...extra, 'x-fragment-bytes': String(fragment.length) };
  const sep = path.includes('?') ? '&' : '?';
  const first: number[] = [];
  const warm: number[] = [];
  const wall: number[] = [];
  const instance: Instances = { once: [], idle: [] };
  for (let round = 0; round < rounds; round++) {
    const nothing = await instanceCpu(stack, '/empty', body, headers);
    const once = await instanceCpu(stack, `${path}${sep}runs=1`, body, headers);
    const many = await instanceCpu(stack, `${path}${sep}runs=${warmRuns}`, body, headers);
    first.push(once.runs[0]!);
    warm.push(spread(many.runs.slice(1)).median);
    wall.push(once.wall);
    instance.once.push(once.cpu);
    instance.idle.push(nothing.cpu);
  }
  return { first, warm, wall, instance };
}

const mbPerS = (bytes: number, ms: readonly number[]): number[] => ms.map((m) => bytes / 1e3 / m);

const ESI_CASES = [
  { name: '10 KB, 10 includes', size: 10 * KB, includes: 10, goal: null },
  { name: '200 KB, 1 include', size: 200 * KB, includes: 1, goal: null },
  { name: '200 KB, 10 includes', size: 200 * KB, includes: 10, goal: { atMost: 2 } },
  { name: '200 KB, 24 includes', size: 200 * KB, includes: 24, goal: null },
  { name: '1 MB, 10 includes', size: MIB, includes: 10, goal: null },
  { name: '2 MiB, 10 includes', size: 2 * MIB - KB, includes: 10, goal: null },
  { name: '2 MiB, 24 includes', size: 2 * MIB - KB, includes: 24, goal: { below: 25 } },
] as const;

async function guestFigures(stack: GuestStack): Promise<Figure[]> {
  const figures: Figure[] = [];
  // The guest's first request down each path also pays one-off costs of the host (and, with
  // BENCH_WASM_TIERUP=1, V8's lazy baseline compile); keep them out of the first figures.
  await guestRuns(stack, '/esi', storeTemplate(200 * KB, 10), {}, 1);
  await guestRuns(stack, '/decision/', new Uint8Array(0), await guestDecisionCookie(stack.manifestPath), 1);
  if (wanted('ESI-free 1 MB')) {
    const oneMb = storeTemplate(MIB, 0);
    const copy = await guestRuns(stack, '/copy', oneMb);
    const esiFree = await guestRuns(stack, '/esi', oneMb);
    figures.push({ figure: 'stream copy, 1 MB (the limit)', samples: copy.first, warm: copy.warm, instance: copy.instance, unit: 'ms', goal: null });
    figures.push({ figure: 'ESI-free 1 MB page', samples: esiFree.first, warm: esiFree.warm, instance: esiFree.instance, unit: 'ms', goal: null });
    figures.push({ figure: 'ESI-free 1 MB: ours / stream copy', samples: esiFree.first.map((ms, i) => copy.first[i]! / ms), unit: '×', goal: { atLeast: 0.25 } });
  }
  for (const { name, size, includes, goal } of ESI_CASES.filter((c) => wanted(`ESI ${c.name}`))) {
    const template = storeTemplate(size, includes);
    const runs = await guestRuns(stack, '/esi', template);
    figures.push({ figure: `ESI ${name}`, samples: runs.first, warm: runs.warm, instance: runs.instance, unit: 'ms', goal });
    if (name === '2 MiB, 24 includes') figures.push({ figure: 'ESI throughput, 2 MiB / 24 includes', samples: mbPerS(template.length, runs.first), unit: 'MB/s', goal: { atLeast: 100 } });
  }
  // The rows above read the template as a cached copy (whole, as the service reads an edge-cache
  // hit); these two read the same page as an origin miss (the host's 8 KiB body reads) and as the
  // guest-made 16 KiB stream the rows above used before cached templates were read whole.
  for (const [how, label] of [['origin', 'streamed from the origin (miss)'], ['stream', 'guest-made 16 KiB stream']] as const) {
    if (!wanted(`ESI 2 MiB, 24 includes, ${label}`)) continue;
    const runs = await guestRuns(stack, `/esi?template=${how}`, storeTemplate(2 * MIB - KB, 24));
    figures.push({ figure: `ESI 2 MiB, 24 includes, ${label}`, samples: runs.first, warm: runs.warm, instance: runs.instance, unit: 'ms', goal: null });
  }
  if (wanted('ESI windows-1252')) {
    const legacy = await guestRuns(stack, '/esi', legacyTemplate(200 * KB, 10));
    figures.push({ figure: 'ESI windows-1252 200 KB, 10 includes', samples: legacy.first, warm: legacy.warm, instance: legacy.instance, unit: 'ms', goal: null });
  }
  if (wanted('ESI 10,000-include')) {
    const hostile = new TextEncoder().encode(Array.from({ length: 10_000 }, (_, i) => `<p>${i}</p><esi:include src="/fragments/f${i}"/>`).join(''));
    const bomb = await guestRuns(stack, '/esi', hostile);
    figures.push({ figure: 'ESI 10,000-include template', samples: bomb.first, warm: bomb.warm, instance: bomb.instance, unit: 'ms', goal: { below: 25 } });
  }
  // One fetch shared by 1,000 includes: 24 bodies fill the inserted-bytes cap, the other 976 are refused (insert-budget.ts).
  if (wanted('ESI 1,000 includes of one 256 KiB')) {
    const shared = await guestRuns(stack, '/esi', oneFragmentTemplate(1000), {}, ROUNDS, 3, bigFragment());
    figures.push({ figure: 'ESI 1,000 includes of one 256 KiB fragment', samples: shared.first, warm: shared.warm, instance: shared.instance, unit: 'ms', goal: { below: 25 } });
  }
  for (const figure of figures) figure.method ??= IN_GUEST;
  figures.push(...(await phaseFigures(stack, SMALL_ROUNDS, wanted)));
  figures.push(...(await rankingFigures(stack, SMALL_ROUNDS, wanted)));
  return figures;
}

/**
 * A goal's mark for one figure. Every figure here is a CPU time or a ratio of two, so a sample below
 * zero means the baseline it was taken against (an idle instance, the floor) measured more than the
 * run itself: the machine's load moved it, and such a median proves nothing either way.
 */
function figureMark(f: Figure): string {
  if (f.goal === null) return '';
  const s = spread(f.samples);
  return s.min < 0 ? 'NOISY (rerun)' : mark(f.goal, s.median);
}

/**
 * The cross-check: median whole instance running the operation once − median idle instance. Not
 * the spread of per-round differences: both instances also read the request body into a fresh
 * instance, and that part alone moves by 5–40 ms between instances on a 1–2 MB body (memory
 * growth, the guest's GC), so one round's difference could read below zero on a 6 ms operation.
 */
function crossCheck({ once, idle }: Instances): number {
  return spread(once).median - spread(idle).median;
}

function row(f: Figure): Record<string, string> {
  const s: Spread = spread(f.samples);
  return {
    figure: f.figure,
    'min / median / max': spreadText(s),
    'warm median': f.warm ? fmt(spread(f.warm).median) : '',
    'first-run wall min': f.wall ? fmt(spread(f.wall).min) : '',
    'one run − idle instance (medians)': f.instance ? fmt(crossCheck(f.instance)) : '',
    unit: f.unit,
    goal: goalText(f.goal, f.unit),
    mark: figureMark(f),
    measured: f.method ?? '',
  };
}

/**
 * The machine's 1-minute load average and core count, read when the section starts and ends. Other
 * processes leave the guest's CPU caches cold (two busy loops on its core: +11–19%), and the
 * machine itself differs between sessions (the same build's full decision read 0.46 ms in one at
 * load ~0–1 and 0.34 ms in the next), so compare a figure only with one from the same run or a
 * paired run, and read it with its load.
 */
function loadText(start: number, end: number): string {
  return `${start.toFixed(1)} → ${end.toFixed(1)} on ${availableParallelism()} cores`;
}

export async function run(): Promise<BenchSection> {
  const loadAtStart = loadavg()[0]!;
  const guest = await startGuest(await buildGuest('measure-guest'), true);
  let figures: Figure[];
  try {
    figures = await guestFigures(guest);
  } finally {
    await guest.close();
  }
  // The demo-page rows run together (they share the floor): kept when BENCH_ONLY matches "our code".
  if (wanted('our code')) figures.push(...(await demoPageCpu(ROUNDS, await buildGuest('empty-guest'))));
  // The real handler's own vCPU, first and second run in an instance: also alone, BENCH_ONLY='handler only'.
  if (wanted('our code /, handler only')) figures.push(...(await handlerOnlyCpu(ROUNDS, await buildGuest('handler-runs', serviceBuildFlags()))));
  // What one hostile request (or origin answer) costs the real service: BENCH_ONLY='hostile request'.
  if (wanted('hostile request')) figures.push(...(await hostileRequestFigures(SMALL_ROUNDS, wanted)));
  const load = loadText(loadAtStart, loadavg()[0]!);
  writeFileSync('.bench/wasm.json', `${JSON.stringify({ date: new Date().toISOString(), rounds: ROUNDS, load, figures: figures.map((f) => ({ ...f, spread: spread(f.samples) })) }, null, 2)}\n`);
  const withGoals = figures.filter((f) => f.goal !== null);
  const summary: BenchSection['summary'] = { rounds: ROUNDS, 'goals met': `${withGoals.filter((f) => figureMark(f) === 'met').length} of ${withGoals.length}`, noisy: withGoals.filter((f) => figureMark(f).startsWith('NOISY')).length, 'load (1-min average, start → end)': load, 'raw samples': '.bench/wasm.json' };
  return { name: `Inside the Wasm guest (js-compute-runtime; ${process.env.BENCH_WASM_TIERUP === '1' ? 'V8 baseline + tier-up' : 'module optimized before the first request'}; first run in a fresh instance; ${benchPriorityText()}; ${ROUNDS} rounds)`, rows: figures.map(row), summary };
}
