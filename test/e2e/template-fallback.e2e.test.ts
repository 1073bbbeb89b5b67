/**
 * Template origin down (docs/contracts.md#failure-policy): a stale copy when one exists, else a plain error page that is
 * not cached, so the page comes back as soon as the origin does.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useLocalStack } from './use-local-stack.ts';

// fastly.toml's 2 s first-byte timeout: a hanging origin must turn into the stale copy quickly.
const stack = useLocalStack({ backends: { templates: { first_byte_timeout_ms: 2_000 } } });

beforeEach(() => {
  stack.origin.faults.clear();
});

async function page(path: string): Promise<{ status: number; html: string }> {
  const response = await fetch(stack.url(path));
  const html = await response.text();
  await stack.edge.settled();
  return { status: response.status, html };
}

describe('template origin down', () => {
  // First: the hang case below opens the template breaker, which fails pages with no copy fast
  // until its cool-down ends (template-breaker.e2e.test.ts).
  it('serves an uncached plain error page when there is no copy, and recovers at once', async () => {
    const path = '/category/shoes?stale=never-seen';
    stack.origin.faults.set('templates', { kind: 'status', status: 503 });
    const down = await fetch(stack.url(path));
    expect(down.status).toBe(503);
    expect(down.headers.get('cache-control')).toBe('private, no-store');
    expect(await down.text()).toContain('temporarily unavailable');
    stack.origin.faults.clear();
    const up = await page(path);
    expect(up.status).toBe(200);
    expect(up.html).toContain('</html>');
  });

  it.each([
    { fault: { kind: 'status', status: 500 } as const, name: 'answers 500' },
    { fault: { kind: 'hang' } as const, name: 'hangs past the first-byte timeout' },
  ])('serves the last good copy when the origin $name', async ({ fault }) => {
    const path = `/category/outdoor?stale=${fault.kind}`;
    const good = await page(path);
    expect(good.status).toBe(200);
    // Drop the readthrough copy (as its TTL running out would), then take the origin down.
    await stack.edge.purge('template');
    stack.origin.faults.set('templates', fault);
    const before = stack.events().length;
    const during = await page(path);
    expect(during.status).toBe(200);
    expect(during.html).toContain('</html>');
    expect(during.html).not.toContain('<esi:');
    const event = stack.events().slice(before).at(-1);
    expect(event?.template).toMatchObject({ cache: 'STALE' });
  });

});
