/**
 * Include bombs against the assembler (docs/threat-model.md#include-bombs; Dion-Marcil 2018 on ESI server-side DoS;
 * Fastly Compute limits: 32 backend requests, 128 MB heap): 10,000 include tags, self and mutual
 * recursion, 50 slow fragments, a 100 MB streamed template and compressed-fragment bombs. In every
 * case the fetch count and the page deadline hold and the page still renders.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockHandler } from './support/mock-origin.ts';
import { ESI_HEADERS, send } from './support/mock-origin.ts';
import { startMockStack, type MockStack } from './support/mock-stack.ts';
import { get } from './support/http-client.ts';

const SOURCE = 'Dion-Marcil 2018 (ESI DoS); Fastly Compute limits; threat model: include bombs';
/** maxIncludes in fastly.toml's settings. */
const MAX_INCLUDES = 16;
const HUGE_TEMPLATE_BYTES = 100 * 1024 * 1024;
const BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x41), { level: 9 });
let hugeBytesWritten = 0;

const includes = (count: number, src: (i: number) => string, extra = ''): string =>
  Array.from({ length: count }, (_, i) => `<esi:include src="${src(i)}"${extra}/>`).join('\n');

/** Streams `bytes` of template with backpressure, never holding more than one chunk. */
async function streamHuge(res: ServerResponse, bytes: number): Promise<void> {
  res.writeHead(200, { ...ESI_HEADERS });
  const chunk = Buffer.from('<p>filler filler filler filler filler filler filler filler</p>\n'.repeat(1024));
  res.on('close', () => undefined);
  for (let sent = 0; sent < bytes && !res.destroyed; sent += chunk.length) {
    hugeBytesWritten += chunk.length;
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end();
}

const templates: MockHandler = async (request, res) => {
  switch (request.url.pathname) {
    case '/bomb/10k': return send(res, 200, `<main>${includes(10_000, (i) => `/fragments/n?i=${i}`)}</main><p>end-10k</p>`, ESI_HEADERS);
    case '/bomb/self': return send(res, 200, '<main><esi:include src="/bomb/self"/></main><p>end-self</p>', ESI_HEADERS);
    case '/bomb/mutual-a': return send(res, 200, '<p>a</p><esi:include src="/bomb/mutual-b"/><p>end-a</p>', ESI_HEADERS);
    case '/bomb/mutual-b': return send(res, 200, '<p>b</p><esi:include src="/bomb/mutual-a"/>', ESI_HEADERS);
    case '/bomb/slow50': return send(res, 200, `<main>${includes(50, (i) => `/fragments/slow?i=${i}`, ' timeout="30000"')}</main><p>end-slow</p>`, ESI_HEADERS);
    case '/bomb/huge': return streamHuge(res, HUGE_TEMPLATE_BYTES);
    case '/bomb/gzip-fragment': return send(res, 200, '<main><esi:include src="/fragments/gzip" alt="/fragments/ok"/></main><p>end-gzip</p>', ESI_HEADERS);
    case '/bomb/gzip-template': return send(res, 200, BOMB, { ...ESI_HEADERS, 'content-encoding': 'gzip' });
    default: return send(res, 404, 'none');
  }
};

const fragments: MockHandler = async (request, res) => {
  const path = request.url.pathname;
  if (path === '/fragments/slow') await new Promise((resolve) => setTimeout(resolve, 20_000));
  if (path === '/fragments/gzip') return send(res, 200, BOMB, { 'content-encoding': 'gzip', 'cache-control': 'public, max-age=60' });
  if (!res.destroyed) send(res, 200, `<p>frag ${request.path}</p>`, { 'cache-control': 'public, max-age=60' });
};

let stack: MockStack;
beforeAll(async () => {
  stack = await startMockStack({ handlers: { templates, fragments } });
});
afterAll(async () => {
  await stack.close();
});

async function timed(path: string): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  const response = await get(stack.url(path));
  return { ...response, ms: performance.now() - started };
}

function eventFor(path: string): Record<string, unknown> | undefined {
  return stack.events().filter((event) => event.path === path).at(-1);
}

describe(`include bombs (source: ${SOURCE})`, () => {
  it('fetches at most maxIncludes of 10,000 include tags and ends the page', async () => {
    const page = await timed('/bomb/10k');
    expect(page.status).toBe(200);
    expect(page.body).toContain('end-10k');
    expect(stack.origins.fragments.count('/fragments/n')).toBeLessThanOrEqual(MAX_INCLUDES);
    expect(stack.origins.fragments.count('/fragments/n')).toBeGreaterThan(0);
    // Generous (a busy machine): proves the page is not bounded by 10,000 sequential fetches or waits.
    expect(page.ms).toBeLessThan(30_000);
  });

  it('fetches a self-including template once as a fragment and does not recurse', async () => {
    const page = await timed('/bomb/self');
    expect(page.status).toBe(200);
    expect(page.body).toContain('end-self');
    expect(stack.origins.templates.count('/bomb/self')).toBe(2);
  });

  it('fetches each of two mutually including templates once', async () => {
    const page = await timed('/bomb/mutual-a');
    expect(page.body).toContain('<p>b</p>');
    expect(page.body).toContain('end-a');
    expect([stack.origins.templates.count('/bomb/mutual-a'), stack.origins.templates.count('/bomb/mutual-b')]).toEqual([1, 1]);
  });

  it('ends a page of 50 twenty-second fragments at the page deadline, fetching at most maxIncludes', async () => {
    const page = await timed('/bomb/slow50');
    expect(page.status).toBe(200);
    expect(page.body).toContain('end-slow');
    // The test stack's pageDeadlineMs is 6 s (busy-machine budgets); 20 s would mean it did not fire.
    expect(page.ms).toBeLessThan(15_000);
    expect(stack.origins.fragments.count('/fragments/slow')).toBeLessThanOrEqual(MAX_INCLUDES);
    await stack.quiet();
    const outcomes = new Set((eventFor('/bomb/slow50')?.fragments as Array<{ outcome: string }> | undefined)?.map((f) => f.outcome));
    expect([...outcomes].sort()).toEqual(['skipped', 'timeout']);
  });

  it('stops reading a 100 MB template past the 2 MiB cap and still ends the page', async () => {
    const page = await timed('/bomb/huge');
    expect(page.status).toBe(200);
    expect(page.body.length).toBeLessThanOrEqual(2 * 1024 * 1024 + 4096);
    expect(page.body.length).toBeGreaterThan(1024 * 1024);
    await stack.quiet(3_000);
    expect(hugeBytesWritten).toBeLessThan(HUGE_TEMPLATE_BYTES / 4);
  });

  it('treats a gzip-bomb fragment (64 MiB inflated) as too large and uses the alt', async () => {
    const page = await timed('/bomb/gzip-fragment');
    expect(page.status).toBe(200);
    expect(page.body).toContain('frag /fragments/ok');
    expect(page.body).not.toContain('AAAA');
    await stack.quiet();
    expect((eventFor('/bomb/gzip-fragment')?.fragments as Array<{ outcome: string }> | undefined)?.[0]?.outcome).toBe('alt');
  });

  it('decodes a gzip-bomb template only up to the 2 MiB cap', async () => {
    const page = await timed('/bomb/gzip-template');
    expect(page.status).toBe(200);
    expect(page.body.length).toBeLessThanOrEqual(2 * 1024 * 1024);
  });
});
