import { describe, expect, it } from 'vitest';
import { withHostTime, withTimeline } from '../../wasm-host/hostcall-timeline.ts';

/** A clock the test moves by hand: each call reads the current value. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 100;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('hostcall timeline', () => {
  it('gives each hostcall the guest CPU since the previous one and the host time inside it', () => {
    const clock = manualClock();
    const imports = {
      fastly_http_req: { send: () => (clock.advance(0.5), 0) },
      fastly_http_body: { write: () => (clock.advance(0.25), 0) },
    };
    const timeline = withTimeline(imports, clock.now);
    const wrapped = timeline.imports as typeof imports;
    clock.advance(2);
    wrapped.fastly_http_req.send();
    clock.advance(3);
    wrapped.fastly_http_body.write();
    const lines = timeline.report(6).trim().split('\n');
    expect(lines[1]).toMatch(/^\s+2\.00\s+2\.00\s+0\s+http_req\.send 0\.50$/);
    expect(lines[2]).toMatch(/^\s+5\.50\s+3\.00\s+0\s+http_body\.write 0\.25$/);
    expect(lines[3]).toBe('instance 6.00 ms CPU, of which 0.75 ms in the Wasm host\'s own hostcall code (timing included), 2 hostcalls');
  });

  it('says what the host spent on the instance\'s memory before its request, which no line includes', () => {
    const clock = manualClock();
    const timeline = withTimeline({ fastly_log: { write: () => 0 } }, clock.now);
    clock.advance(1);
    (timeline.imports as { fastly_log: { write: () => number } }).fastly_log.write();
    const lines = timeline.report(2, 1.5).trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^\s+1\.00\s+1\.00\s+0\s+log\.write/);
    expect(lines[3]).toMatch(/^not above: 1\.50 ms of worker CPU made this instance's memory before its request/);
    expect(timeline.report(2, null).trim().split('\n')).toHaveLength(3);
  });

  it('counts clock reads between hostcalls instead of listing them', () => {
    const clock = manualClock();
    const imports = { wasi_snapshot_preview1: { clock_time_get: () => 0 }, fastly_log: { write: () => 0 } };
    const timeline = withTimeline(imports, clock.now);
    const wrapped = timeline.imports as typeof imports;
    for (let i = 0; i < 3; i++) wrapped.wasi_snapshot_preview1.clock_time_get();
    wrapped.fastly_log.write();
    wrapped.fastly_log.write();
    const lines = timeline.report(1).trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/\s3\s+log\.write/);
    expect(lines[2]).toMatch(/\s0\s+log\.write/);
  });

  it('passes arguments and results through and still records a hostcall that throws', () => {
    const clock = manualClock();
    const imports = {
      fastly_http_req: { add: (a: number, b: number) => a + b },
      wasi_snapshot_preview1: { proc_exit: () => { throw new Error('exit'); } },
    };
    const timeline = withTimeline(imports, clock.now);
    const wrapped = timeline.imports as unknown as typeof imports;
    expect(wrapped.fastly_http_req.add(2, 3)).toBe(5);
    expect(() => wrapped.wasi_snapshot_preview1.proc_exit()).toThrow('exit');
    expect(timeline.report(0)).toContain('wasi.proc_exit');
  });
});

describe('host time accounting', () => {
  it('sums the CPU spent inside hostcalls and nothing between them', () => {
    const clock = manualClock();
    const imports = { fastly_http_req: { send: () => (clock.advance(0.5), 0) }, wasi_snapshot_preview1: { clock_time_get: () => (clock.advance(0.25), 0) } };
    const accounted = withHostTime(imports, clock.now);
    const wrapped = accounted.imports as typeof imports;
    clock.advance(4);
    wrapped.fastly_http_req.send();
    clock.advance(2);
    wrapped.wasi_snapshot_preview1.clock_time_get();
    expect(accounted.hostMs()).toBeCloseTo(0.75, 10);
  });
});

describe('host time accounting on a clock that costs time to read', () => {
  it('charges the accounting\'s own clock reads to the host side, calibration included', () => {
    let t = 0;
    const now = (): number => (t += 0.001);
    const imports = { fastly_http_req: { send: () => ((t += 0.5), 0) } };
    const accounted = withHostTime(imports, now);
    const calibration = t;
    (accounted.imports as typeof imports).fastly_http_req.send();
    // 0.5 inside the call, one read inside the window, one outside it (calibrated), and the calibration loop.
    expect(accounted.hostMs()).toBeCloseTo(0.5 + 0.001 + 0.001 + calibration, 2);
    expect(accounted.hostMs()).toBeGreaterThan(0.5 + calibration - 0.002);
  });
});

describe('host time at the guest\'s vCPU reads', () => {
  it('records the sum so far at each get_vcpu_ms, so a phase between two reads splits into host and guest', () => {
    let t = 0;
    const imports = {
      fastly_compute_runtime: { get_vcpu_ms: () => 0 },
      fastly_geo: { lookup: () => ((t += 0.25), 0) },
    };
    const accounted = withHostTime(imports, () => t);
    const wrapped = accounted.imports as typeof imports;
    wrapped.fastly_compute_runtime.get_vcpu_ms();
    t += 1;
    wrapped.fastly_geo.lookup();
    wrapped.fastly_geo.lookup();
    wrapped.fastly_compute_runtime.get_vcpu_ms();
    expect(accounted.atVcpuReads).toHaveLength(2);
    expect(accounted.atVcpuReads[1]! - accounted.atVcpuReads[0]!).toBeCloseTo(0.5, 10);
  });
});
