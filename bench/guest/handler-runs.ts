/// <reference types="@fastly/js-compute" />
/**
 * The handler-only guest for `npm run bench -- wasm`: the service's entry (src/index.ts: the same
 * setup, `prepareService` and `serviceHandler` from src/fastly/service-setup.ts), but each request
 * runs the real handler `x-handler-runs` times (default 2) in its one instance and answers with the
 * guest's vCPU around each run, so a fresh instance's first run and a second run with warm CPU
 * caches can be told apart. With `x-handler-idle-ms: N` the last run waits N ms on a timer first,
 * as a request waiting on a backend does, so the caches it finds are cold again. A run = the
 * handler, draining the page body, and the `waitUntil` work it queued (the decision log); it
 * leaves out the runtime's own request handling and instantiation. Each run gets a Request built
 * from the incoming one before its clock starts.
 */
import { vCpuTime } from 'fastly:compute';
import { prepareService, serviceHandler } from '../../src/fastly/service-setup.ts';

prepareService();

interface Run {
  cpu: number;
  status: number;
  bytes: number;
}

/** One run of the handler on a copy of `incoming`; the clock covers handling, body and waitUntil. */
async function runOnce(incoming: Request, clientAddress: string, requestId: string): Promise<Run> {
  const request = new Request(incoming.url, { headers: incoming.headers });
  const pending: Promise<unknown>[] = [];
  const t0 = vCpuTime();
  const handle = serviceHandler();
  const response = await handle(request, { clientAddress, requestId, waitUntil: (work) => void pending.push(work) });
  const bytes = (await response.arrayBuffer()).byteLength;
  await Promise.all(pending);
  return { cpu: vCpuTime() - t0, status: response.status, bytes };
}

/** A header's whole number in [0, max], or `fallback`. */
function headerCount(request: Request, name: string, fallback: number, max: number): number {
  const value = Number(request.headers.get(name) ?? fallback);
  return Number.isInteger(value) && value >= 0 ? Math.min(max, value) : fallback;
}

async function runs(event: FetchEvent): Promise<Response> {
  const count = Math.max(1, headerCount(event.request, 'x-handler-runs', 2, 5));
  const idleMs = headerCount(event.request, 'x-handler-idle-ms', 0, 1000);
  const out: Run[] = [];
  for (let i = 0; i < count; i++) {
    if (i === count - 1 && i > 0 && idleMs > 0) await new Promise<void>((resolve) => setTimeout(() => resolve(), idleMs));
    out.push(await runOnce(event.request, event.client.address, `handler-run-${i}`));
  }
  return new Response(JSON.stringify({ runs: out }), { headers: { 'content-type': 'application/json' } });
}

addEventListener('fetch', (event) => event.respondWith(runs(event)));
