/**
 * ESI assembly on Node, on the realistic corpus (bench/corpus: links, inline CSS and scripts with
 * `$(`, comments, JSON-LD, multi-byte UTF-8), every engine reading fragments from memory: a plain
 * stream copy (the limit), our streaming `writeEsi` as the Node host runs it, `nodesi` and `esi`.
 * Against the copy ours reads the same 16 KiB chunked stream the copy reads; against the peers,
 * which take the template whole, ours takes it whole too (a cached template). Before anything is
 * timed each engine's output is compared with the expected page (every include replaced by the
 * fragment); an engine whose output differs is still timed but marked, and left out of the ratios
 * (`esi` substitutes `$(…)` everywhere, which breaks jQuery in inline scripts). Each engine
 * runs in several windows, in rotating order, and the table gives the median with the spread.
 * P5: five fragments that each take 300 ms, total time against the slowest fragment.
 */
import type { BenchSection } from './bench-section.ts';
import { fmt, goalText, mark, spread, type Goal } from './bench-stats.ts';
import { corpusFragment, includeTag, storeTemplate } from './corpus-pages.ts';
import { copy, esi, nodesi, ours, type Engine } from './esi-peers.ts';

const WINDOWS = 5;
const WINDOW_MS = 300;
const fragment = corpusFragment();
const decoder = new TextDecoder();
const WHOLE: Record<string, Engine> = { copy, ours: ours(fragment), nodesi: nodesi(fragment), esi: esi(fragment) };
const STREAMED: Record<string, Engine> = { ...WHOLE, ours: ours(fragment, 0, true) };
const PEERS = ['nodesi', 'esi'];

/** Template MB/s of `engine` over one window, after a short warm-up. */
async function window(engine: Engine, template: Uint8Array): Promise<number> {
  for (let i = 0; i < 3; i++) await engine.run(template);
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < WINDOW_MS) {
    await engine.run(template);
    runs++;
  }
  return (template.length * runs) / ((performance.now() - started) * 1e3);
}

/** MB/s per engine per window, the engine order rotated by one each window. */
async function windows(template: Uint8Array, names: readonly string[], engines: Record<string, Engine>): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let w = 0; w < WINDOWS; w++) {
    const order = names.map((_, i) => names[(i + w) % names.length]!);
    for (const name of order) out.get(name)!.push(await window(engines[name]!, template));
  }
  return out;
}

async function matching(template: Uint8Array, engines: Record<string, Engine>): Promise<{ differing: string[] }> {
  const expected = decoder.decode(template).replace(/<esi:include src="[^"]*"\/>/g, decoder.decode(fragment));
  const differing: string[] = [];
  for (const name of ['copy', 'ours', ...PEERS]) {
    const output = await engines[name]!.output(template);
    if (output !== (name === 'copy' ? decoder.decode(template) : expected)) differing.push(name);
  }
  return { differing };
}

const CASES: Array<{ name: string; size: number; includes: number; goal: Goal; versus: 'copy' | 'peer' | 'nodesi' }> = [
  { name: 'ESI-free, 1 MB', size: 1024 * 1024, includes: 0, goal: { atLeast: 0.5 }, versus: 'copy' },
  { name: '200 KB, 10 includes', size: 200 * 1024, includes: 10, goal: { atLeast: 5 }, versus: 'peer' },
  { name: '2 KB, 3 includes', size: 2 * 1024, includes: 3, goal: { atLeast: 2 }, versus: 'nodesi' },
];

async function p5(): Promise<Array<Record<string, string>>> {
  const template = storeTemplate(20 * 1024, 5, (i) => includeTag(i));
  const rows: Array<Record<string, string>> = [];
  for (const [name, engine] of Object.entries({ ours: ours(fragment, 300), nodesi: nodesi(fragment, 300), esi: esi(fragment, 300) })) {
    const totals: number[] = [];
    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      await engine.run(template);
      totals.push(performance.now() - started);
    }
    const s = spread(totals);
    rows.push({ page: `P5: 5 × 300 ms fragments, ${name}`, 'MB/s median (min–max)': `${fmt(s.median)} ms (${fmt(s.min)}–${fmt(s.max)})`, ratio: `total/slowest ${fmt(s.median / 300)}`, goal: name === 'ours' ? '≤ 1.1' : '', mark: name === 'ours' ? mark({ atMost: 1.1 }, s.median / 300) : '' });
  }
  return rows;
}

export async function run(): Promise<BenchSection> {
  const rows: BenchSection['rows'] = [];
  const summary: BenchSection['summary'] = { windows: WINDOWS, 'window ms': WINDOW_MS };
  for (const { name, size, includes, goal, versus } of CASES) {
    const engines = versus === 'copy' ? STREAMED : WHOLE;
    const template = storeTemplate(size, includes);
    const { differing } = await matching(template, engines);
    const results = await windows(template, ['copy', 'ours', ...PEERS], engines);
    const median = (engine: string): number => (results.has(engine) ? spread(results.get(engine)!).median : NaN);
    const peers = PEERS.filter((peer) => !differing.includes(peer));
    const base = versus === 'copy' ? median('copy') : versus === 'nodesi' ? median('nodesi') : Math.max(...peers.map(median));
    const ratio = median('ours') / base;
    for (const engine of ['copy', 'ours', ...PEERS]) {
      const s = results.get(engine);
      const note = differing.includes(engine) ? ' OUTPUT DIFFERS' : '';
      rows.push({ page: `${name}, ${engine}`, 'MB/s median (min–max)': s ? `${fmt(spread(s).median)} (${fmt(spread(s).min)}–${fmt(spread(s).max)})${note}` : '', ratio: engine === 'ours' ? `ours/${versus === 'peer' ? 'fastest peer' : versus} ${fmt(ratio)}` : '', goal: engine === 'ours' ? goalText(goal, '×') : '', mark: engine === 'ours' ? mark(goal, ratio) : '' });
    }
    summary[`${name}: ours/${versus === 'peer' ? 'fastest peer' : versus} (${goalText(goal, '×')})`] = Number(fmt(ratio));
    if (differing.length > 0) summary[`${name}: output differs`] = differing.join(', ');
  }
  rows.push(...(await p5()));
  return { name: 'ESI assembly on Node (realistic corpus, fragments from memory, outputs compared first)', rows, summary };
}
