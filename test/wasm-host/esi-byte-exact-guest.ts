/// <reference types="@fastly/js-compute" />
/**
 * A test guest, compiled with js-compute-runtime like bin/main.wasm: it runs the service's ESI
 * assembly (`processEsi` with the search the service uses inside the guest) on the request body
 * cut every way (one byte per chunk, then every split into two chunks), and read whole as a cached
 * template is (without a chunk before it: one batch the guest's view decodes at once), and answers the outputs as
 * JSON arrays of bytes, so a test can check byte-exactness inside the Wasm. Every include gets the
 * fragment of test/core/esi/byte-exact-cases.ts. A request can put the body past the element cap.
 */
import { DEFAULT_SETTINGS } from '../../src/core/config/settings.ts';
import { processEsi, type TemplateSource } from '../../src/core/esi/esi-processor.ts';
import { chunkViewsFor } from '../../src/core/esi/runtime-views.ts';
import { FRAGMENT, INCLUDE_SRC, splits } from '../core/esi/byte-exact-cases.ts';

const vars = { segment: 'general', variants: {}, geo: { region: 'eu-west', country: null }, device: 'desktop', locale: 'en-GB', visitor: null, query: '' };

function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  const queue = [...chunks];
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
}

async function assemble(template: TemplateSource): Promise<number[]> {
  const { body } = processEsi({
    body: template,
    pageUrl: new URL('https://www.example.com/p'),
    vars,
    // Room in the deadlines (real clock): on a busy machine a slow run must not drop the include.
    settings: { ...DEFAULT_SETTINGS, fragmentTimeoutMs: 10_000, pageDeadlineMs: 20_000 },
    fetchFragment: (request) => Promise.resolve(request.url.pathname === INCLUDE_SRC ? FRAGMENT : { ok: false, reason: 'status', cache: 'PASS' }),
    now: () => performance.now(),
    views: chunkViewsFor('fastly'),
  });
  const out: number[] = [];
  const reader = body.getReader();
  for (let step = await reader.read(); !step.done; step = await reader.read()) out.push(...step.value);
  return out;
}

async function handle(request: Request): Promise<Response> {
  const template = new Uint8Array(await request.arrayBuffer());
  // `x-elements-before: N`: a first chunk of N elements, so the body's tags come past the element cap.
  const before = Number(request.headers.get('x-elements-before') ?? '0');
  const head = before > 0 ? [new TextEncoder().encode('<esi:comment text="c"/>'.repeat(before))] : [];
  const outputs: number[][] = [];
  for (const chunks of splits(template)) outputs.push(await assemble(streamOf([...head, ...chunks])));
  if (before === 0) outputs.push(await assemble({ whole: Promise.resolve(template) }));
  return new Response(JSON.stringify(outputs), { headers: { 'content-type': 'application/json' } });
}

addEventListener('fetch', (event) => event.respondWith(handle(event.request)));
