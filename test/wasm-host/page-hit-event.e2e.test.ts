/**
 * On the compiled guest, a stored page's response leaves before its decision event is written
 * (page-run.ts `afterResponse`): in the hit's hostcall timeline `http_resp.send_downstream` comes
 * before `log.write`, the event is still written exactly once (kept alive by `waitUntil`, or it
 * would die with the response), with the fields the assembled page logged, and the bytes are the
 * assembled page's.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWasm } from '../../wasm-host/wasm-build.ts';
import { startWasmStack, type WasmStack } from './wasm-stack.ts';

await ensureWasm('bin/main.wasm').catch(() => undefined);
const noWasm = !existsSync('bin/main.wasm');
let stack: WasmStack;

beforeAll(async () => {
  if (!noWasm) stack = await startWasmStack({ workers: 1, timeline: true });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

/** One anonymous view: its bytes, its events, and its instance's timeline (the last fd 2 text). */
async function view(path: string) {
  const before = stack.events('personalization_events').length;
  const response = await fetch(stack.url(path));
  const bytes = new Uint8Array(await response.arrayBuffer());
  await stack.host.settled();
  const timeline = [...stack.guestOutput].reverse().find((text) => text.includes('hostcalls')) ?? '';
  return { cache: /cache=(\w+)/.exec(response.headers.get('x-personalization') ?? '')?.[1], bytes, events: stack.events('personalization_events').slice(before), timeline };
}

describe.skipIf(noWasm)("a stored page's decision event on the Wasm host", () => {
  it('is written once, after the response was sent, with the fields the assembly logged, and the bytes are unchanged', async () => {
    const path = '/category/running?hit=event';
    const miss = await view(path);
    const hit = await view(path);
    expect([miss.cache, hit.cache]).toEqual(['MISS', 'HIT']);
    expect(hit.events).toHaveLength(1);
    const [missEvent, hitEvent] = [miss.events[0]!, hit.events[0]!];
    expect(Object.keys(hitEvent)).toEqual(Object.keys(missEvent));
    for (const field of ['v', 'pop', 'path', 'status', 'segment', 'variants', 'consent', 'geo', 'device', 'visitor', 'exposed']) expect(hitEvent[field]).toEqual(missEvent[field]);
    expect(hitEvent).toMatchObject({ pageCache: 'HIT', template: { cache: 'HIT', ms: 0 }, fragments: [] });
    expect(hit.bytes).toEqual(miss.bytes);
    const calls = hit.timeline.split('\n').map((line) => /\s(\S+\.\S+)\s[\d.]+$/.exec(line)?.[1]).filter(Boolean);
    expect(calls.indexOf('http_resp.send_downstream')).toBeGreaterThan(0);
    expect(calls.indexOf('log.write')).toBeGreaterThan(calls.indexOf('http_resp.send_downstream'));
  });
});
