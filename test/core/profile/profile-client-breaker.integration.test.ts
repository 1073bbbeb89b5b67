/**
 * The circuit breaker as lookupProfile uses it with an msw store: it opens after repeated
 * failures, skips during the cool-down, lets one probe through, and recovers.
 */
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../../setup/msw-server.ts';
import { createProfileHarness, PROFILE_ROUTE, storeProfile } from './profile-harness.ts';
import type { ProfileHarness } from './profile-harness.ts';

type Mode = 'down' | 'up' | 'slow';

function store(initial: Mode) {
  const state = { mode: initial, asked: 0 };
  server.use(
    http.get(PROFILE_ROUTE, async ({ params }) => {
      state.asked++;
      if (state.mode === 'down') return HttpResponse.error();
      if (state.mode === 'slow') await delay(1_000);
      return HttpResponse.json(storeProfile(String(params.id)));
    }),
  );
  return state;
}

/** Lookups without the per-visitor cache, so every one is a store decision. */
async function lookups(harness: ProfileHarness, n: number) {
  const outcomes: string[] = [];
  for (let i = 0; i < n; i++) {
    outcomes.push((await harness.lookup({ cacheId: null })).outcome);
    await harness.settle();
  }
  return outcomes;
}

describe('lookupProfile behind the circuit breaker', () => {
  it('opens after 5 consecutive network errors and then skips without asking the store', async () => {
    const origin = store('down');
    const harness = createProfileHarness();
    expect(await lookups(harness, 5)).toEqual(['error', 'error', 'error', 'error', 'error']);
    const skipped = await harness.lookup({ cacheId: null });
    expect(skipped).toMatchObject({ outcome: 'skipped', reason: 'breaker-open', profile: null });
    expect(origin.asked).toBe(5);
  });

  it('counts timeouts as failures', async () => {
    store('slow');
    const harness = createProfileHarness({ settings: { profileTimeoutMs: 10 } });
    expect(await lookups(harness, 6)).toEqual(['timeout', 'timeout', 'timeout', 'timeout', 'timeout', 'skipped']);
  });

  const big = JSON.stringify({ ...storeProfile(), padding: 'x'.repeat(70 * 1024) });
  const garbage = [
    { name: 'an HTML page', answer: () => new HttpResponse('<html>', { headers: { 'content-type': 'text/html' } }), outcome: 'invalid' },
    { name: 'a body that is not JSON', answer: () => new HttpResponse('{"id":', { headers: { 'content-type': 'application/json' } }), outcome: 'invalid' },
    { name: 'JSON that is not a profile', answer: () => HttpResponse.json({ id: 42, tier: ['x'] }), outcome: 'invalid' },
    { name: 'a declared oversized body', answer: () => new HttpResponse(big, { headers: { 'content-type': 'application/json', 'content-length': String(big.length) } }), outcome: 'too-large' },
    { name: 'an oversized body without a length', answer: () => new HttpResponse(chunked(big), { headers: { 'content-type': 'application/json' } }), outcome: 'too-large' },
  ];

  it.each(garbage)('opens after 5 answers that are $name, like any other failure', async ({ answer, outcome }) => {
    let asked = 0;
    server.use(http.get(PROFILE_ROUTE, () => (asked++, answer())));
    const harness = createProfileHarness();
    expect(await lookups(harness, 6)).toEqual([...Array<string>(5).fill(outcome), 'skipped']);
    expect(asked).toBe(5);
  });

  it('re-opens when the half-open probe gets a garbage answer', async () => {
    const origin = store('down');
    const harness = createProfileHarness();
    await lookups(harness, 5);
    harness.clock.advance(10_000);
    server.use(http.get(PROFILE_ROUTE, () => (origin.asked++, new HttpResponse('oops', { headers: { 'content-type': 'text/plain' } }))));
    expect(await lookups(harness, 2)).toEqual(['invalid', 'skipped']);
    expect(origin.asked).toBe(6);
  });

  it('resets the garbage count when a good answer comes in between', async () => {
    let good = false;
    server.use(http.get(PROFILE_ROUTE, ({ params }) => (good ? HttpResponse.json(storeProfile(String(params.id))) : new HttpResponse('<html>', { headers: { 'content-type': 'text/html' } }))));
    const harness = createProfileHarness();
    await lookups(harness, 4);
    good = true;
    await lookups(harness, 1);
    good = false;
    expect(await lookups(harness, 4)).toEqual(Array(4).fill('invalid'));
  });

  it('keeps skipping through the cool-down and recovers through a successful probe', async () => {
    const origin = store('down');
    const harness = createProfileHarness({ options: { cooldownMs: 10_000 } });
    await lookups(harness, 5);
    harness.clock.advance(9_000);
    expect(await lookups(harness, 2)).toEqual(['skipped', 'skipped']);
    origin.mode = 'up';
    harness.clock.advance(1_000);
    expect(await lookups(harness, 3)).toEqual(['hit', 'hit', 'hit']);
    expect(origin.asked).toBe(8);
  });

  it('re-opens when the probe fails', async () => {
    const origin = store('down');
    const harness = createProfileHarness();
    await lookups(harness, 5);
    harness.clock.advance(10_000);
    expect(await lookups(harness, 3)).toEqual(['error', 'skipped', 'skipped']);
    expect(origin.asked).toBe(6);
  });

  it('skips other lookups while the half-open probe is in flight', async () => {
    const origin = store('down');
    const harness = createProfileHarness({ settings: { profileTimeoutMs: 2_000 } });
    await lookups(harness, 5);
    harness.clock.advance(10_000);
    origin.mode = 'slow';
    const probe = harness.lookup({ cacheId: null });
    await expect.poll(() => origin.asked).toBe(6);
    expect(await harness.lookup({ cacheId: null })).toMatchObject({ outcome: 'skipped', reason: 'breaker-open' });
    expect((await probe).outcome).toBe('hit');
    await harness.settle();
    expect((await harness.lookup({ cacheId: null })).outcome).toBe('hit');
  });

  it('still serves cached profiles while the breaker is open', async () => {
    const origin = store('up');
    const harness = createProfileHarness();
    await harness.lookup();
    await harness.settle();
    origin.mode = 'down';
    await lookups(harness, 5);
    expect(await harness.lookup()).toMatchObject({ outcome: 'cached', profile: { id: 'u00042' } });
  });

  it('honours a custom failure threshold', async () => {
    store('down');
    const harness = createProfileHarness({ options: { failureThreshold: 2 } });
    expect(await lookups(harness, 3)).toEqual(['error', 'error', 'skipped']);
  });
});

/** A body streamed in 8 KiB pieces with no Content-Length. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + 8192));
      at += 8192;
    },
  });
}
