/**
 * Output amplification (docs/threat-model.md#include-bombs; Compute limits: 128 MB heap): identical
 * includes are fetched once but inserted as often as named, so a small template repeating one
 * 256 KiB fragment 1,000 times made a 250 MiB page, and 100,000 `$(QUERY_STRING{q})` with a
 * 4,000-character `q` a 1.5 GiB one (2.3 GiB of Node host memory, 21 s). The page's inserted bytes
 * are capped (MAX_INSERTED_BYTES, of which MAX_VARIABLE_BYTES for variable values): past the cap
 * includes fail as `skipped` and vars text is left unsubstituted, the rest of the template streams,
 * the page answers 200, the event and one diagnostics line say so, and the page is never stored.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_INSERTED_BYTES, MAX_PAGE_OUTPUT_BYTES, MAX_VARIABLE_BYTES, MAX_VARIABLE_VALUES } from '../../src/core/esi/esi-limits.ts';
import type { MockHandler } from './support/mock-origin.ts';
import { ESI_HEADERS, send } from './support/mock-origin.ts';
import { startMockStack, type MockStack } from './support/mock-stack.ts';
import { counted, get } from './support/http-client.ts';

const SOURCE = 'threat model: include bombs (output amplification); Fastly Compute 128 MB heap';
const BIG = Buffer.alloc(256 * 1024, 0x42);
const FULL = MAX_INSERTED_BYTES / BIG.length;
const include = (src: string, extra = ''): string => `<esi:include src="${src}"${extra}/>`;
const repeated = (count: number, tail = ''): string => `<main>${include('/fragments/big').repeat(count)}${tail}</main><p>end-page</p>`;

const REFERENCE = '$(QUERY_STRING{q})';
const TEMPLATES: Record<string, string> = {
  // 2 MiB of `$(DECISION)`: each a part waiting for the signed token; uncapped a 21 MiB page (340 MiB RSS) and, in the guest, a broken one.
  '/amp/decision': `<main><esi:vars>${'$(DECISION)'.repeat(190_000)}</esi:vars></main><p>end-page</p>`,
  // 1.8 MB of references to one query parameter: with a 4,000-character value, 1.5 GiB uncapped.
  '/amp/vars': `<main><esi:vars>${REFERENCE.repeat(100_000)}</esi:vars></main><p>end-page</p>`,
  '/amp/1000': repeated(1000),
  '/amp/full': repeated(FULL),
  '/amp/over': repeated(FULL + 1),
  // The attempt fills the budget and gives way (a refused include), so the page is small enough to store but for the capped include after it.
  '/amp/stored-without-cap': `<esi:try><esi:attempt>${include('/fragments/big').repeat(FULL - 1)}${include('http://evil.example/x')}</esi:attempt><esi:except><p>fallback</p></esi:except></esi:try><p>end-page</p>`,
  '/amp/not-stored': `<esi:try><esi:attempt>${include('/fragments/big').repeat(FULL)}${include('http://evil.example/x')}</esi:attempt><esi:except><p>fallback</p></esi:except></esi:try>${include('/fragments/big', ' onerror="continue"')}<p>end-page</p>`,
};

const templates: MockHandler = (req, res) => {
  const body = TEMPLATES[req.url.pathname];
  return body === undefined ? send(res, 404, 'none') : send(res, 200, body, ESI_HEADERS);
};
const fragments: MockHandler = (_req, res) => send(res, 200, BIG, { 'cache-control': 'public, max-age=60' });

let stack: MockStack;
beforeAll(async () => {
  stack = await startMockStack({ handlers: { templates, fragments } });
});
afterAll(async () => {
  await stack.close();
});

/** The page counted, not held (a broken cap would send 250 MiB). */
function measured(path: string): Promise<{ status: number; bytes: number; tail: string }> {
  return counted(stack.url(path));
}

async function eventFor(path: string): Promise<Record<string, unknown> | undefined> {
  await stack.quiet();
  return stack.events().filter((event) => event.path === path).at(-1);
}

describe(`output amplification (source: ${SOURCE})`, () => {
  it('bounds 1,000 includes of one 256 KiB fragment to the cap, with the rest of the template, a 200 and one problem line', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const page = await measured('/amp/1000');
      const event = await eventFor('/amp/1000');
      expect(page.status).toBe(200);
      expect(page.bytes).toBe(MAX_INSERTED_BYTES + '<main></main><p>end-page</p>'.length);
      expect(page.bytes).toBeLessThanOrEqual(MAX_PAGE_OUTPUT_BYTES);
      expect(page.tail.endsWith('B</main><p>end-page</p>')).toBe(true);
      expect(stack.origins.fragments.count('/fragments/big')).toBe(1);
      expect(event?.esiOutputCapped).toBe(1000 - FULL);
      const lines = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('past the page'));
      expect(lines).toEqual([`esi: ${1000 - FULL} problems: includes skipped or vars text left unsubstituted past the page's caps (6 MiB inserted; 1000 variables, 64 KiB) ×${1000 - FULL}`]);
    } finally {
      warn.mockRestore();
    }
  });

  it('inserts a page that fills the cap exactly, and skips one include more', async () => {
    const full = await measured('/amp/full');
    expect(full.status).toBe(200);
    expect(full.bytes).toBe(MAX_INSERTED_BYTES + '<main></main><p>end-page</p>'.length);
    expect((await eventFor('/amp/full'))?.esiOutputCapped).toBeUndefined();
    const over = await measured('/amp/over');
    expect(over.status).toBe(200);
    expect(over.bytes).toBe(full.bytes);
    expect(over.tail.endsWith('</main><p>end-page</p>')).toBe(true);
    const event = await eventFor('/amp/over');
    expect(event?.esiOutputCapped).toBe(1);
    expect((event?.fragments as Array<{ outcome: string }>).at(-1)?.outcome).toBe('skipped');
  });

  it('leaves the rest of the vars text unsubstituted past the cap: 100,000 references to a 2,000-character query parameter', async () => {
    // 2,000 × `%3C` keeps the URL under the 8,192 bytes both hosts accept (url-limit.ts).
    const page = await measured(`/amp/vars?q=${'%3C'.repeat(2000)}`);
    expect(page.status).toBe(200);
    // Each value is 2,000 × `&lt;`: as many as fit whole, then the references as they are.
    const value = 2000 * '&lt;'.length;
    const fit = Math.floor(MAX_VARIABLE_BYTES / value);
    expect(page.bytes).toBe(fit * value + (100_000 - fit) * REFERENCE.length + '<main></main><p>end-page</p>'.length);
    expect(page.tail.endsWith(`${REFERENCE}</main><p>end-page</p>`)).toBe(true);
    expect((await eventFor('/amp/vars'))?.esiOutputCapped).toBe(1);
  });

  it('substitutes at most 1,000 of 190,000 $(DECISION) references, the rest left as they are', async () => {
    const page = await get(stack.url('/amp/decision'));
    expect(page.status).toBe(200);
    expect(page.body.endsWith('$(DECISION)</main><p>end-page</p>')).toBe(true);
    expect(page.body.split('$(DECISION)').length - 1).toBe(190_000 - MAX_VARIABLE_VALUES);
    expect((await eventFor('/amp/decision'))?.esiOutputCapped).toBe(1);
  });

  it('never stores a page that hit the cap (a page like it without the capped include is stored)', async () => {
    for (const path of ['/amp/stored-without-cap', '/amp/not-stored']) {
      const first = await measured(path);
      expect([first.status, first.tail.endsWith('<p>fallback</p><p>end-page</p>')]).toEqual([200, true]);
      await eventFor(path);
      await measured(path);
    }
    const cacheStates = (path: string): unknown[] => stack.events().filter((event) => event.path === path).map((event) => event.pageCache);
    expect(cacheStates('/amp/stored-without-cap')).toEqual(['MISS', 'HIT']);
    expect(cacheStates('/amp/not-stored')).toEqual(['MISS', 'MISS']);
    expect((await eventFor('/amp/not-stored'))?.esiOutputCapped).toBe(1);
  });
});
