/**
 * A hanging template origin behind the template breaker: after the first request has paid the
 * first-byte timeout, the others get the last good copy (or the fallback page) at once, and one
 * background probe at a time asks the origin whether it is back. The timeout is longer than
 * fastly.toml's 2 s so that "did not wait for it" has room on a busy machine.
 */
import { describe, expect, it } from 'vitest';
import { useLocalStack } from './use-local-stack.ts';

const FIRST_BYTE_TIMEOUT_MS = 5_000;
/** Well under the first-byte timeout: an answer this fast did not wait on the origin. */
const DID_NOT_WAIT_MS = 2_500;
/** TEMPLATE_BREAKER_OPTIONS.cooldownMs plus room. */
const AFTER_COOLDOWN_MS = 2_300;

const stack = useLocalStack({ backends: { templates: { first_byte_timeout_ms: FIRST_BYTE_TIMEOUT_MS } } });

async function timed(path: string): Promise<{ status: number; ms: number; html: string }> {
  const started = performance.now();
  const response = await fetch(stack.url(path), { signal: AbortSignal.timeout(10_000) });
  const html = await response.text();
  return { status: response.status, ms: performance.now() - started, html };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('template origin hanging', () => {
  it('serves the last good copy at once after the first timeout, probes once at a time, and closes when the origin is back', async () => {
    const path = '/category/outdoor?breaker=stale';
    expect((await timed(path)).status).toBe(200);
    await stack.edge.settled();
    await stack.edge.purge('template');
    stack.origin.faults.set('templates', { kind: 'hang' });

    const first = await timed(path);
    expect(first.status).toBe(200);
    expect(first.ms).toBeGreaterThanOrEqual(FIRST_BYTE_TIMEOUT_MS - 100);

    const before = stack.events().length;
    const askedBefore = stack.origin.requests.count('templates');
    const during = [];
    for (let i = 0; i < 20; i++) during.push(await timed(path));
    expect(stack.origin.requests.count('templates')).toBe(askedBefore);
    expect(during.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(Math.max(...during.map((r) => r.ms))).toBeLessThan(DID_NOT_WAIT_MS);
    expect(during.every((r) => r.html.includes('</html>') && !r.html.includes('<esi:'))).toBe(true);
    expect(stack.events().slice(before).map((e) => (e.template as { cache: string }).cache)).toEqual(Array(20).fill('STALE'));

    await sleep(AFTER_COOLDOWN_MS);
    const asked = stack.origin.requests.count('templates');
    const halfOpen = await Promise.all(Array.from({ length: 20 }, () => timed(path)));
    expect(Math.max(...halfOpen.map((r) => r.ms))).toBeLessThan(DID_NOT_WAIT_MS);
    await sleep(200);
    expect(stack.origin.requests.count('templates') - asked).toBe(1);

    stack.origin.faults.clear();
    await stack.edge.settled();
    await sleep(AFTER_COOLDOWN_MS);
    await timed(path);
    await stack.edge.settled();
    const mark = stack.events().length;
    await timed(path);
    await stack.edge.settled();
    expect(stack.events().slice(mark).map((e) => (e.template as { cache: string }).cache)).not.toContain('STALE');
  });

  it('fails fast with the fallback page for a page with no last good copy while the breaker is open', async () => {
    stack.origin.faults.set('templates', { kind: 'hang' });
    await timed('/category/shoes?breaker=opener');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await timed(`/category/shoes?breaker=never-seen-${i}`));
    expect(answers.map((r) => r.status)).toEqual(Array(5).fill(503));
    expect(Math.max(...answers.map((r) => r.ms))).toBeLessThan(DID_NOT_WAIT_MS);
    expect(answers[0]?.html).toContain('temporarily unavailable');
    stack.origin.faults.clear();
    await stack.edge.settled();
  });

  it("opens on a stale template's revalidation that times out, as on a miss", async () => {
    const path = '/category/outdoor?breaker=revalidation';
    // The breaker the test before left open: after its cool-down one miss probes and closes it.
    await sleep(AFTER_COOLDOWN_MS);
    for (let i = 0; i < 2; i++) {
      await timed(path);
      await stack.edge.settled();
    }
    expect(await templatesBreaker()).toBe('closed');
    // Stale inside its stale-while-revalidate window: answered from the readthrough, refreshed in the background.
    await stack.edge.purge('template', true);
    stack.origin.faults.set('templates', { kind: 'hang' });
    try {
      const stale = await timed(path);
      expect(stale.status).toBe(200);
      expect(stale.ms).toBeLessThan(DID_NOT_WAIT_MS);
      await stack.edge.settled();
      expect(await templatesBreaker()).not.toBe('closed');
    } finally {
      stack.origin.faults.clear();
      await stack.edge.settled();
    }
  });

  it('sends one probe after the cool-down when every request is answered from a stale copy, and closes', async () => {
    // The test before left the breaker open and the template stale, inside its stale-while-revalidate window.
    const path = '/category/outdoor?breaker=revalidation';
    await sleep(AFTER_COOLDOWN_MS);
    expect(await templatesBreaker()).toBe('half-open');
    const asked = stack.origin.requests.count('templates');
    const stale = await timed(path);
    expect(stale.status).toBe(200);
    await stack.edge.settled();
    expect(stack.origin.requests.count('templates') - asked).toBe(1);
    expect(await templatesBreaker()).toBe('closed');
  });
});

async function templatesBreaker(): Promise<string> {
  const health = (await (await fetch(stack.url('/__health'))).json()) as { backends: { templates: { breaker: string } } };
  return health.backends.templates.breaker;
}
