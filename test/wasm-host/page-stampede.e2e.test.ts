/**
 * Cold stampedes on the compiled Wasm: the Fastly adapter's collapsing lookup is a core cache
 * transaction (`CoreCache.transactionLookupAsync(key).wait(ms)`), which the Wasm host emulates with
 * Compute's request collapsing, so concurrent first requests for one page assemble it once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWasmStack, type WasmStack } from './wasm-stack.ts';

let stack: WasmStack;
beforeAll(async () => {
  stack = await startWasmStack({ workers: 4 });
}, 60_000);
afterAll(async () => {
  await stack.close();
});

it('assembles one anonymous page once for 20 concurrent first requests', async () => {
  // A product page: its includes run on the stack's relaxed fragment budget, so the page is shareable.
  const path = '/product/running/sku-1001?stampede=wasm';
  const fragmentsBefore = stack.origin.requests.count('fragments');
  const pages = await Promise.all(
    Array.from({ length: 20 }, async () => {
      const response = await fetch(stack.url(path));
      return { status: response.status, html: await response.text() };
    }),
  );
  await stack.host.settled();
  expect(pages.map((p) => p.status)).toEqual(Array(20).fill(200));
  expect(new Set(pages.map((p) => p.html)).size).toBe(1);
  const events = stack.events('personalization_events').filter((event) => String(event.path).startsWith('/product/running/sku-1001'));
  expect(events).toHaveLength(20);
  expect(events.filter((e) => e.pageCache === 'MISS')).toHaveLength(1);
  expect(events.filter((e) => e.pageCache === 'HIT')).toHaveLength(19);
  expect(stack.origin.requests.count('templates', path)).toBe(1);
  // One assembly's worth of fragment fetches: a warm key asks the fragments origin nothing more.
  const oneAssembly = stack.origin.requests.count('fragments') - fragmentsBefore;
  await Promise.all(Array.from({ length: 5 }, () => fetch(stack.url(path)).then((r) => r.text())));
  expect(stack.origin.requests.count('fragments') - fragmentsBefore).toBe(oneAssembly);
}, 120_000);
