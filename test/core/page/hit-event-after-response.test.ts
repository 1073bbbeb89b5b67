/**
 * A stored page's decision event is written after its response has gone (page-run.ts
 * `afterResponse`): the handler's promise settles before the event is built, the event is written
 * exactly once afterwards with the fields the page's assembly logged, and the bytes are the
 * stored page's. The runtime sends the response in its reaction to the handler's promise; the
 * test's own `await` of that promise stands in for it.
 */
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../src/core/handler.ts';
import { makeContext, makeDeps, type TestDeps } from '../../support/make-deps.ts';

const ESI_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'surrogate-control': 'content="ESI/1.0", max-age=60', 'cache-control': 'max-age=60' };
const TEMPLATE = '<html><body><esi:include src="/fragments/hello"/><esi:vars>$(DEVICE)</esi:vars></body></html>';

function stack(): TestDeps {
  return makeDeps({
    backends: {
      templates: () => new Response(TEMPLATE, { headers: ESI_HEADERS }),
      fragments: () => new Response('<p>hello</p>', { headers: { 'content-type': 'text/html', 'cache-control': 'max-age=60' } }),
    },
    config: { settings: JSON.stringify({ debugHeaders: true }) },
  });
}

/** One request: the bytes, the events written by the time the handler's promise settled, and all of them once its kept work is done. */
async function view(deps: TestDeps, id: string) {
  const context = makeContext(id);
  const before = deps.events().length;
  const response = await createHandler(deps)(new Request('https://shop.example/'), context);
  const atResponse = deps.events().length - before;
  const bytes = new Uint8Array(await response.arrayBuffer());
  await context.settled();
  return { response, bytes, atResponse, events: deps.events().slice(before) };
}

describe("a stored page's decision event", () => {
  it('is written once, after the response, with the fields the assembled page logged, and the bytes are unchanged', async () => {
    const deps = stack();
    const miss = await view(deps, 'req-miss');
    const hit = await view(deps, 'req-hit');
    expect(hit.response.headers.get('x-personalization')).toMatch(/cache=HIT/);
    expect(hit.atResponse).toBe(0);
    expect(hit.events).toHaveLength(1);
    const [missEvent, hitEvent] = [miss.events[0]!, hit.events[0]!];
    expect(Object.keys(hitEvent)).toEqual(Object.keys(missEvent));
    for (const field of ['v', 'pop', 'path', 'status', 'segment', 'variants', 'consent', 'geo', 'device', 'visitor', 'exposed']) expect(hitEvent[field]).toEqual(missEvent[field]);
    expect(hitEvent).toMatchObject({ requestId: 'req-hit', pageCache: 'HIT', template: { cache: 'HIT', ms: 0 }, fragments: [] });
    expect(hitEvent.ttfbMs as number).toBeLessThanOrEqual(hitEvent.totalMs as number);
    expect(hit.bytes).toEqual(miss.bytes);
  });

  it('leaves the answer as it was when the log sink throws after the response: the failure is the kept work\'s', async () => {
    const deps = stack();
    await view(deps, 'req-miss');
    deps.emit = () => {
      throw new Error('log sink broke');
    };
    const kept: Array<Promise<unknown>> = [];
    const context = { ...makeContext('req-hit'), waitUntil: (work: Promise<unknown>) => void kept.push(work) };
    const response = await createHandler(deps)(new Request('https://shop.example/'), context);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<p>hello</p>');
    const outcomes = await Promise.allSettled(kept);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String(o.reason))).toEqual(['Error: log sink broke']);
  });
});
