/**
 * The Node host's backend port asks a fetch's `OriginGate` (backend-port.ts) only where the
 * readthrough cache goes to the origin, as the template breaker relies on (template-fetch.ts): a
 * hit asks nothing; a refused miss fails with the gate's rejection, leaves no collapsed fill
 * behind and sends no waiter to the origin; a refused revalidation keeps the stale copy, with no
 * rejection left over; a pass asks every time. A gate that listens is told what the origin did
 * with a revalidation it let through: its status, or its failure (the first-byte timeout).
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { BackendFetchOptions, OriginGate } from '../../src/core/ports.ts';
import { parseManifest } from '../../src/local-platform/manifest.ts';
import { createNodeDeps, type NodeDeps } from '../../src/node-host/node-deps.ts';
import { fakeClock, startTestOrigin, type TestOrigin } from '../node-host/test-origin.ts';

let origin: TestOrigin;
let clock: ReturnType<typeof fakeClock>;
let deps: NodeDeps;
let unique = 0;

beforeAll(async () => {
  origin = await startTestOrigin((request, response, count) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    // Answers twice, then hangs: the revalidation waits past the backend's first-byte timeout.
    if (path === '/swr-hangs' && count > 2) return;
    const headers = path.startsWith('/swr') ? { 'cache-control': 'max-age=1, stale-while-revalidate=30' } : { 'cache-control': 'max-age=60' };
    response.writeHead(200, headers);
    response.end(`v${count}`);
  });
});
afterAll(() => origin.close());

beforeEach(() => {
  clock = fakeClock();
  const manifest = parseManifest(`[local_server.backends.templates]\nurl = "${origin.url}"\nfirst_byte_timeout_ms = 300`, { file: 'test.toml', dir: '.' });
  deps = createNodeDeps(manifest, { clock: clock.now, sink: () => undefined });
});

/** A gate that counts its asks and lets through while `open` is false; it keeps what it is told of the origin. */
function gate(): OriginGate & { asked: number; open: boolean; told: string[] } {
  return {
    asked: 0,
    open: false,
    told: [],
    beforeOrigin() {
      this.asked++;
      return this.open ? Promise.reject(new Error('refused by the gate')) : Promise.resolve();
    },
    originAnswered(status) {
      this.told.push(`answered ${status}`);
    },
    originFailed(error) {
      this.told.push(`failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  };
}

function fresh(path: string): string {
  unique += 1;
  return `${path}?g=${unique}`;
}

async function get(path: string, options: BackendFetchOptions) {
  const result = await deps.fetchBackend('templates', new Request(`http://www.example.com${path}`), options);
  return { cache: result.cache, body: await result.response.text() };
}

it('asks the gate on a miss only, and a refused miss fails with its rejection and fills nothing', async () => {
  const path = fresh('/page');
  const closed = gate();
  closed.open = true;
  await expect(get(path, { gate: closed })).rejects.toThrow('refused by the gate');
  const refusedWaiters = await Promise.allSettled([get(path, { gate: closed }), get(path, { gate: closed })]);
  expect(refusedWaiters.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  expect([closed.asked, origin.hits(path)]).toEqual([3, 0]);

  const through = gate();
  expect(await get(path, { gate: through })).toEqual({ cache: 'MISS', body: 'v1' });
  expect(await get(path, { gate: through })).toEqual({ cache: 'HIT', body: 'v1' });
  expect([through.asked, origin.hits(path)]).toEqual([1, 1]);
});

it('keeps the stale copy when the gate refuses its revalidation, with nothing left to reject', async () => {
  const path = fresh('/swr');
  await get(path, {});
  clock.advance(1_500);
  const refusing = gate();
  refusing.open = true;
  expect(await get(path, { gate: refusing })).toEqual({ cache: 'STALE', body: 'v1' });
  await deps.idle();
  expect([refusing.asked, origin.hits(path)]).toEqual([1, 1]);
  const letting = gate();
  expect(await get(path, { gate: letting })).toEqual({ cache: 'STALE', body: 'v1' });
  await deps.idle();
  expect([letting.asked, origin.hits(path)]).toEqual([1, 2]);
});

it("tells a listening gate what the origin did with a revalidation it let through, a timeout included", async () => {
  const path = fresh('/swr-hangs');
  await get(path, {});
  clock.advance(1_500);
  const answered = gate();
  expect(await get(path, { gate: answered })).toEqual({ cache: 'STALE', body: 'v1' });
  await deps.idle();
  expect(answered.told).toEqual(['answered 200']);
  clock.advance(1_500);
  const failed = gate();
  expect(await get(path, { gate: failed })).toEqual({ cache: 'STALE', body: 'v2' });
  await deps.idle();
  expect(failed.told).toEqual([expect.stringMatching(/^failed: .*first byte timeout/)]);
  expect(origin.hits(path)).toBe(3);
});

it('asks the gate before every pass', async () => {
  const path = fresh('/page');
  const through = gate();
  await get(path, { gate: through, pass: true });
  await get(path, { gate: through, pass: true });
  expect([through.asked, origin.hits(path)]).toEqual([2, 2]);
});
