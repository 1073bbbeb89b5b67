/**
 * The template breaker is read where the origin would be asked (the port's `OriginGate`), not on
 * every template fetch: a template the readthrough cache holds reads no breaker, and a miss keeps
 * the breaker's contract (README "Template origin hanging"): open, the origin is not asked and the
 * last good copy or the failure answers at once; half-open, the request answers at once and one
 * probe, past the readthrough, closes it; a miss that times out opens it before it answers, and
 * so does a stale copy's background revalidation that times out or goes unanswered past its deadline.
 */
import { describe, expect, it, vi } from 'vitest';
import { fetchTemplate, type TemplateFetch } from '../../../src/core/page/template-fetch.ts';
import { TEMPLATE_BREAKER_OPTIONS, TEMPLATES_BREAKER_KEY } from '../../../src/core/page/template-breaker.ts';
import { REVALIDATION_DEADLINE_MS } from '../../../src/core/page/template-revalidation.ts';
import { peekBreaker } from '../../../src/core/backend/circuit-breaker.ts';
import { writeState } from '../../../src/core/backend/breaker-state.ts';
import { writeStaleTemplate } from '../../../src/core/page/stale-template.ts';
import { backendPort, throughGate } from '../../../src/core/backend/backend-port.ts';
import { normalizeUrl } from '../../../src/core/cache-key/url-normalize.ts';
import type { BackendFetchOptions } from '../../../src/core/ports.ts';
import { makeContext, makeDeps, type TestDeps } from '../../support/make-deps.ts';

const HEADERS = { 'content-type': 'text/html', 'surrogate-control': 'content="ESI/1.0", max-age=60' };
type Origin = () => Promise<Response>;

/** A readthrough cache in front of `origin`: a stored key answers without asking the gate; `stale` keys answer at once and revalidate in the background. */
function stand(origin: Origin) {
  const deps: TestDeps = makeDeps();
  const seen = { breakerReads: 0, origin: [] as BackendFetchOptions[] };
  const stored = new Set<string>();
  const stale = new Set<string>();
  /** Stale keys revalidated only after the call has answered, as the HTTP cache's `beforeSend` on Compute. */
  const late = new Set<string>();
  /** Keys answered by a stale-if-error copy once the origin request fails, the failure told first (Compute's `maskedError`). */
  const ifError = new Set<string>();
  const lookup = deps.cache.lookup.bind(deps.cache);
  deps.cache.lookup = (key) => {
    if (key === TEMPLATES_BREAKER_KEY) seen.breakerReads++;
    return lookup(key);
  };
  const ask = (options: BackendFetchOptions) =>
    throughGate(options.gate, () => {
      seen.origin.push(options);
      return origin();
    });
  deps.fetchBackend = backendPort(async (_backend, _request, options) => {
    const key = options.cacheKey ?? '';
    if (stored.has(key)) return { response: new Response('<p>held</p>', { headers: HEADERS }), cache: 'HIT' };
    if (ifError.has(key)) {
      const failed = await ask(options).then(() => false, () => true);
      if (failed) return { response: new Response('<p>stale</p>', { headers: HEADERS }), cache: 'STALE' };
    }
    if (stale.has(key) || late.has(key)) {
      const revalidate = () => void ask(options).catch(() => undefined);
      if (late.has(key)) setTimeout(revalidate, 0);
      else revalidate();
      return { response: new Response('<p>stale</p>', { headers: HEADERS }), cache: 'STALE' };
    }
    const response = await ask(options);
    if (!options.pass) stored.add(key);
    return { response, cache: options.pass ? 'PASS' : 'MISS' };
  });
  return { deps, seen, stored, stale, late, ifError };
}

const healthy: Origin = () => Promise.resolve(new Response('<p>fresh</p>', { headers: HEADERS }));
const hanging: Origin = () => Promise.reject(new DOMException('HTTP response timeout', 'NetworkError'));

async function fetchPage(deps: TestDeps, path: string, context = makeContext()): Promise<{ fetched: TemplateFetch; settled: () => Promise<void> }> {
  const fetched = await fetchTemplate(deps, context, normalizeUrl(`https://shop.example${path}`), 'en-GB', `tpl:${path}`);
  if (fetched.ok) await fetched.response.body?.cancel();
  return { fetched, settled: () => context.settled() };
}

/** The origin saw exactly one request, the probe past the readthrough, and it closed the breaker. */
async function expectOneProbeThatClosed(deps: TestDeps, seen: { origin: BackendFetchOptions[] }): Promise<void> {
  expect(seen.origin.map((o) => o.pass)).toEqual([true]);
  expect((await peekBreaker(deps.cache, TEMPLATES_BREAKER_KEY)).state).toBe('closed');
}

/** The breaker's entry read a few ms late, as one holding a body is on Compute: a stale copy answers before its revalidation is admitted. */
function slowBreakerRead<T extends { deps: TestDeps }>(stood: T): T {
  const lookup = stood.deps.cache.lookup.bind(stood.deps.cache);
  stood.deps.cache.lookup = (key) => (key === TEMPLATES_BREAKER_KEY ? new Promise((resolve) => setTimeout(() => resolve(lookup(key)), 5)) : lookup(key));
  return stood;
}

const open = (deps: TestDeps) => writeState(deps.cache, TEMPLATES_BREAKER_KEY, { s: 'open' }, TEMPLATE_BREAKER_OPTIONS);
const keepCopy = (deps: TestDeps, path: string) => writeStaleTemplate(deps.cache, `tpl:${path}|en-GB`, new Headers(HEADERS), new TextEncoder().encode('<p>last good</p>'));

describe('the template breaker, read where the origin would be asked', () => {
  it('is not read for a template the readthrough holds, closed or open', async () => {
    const { deps, seen } = stand(healthy);
    expect((await fetchPage(deps, '/a')).fetched).toMatchObject({ ok: true, cache: 'MISS' });
    expect(seen.breakerReads).toBe(1);
    expect((await fetchPage(deps, '/a')).fetched).toMatchObject({ ok: true, cache: 'HIT' });
    await open(deps);
    expect((await fetchPage(deps, '/a')).fetched).toMatchObject({ ok: true, cache: 'HIT' });
    expect(seen.breakerReads).toBe(1);
    expect(seen.origin).toHaveLength(1);
  });

  it('keeps the origin unasked on a miss while open: the last good copy, else the failure', async () => {
    const { deps, seen } = stand(healthy);
    await open(deps);
    await keepCopy(deps, '/kept');
    expect((await fetchPage(deps, '/kept')).fetched).toMatchObject({ ok: true, cache: 'STALE' });
    expect((await fetchPage(deps, '/never-seen')).fetched).toMatchObject({ ok: false, reason: 'breaker-open' });
    expect(seen.origin).toHaveLength(0);
  });

  it('answers a half-open miss at once and sends one probe past the readthrough, which closes the breaker', async () => {
    let back: () => void = () => undefined;
    const backSoon = new Promise<void>((resolve) => (back = resolve));
    const { deps, seen } = stand(() => backSoon.then(healthy));
    await open(deps);
    await keepCopy(deps, '/kept');
    deps.advance(TEMPLATE_BREAKER_OPTIONS.cooldownMs + 1);
    const first = await fetchPage(deps, '/kept');
    expect(first.fetched).toMatchObject({ ok: true, cache: 'STALE' });
    // While the probe is out, another miss reads the probe's lease and answers at once too.
    expect((await fetchPage(deps, '/kept')).fetched).toMatchObject({ ok: true, cache: 'STALE' });
    back();
    await first.settled();
    await expectOneProbeThatClosed(deps, seen);
  });

  it('still sends the probe a stale copy\'s revalidation claimed while its call was unanswered', async () => {
    const { deps, seen, stale } = stand(healthy);
    await open(deps);
    deps.advance(TEMPLATE_BREAKER_OPTIONS.cooldownMs + 1);
    stale.add('tpl:/swr');
    const { fetched, settled } = await fetchPage(deps, '/swr');
    expect(fetched).toMatchObject({ ok: true, cache: 'STALE' });
    await settled();
    await expectOneProbeThatClosed(deps, seen);
  });

  describe("a stale copy's revalidation whose breaker read settles after the call answered, half-open (as on Compute)", () => {
    /** A stale `/swr` answered at once; the breaker's lookup settles later; `waitUntil` throws once the response has gone, as js-compute's does. */
    async function lateHalfOpen(origin: Origin) {
      const stood = slowBreakerRead(stand(origin));
      await open(stood.deps);
      stood.deps.advance(TEMPLATE_BREAKER_OPTIONS.cooldownMs + 1);
      stood.stale.add('tpl:/swr');
      const context = makeContext();
      let sent = false;
      let late = 0;
      const keep = context.waitUntil;
      context.waitUntil = (work) => {
        if (sent) {
          late++;
          throw new Error('FetchEvent#waitUntil called on inactive event');
        }
        keep(work);
      };
      expect((await fetchPage(stood.deps, '/swr', context)).fetched).toMatchObject({ ok: true, cache: 'STALE' });
      sent = true;
      await context.settled();
      return { ...stood, lateCalls: () => late };
    }

    it('is the probe itself: the one origin request, through the readthrough, and its answer closes the breaker', async () => {
      const { deps, seen, lateCalls } = await lateHalfOpen(healthy);
      expect(seen.origin.map((o) => o.pass)).toEqual([undefined]);
      expect(lateCalls()).toBe(0);
      expect((await peekBreaker(deps.cache, TEMPLATES_BREAKER_KEY)).state).toBe('closed');
    });

    it('re-opens the breaker when the origin times out', async () => {
      const { deps, seen } = await lateHalfOpen(hanging);
      expect(seen.origin).toHaveLength(1);
      expect((await peekBreaker(deps.cache, TEMPLATES_BREAKER_KEY)).state).toBe('open');
    });

    it('holds the probe lease while it is out: a miss meanwhile answers at once and asks no origin', async () => {
      let back: () => void = () => undefined;
      const backSoon = new Promise<void>((resolve) => (back = resolve));
      const stood = slowBreakerRead(stand(() => backSoon.then(healthy)));
      await open(stood.deps);
      stood.deps.advance(TEMPLATE_BREAKER_OPTIONS.cooldownMs + 1);
      stood.stale.add('tpl:/swr');
      const first = await fetchPage(stood.deps, '/swr');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(stood.seen.origin).toHaveLength(1);
      expect((await fetchPage(stood.deps, '/miss')).fetched).toMatchObject({ ok: false, reason: 'breaker-open' });
      expect(stood.seen.origin).toHaveLength(1);
      back();
      await first.settled();
      expect((await peekBreaker(stood.deps.cache, TEMPLATES_BREAKER_KEY)).state).toBe('closed');
    });

    it('stays refused, and keeps nothing, while the breaker is open within its cool-down', async () => {
      const { deps, seen, stale } = slowBreakerRead(stand(healthy));
      await open(deps);
      stale.add('tpl:/swr');
      const { settled } = await fetchPage(deps, '/swr');
      await settled();
      expect(seen.origin).toHaveLength(0);
      expect((await peekBreaker(deps.cache, TEMPLATES_BREAKER_KEY)).state).toBe('open');
    });
  });

  it('opens on a miss that timed out, before that miss answers', async () => {
    const { deps, seen } = stand(hanging);
    expect((await fetchPage(deps, '/hangs')).fetched).toMatchObject({ ok: false, reason: 'timeout' });
    expect((await peekBreaker(deps.cache, TEMPLATES_BREAKER_KEY)).state).toBe('open');
    expect((await fetchPage(deps, '/hangs-too')).fetched).toMatchObject({ ok: false, reason: 'breaker-open' });
    expect(seen.origin).toHaveLength(1);
  });

  describe("a stale copy's background revalidation, let through closed", () => {
    const never: Origin = () => new Promise<Response>(() => undefined);
    const breaker = async (deps: TestDeps) => (await peekBreaker(deps.cache, TEMPLATES_BREAKER_KEY)).state;

    /** A stale copy of `/swr` answered at once; its revalidation asks `origin`, during the call or (`late`) after it answered. */
    async function revalidating(origin: Origin, late = false) {
      const stood = stand(origin);
      (late ? stood.late : stood.stale).add('tpl:/swr');
      const context = makeContext();
      const { fetched } = await fetchPage(stood.deps, '/swr', context);
      expect(fetched).toMatchObject({ ok: true, cache: 'STALE' });
      return { ...stood, context };
    }

    it('opens the breaker when the origin times out, as a miss that timed out would', async () => {
      const { deps, seen, context } = await revalidating(hanging);
      await context.settled();
      expect(seen.origin).toHaveLength(1);
      expect(await breaker(deps)).toBe('open');
    });

    it.each([false, true])('opens it when the origin never answers, once the deadline has passed (gate asked after the answer: %s)', async (late) => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        const { deps, seen, context } = await revalidating(never, late);
        await vi.advanceTimersByTimeAsync(REVALIDATION_DEADLINE_MS - 1);
        expect(seen.origin).toHaveLength(1);
        expect(await breaker(deps)).toBe('closed');
        await vi.advanceTimersByTimeAsync(1);
        await context.settled();
        expect(await breaker(deps)).toBe('open');
      } finally {
        vi.useRealTimers();
      }
    });

    it('keeps the record from the answer when the breaker\'s read settles after the response, as seen on Compute', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        const { deps, seen, stale } = stand(never);
        stale.add('tpl:/swr');
        // The breaker entry holds a body to read: its lookup settles later than the stale answer.
        await writeState(deps.cache, TEMPLATES_BREAKER_KEY, { s: 'closed', f: 0 }, TEMPLATE_BREAKER_OPTIONS);
        const lookup = deps.cache.lookup.bind(deps.cache);
        deps.cache.lookup = (key) => (key === TEMPLATES_BREAKER_KEY ? new Promise((resolve) => setTimeout(() => resolve(lookup(key)), 5)) : lookup(key));
        // js-compute's waitUntil throws once the event is inactive (the response gone, nothing kept).
        const context = makeContext();
        let sent = false;
        let late = 0;
        const kept: Array<Promise<unknown>> = [];
        const waitUntil = context.waitUntil;
        context.waitUntil = (work) => {
          if (sent) late++;
          kept.push(work);
          waitUntil(work);
        };
        expect((await fetchPage(deps, '/swr', context)).fetched).toMatchObject({ ok: true, cache: 'STALE' });
        sent = true;
        let done = false;
        void Promise.all(kept).then(() => (done = true));
        await vi.advanceTimersByTimeAsync(REVALIDATION_DEADLINE_MS);
        expect([seen.origin.length, late, done]).toEqual([1, 0, false]);
        await vi.advanceTimersByTimeAsync(10);
        expect(done).toBe(true);
        deps.cache.lookup = lookup;
        expect(await breaker(deps)).toBe('open');
      } finally {
        vi.useRealTimers();
      }
    });

    it.each([
      { name: 'a timeout opens it', origin: hanging, state: 'open' },
      { name: 'a refused connection leaves it closed', origin: () => Promise.reject(new TypeError('connection refused')), state: 'closed' },
    ])('records a stale-if-error copy\'s failed origin request at once, told before the answer: $name', async ({ origin, state }) => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        const { deps, seen, ifError } = stand(origin);
        ifError.add('tpl:/sie');
        const context = makeContext();
        expect((await fetchPage(deps, '/sie', context)).fetched).toMatchObject({ ok: true, cache: 'STALE' });
        await context.settled();
        expect(vi.getTimerCount()).toBe(0);
        expect(seen.origin).toHaveLength(1);
        expect(await breaker(deps)).toBe(state);
      } finally {
        vi.useRealTimers();
      }
    });

    it('leaves it closed, and waits for no deadline, when the origin answers or fails fast', async () => {
      for (const origin of [healthy, () => Promise.resolve(new Response('down', { status: 503 })), () => Promise.reject(new TypeError('connection refused'))]) {
        const { deps, seen, context } = await revalidating(origin);
        await context.settled();
        expect(seen.origin).toHaveLength(1);
        expect(await breaker(deps)).toBe('closed');
      }
    });
  });
});
