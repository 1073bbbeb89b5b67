/**
 * A HEAD request and the page cache (README: a HEAD is `BYPASS`, its page never stored): it reads
 * the page key plainly, so a stored page answers it (`HIT`, the head alone) and a miss claims no
 * fill it would only abandon after its template fetch, so a GET arriving meanwhile never waits on
 * it and fills the key itself.
 */
import { describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../../src/core/handler.ts';
import { makeContext, makeDeps, type TestDeps } from '../../support/make-deps.ts';

const ESI_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'surrogate-control': 'content="ESI/1.0", max-age=60' };
const TEMPLATE = '<html><body><esi:vars>$(DEVICE)</esi:vars></body></html>';

/** A template origin that answers only when the test lets it. */
function stack(): { deps: TestDeps; answer: () => void } {
  let answer: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (answer = resolve));
  const deps = makeDeps({
    backends: { templates: () => held.then(() => new Response(TEMPLATE, { headers: ESI_HEADERS })) },
    config: { settings: JSON.stringify({ debugHeaders: true }) },
  });
  return { deps, answer };
}

async function send(deps: TestDeps, method: 'GET' | 'HEAD') {
  const context = makeContext();
  const response = await createHandler(deps)(new Request('https://shop.example/p', { method }), context);
  const body = await response.text();
  await context.settled();
  return { cache: /cache=(\w+)/.exec(response.headers.get('x-personalization') ?? '')?.[1], body };
}

describe('a HEAD request and the page cache', () => {
  it('claims no fill on a miss, so a GET meanwhile fills the key and is not held by the HEAD', async () => {
    const { deps, answer } = stack();
    const claims = vi.spyOn(deps.cache, 'lookupOrFill');
    const head = send(deps, 'HEAD');
    await vi.waitFor(() => expect(deps.calls).toHaveLength(1));
    expect(claims).not.toHaveBeenCalled();
    const get = send(deps, 'GET');
    await vi.waitFor(() => expect(claims).toHaveBeenCalledTimes(1));
    // The GET holds the fill (it was not made to wait on the HEAD): it asked for its own template.
    await vi.waitFor(() => expect(deps.calls).toHaveLength(2));
    answer();
    expect(await head).toEqual({ cache: 'BYPASS', body: '' });
    expect((await get).cache).toBe('MISS');
    expect(await send(deps, 'HEAD')).toEqual({ cache: 'HIT', body: '' });
    expect(claims).toHaveBeenCalledTimes(1);
  });
});
