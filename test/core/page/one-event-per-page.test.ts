/**
 * One decision event per page request, whatever its answer (DESIGN §1.6): a template answering a
 * status that has no body (204, 205, 304) while opting in to ESI gets the head alone, not a 500
 * (a Response with a body throws on those statuses, and the page was assembled into one); and if
 * building the response throws anyway, the handler's 500 is logged once, as a 500, for a stored
 * page and an assembled one alike.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../../src/core/handler.ts';
import { makeContext, makeDeps, type TestDeps } from '../../support/make-deps.ts';
import type * as responses from '../../../src/core/page/page-response.ts';

const broken = vi.hoisted(() => ({ next: false }));
vi.mock('../../../src/core/page/page-response.ts', async (original) => {
  const real = await original<typeof responses>();
  return {
    ...real,
    pageResponse: (leaving: Parameters<typeof real.pageResponse>[0]) => {
      if (broken.next) throw new TypeError('the response could not be built');
      return real.pageResponse(leaving);
    },
  };
});
afterEach(() => void (broken.next = false));

const ESI_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'surrogate-control': 'content="ESI/1.0", max-age=60' };
const TEMPLATE = '<html><body><esi:vars>$(DEVICE)</esi:vars></body></html>';

async function view(deps: TestDeps) {
  const context = makeContext();
  const before = deps.events().length;
  const response = await createHandler(deps)(new Request('https://shop.example/p'), context);
  const body = await response.text();
  await context.settled();
  return { status: response.status, body, events: deps.events().slice(before).map((e) => `${String(e.status)} ${String(e.pageCache)}`) };
}

describe('one decision event per page request', () => {
  it.each([204, 205, 304])('answers an ESI template of status %i with the head alone and logs it once', async (status) => {
    const deps = makeDeps({ backends: { templates: () => new Response(null, { status, headers: ESI_HEADERS }) } });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await view(deps)).toEqual({ status, body: '', events: [`${status} BYPASS`] });
  });

  it('logs the 500 once when the response cannot be built, for an assembled page and a stored one', async () => {
    const deps = makeDeps({ backends: { templates: () => new Response(TEMPLATE, { headers: ESI_HEADERS }) } });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    broken.next = true;
    expect(await view(deps)).toMatchObject({ status: 500, events: ['500 MISS'] });
    broken.next = false;
    expect(await view(deps)).toMatchObject({ status: 200, events: ['200 MISS'] });
    broken.next = true;
    expect(await view(deps)).toMatchObject({ status: 500, events: ['500 HIT'] });
  });
});
