/**
 * The handler-only demo-page rows of `npm run bench -- wasm`: the guest's answer is checked before
 * it becomes a figure, µs become ms, rows carry no goal, and the service's build options reach the
 * guest's build.
 */
import { describe, expect, it } from 'vitest';
import { addInstance, FIRST_METHOD, handlerFigures, parseRuns, SECOND_METHOD, type PageRuns } from '../../bench/wasm-handler-figures.ts';
import { buildFlags } from '../../bench/wasm-guest-host.ts';

const answer = (runs: unknown[]): string => JSON.stringify({ runs });
const page = (cpu: number) => ({ cpu, status: 200, bytes: 5120 });

describe('handler-runs answer', () => {
  it('reads the runs in order', () => {
    expect(parseRuns('/', answer([page(4500), page(3300)]), 2)).toEqual([page(4500), page(3300)]);
  });

  it('rejects a wrong number of runs', () => {
    expect(() => parseRuns('/', answer([page(4500)]), 2)).toThrow(/not 2 handler runs/);
  });

  it('rejects a run that is not a page', () => {
    expect(() => parseRuns('/', answer([page(4500), { cpu: 3300, status: 502, bytes: 10 }]), 2)).toThrow(/run 2 answered 502/);
    expect(() => parseRuns('/', answer([{ ...page(4500), bytes: 0 }, page(3300)]), 2)).toThrow(/run 1 answered 200 with 0 bytes/);
  });

  it('rejects a missing or zero CPU time', () => {
    expect(() => parseRuns('/', answer([{ status: 200, bytes: 1 }, page(3300)]), 2)).toThrow(/not 2 handler runs/);
    expect(() => parseRuns('/', answer([page(0), page(3300)]), 2)).toThrow(/run 1 read 0 µs/);
  });

  it('rejects an answer that is not the guest’s', () => {
    expect(() => parseRuns('/', '{"wallMs":[1]}', 2)).toThrow(/not 2 handler runs/);
    expect(() => parseRuns('/', 'not json', 2)).toThrow();
  });
});

describe('handler-only rows', () => {
  const runs: PageRuns = { first: [], second: [], idle: [] };
  addInstance(runs, [page(4500), page(3300)]);
  addInstance(runs, [page(5000), page(3900)]);
  const rows = handlerFigures(new Map([['/', runs]]), 20);

  it('turns µs into ms per instance', () => {
    expect(runs).toEqual({ first: [4.5, 5], second: [3.3, 3.9], idle: [] });
  });

  it('adds the run after the idle wait as its own row when the instance made one', () => {
    const three: PageRuns = { first: [], second: [], idle: [] };
    addInstance(three, [page(4500), page(3300), page(4400)]);
    const withIdle = handlerFigures(new Map([['/p', three]]), 20);
    expect(three.idle).toEqual([4.4]);
    expect(withIdle.map((r) => r.figure).at(-1)).toBe('our code /p, handler only, third run after 20 ms idle');
    expect(withIdle.at(-1)!.method).toMatch(/20 ms timer wait/);
  });

  it('has a first-run, a second-run and a difference row per page (no idle row without an idle run), none with a goal', () => {
    expect(rows.map((r) => r.figure)).toEqual([
      'our code /, handler only, first run in an instance',
      'our code /, handler only, second run (warm caches)',
      'our code /, handler only, first − second',
    ]);
    expect(rows.every((r) => r.goal === null && r.unit === 'ms')).toBe(true);
    expect(rows[2]!.samples.map((ms) => Number(ms.toFixed(6)))).toEqual([1.2, 1.1]);
  });

  it('says what the clock counts', () => {
    expect([rows[0]!.method, rows[1]!.method]).toEqual([FIRST_METHOD, SECOND_METHOD]);
    expect(FIRST_METHOD).toMatch(/hostcall code included/);
    expect(SECOND_METHOD).toMatch(/same instance/);
  });
});

describe('service build options', () => {
  it('keeps the js-compute-runtime options of the build script', () => {
    expect(buildFlags('js-compute-runtime --enable-http-cache src/index.ts bin/main.wasm')).toEqual(['--enable-http-cache']);
    expect(buildFlags('js-compute-runtime src/index.ts bin/main.wasm')).toEqual([]);
  });
});
