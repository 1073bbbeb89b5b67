/// <reference types="@fastly/js-compute" />
/**
 * The measuring guest for `npm run bench -- wasm`: compiled with js-compute-runtime like
 * bin/main.wasm and run on the Wasm host, it times our real core code inside the Wasm, where our
 * JavaScript is interpreted. The path names the operation; the request body carries the template
 * followed by the fragment (`x-fragment-bytes` long). Each request is a fresh instance, as on
 * Compute, and runs the operation `?runs=` times (default 1). Each run is timed inside the guest
 * with `vCpuTime()`, which the benchmark's Wasm host reports in microseconds (the worker thread's
 * own CPU clock): a phase is measured within one run, not as the difference of two instances. The
 * benchmark also reads each instance's whole CPU time from the host. Wall time inside the guest is
 * unusable on a loaded machine. Like bin/main.wasm, the guest runs the service's build-time warm-up.
 */
import { vCpuTime } from 'fastly:compute';
import { fastlyDeps } from '../../src/fastly/fastly-deps.ts';
import { loadConfig } from '../../src/core/config/load-config.ts';
import type { Settings } from '../../src/core/config/settings.ts';
import { processEsi, type TemplateSource } from '../../src/core/esi/esi-processor.ts';
import { templateSource } from '../../src/core/page/template-source.ts';
import { chunkViewsFor } from '../../src/core/esi/runtime-views.ts';
import { resolveVisitorFacts } from '../../src/core/visitor/visitor-facts.ts';
import { decide } from '../../src/core/decision/decide.ts';
import { normalizeUrl } from '../../src/core/cache-key/url-normalize.ts';
import { pageCacheKey } from '../../src/core/cache-key/cache-key.ts';
import { importHmacKey } from '../../src/core/log/pseudonym.ts';
import { rankFragment } from '../../src/core/esi/ranked-include.ts';
import type { RankSignals } from '../../src/core/recs/rank-signals.ts';
import { shellOf } from '../../src/core/recs/candidate-document.ts';
import { scanCandidates } from '../../src/core/recs/candidate-scan.ts';
import { bannedFor, chooseCandidates, limitsOf, renderChosen } from '../../src/core/recs/rank-candidates.ts';
import { warmUp } from '../../src/fastly/warm-up.ts';
import { fetchBackend } from '../../src/fastly/fastly-backend-fetch.ts';
import { COMPACT_CANDIDATES_TYPE, HEAD_SHAPE } from '../../src/core/recs/compact-format.ts';
import { byteView, readCompactDocument } from '../../src/core/recs/compact-reader.ts';
import { secretText } from '../../src/core/crypto/service-keys.ts';

// The same build-time warm-up as src/index.ts: the figures are what the service pays per request.
void warmUp(fetchBackend);

const CHUNK = 16 * 1024;
// Stores can only be opened while handling a request, not at initialization.
let deps: ReturnType<typeof fastlyDeps>;

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, (offset += CHUNK)));
    },
  });
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader();
  let total = 0;
  for (let step = await reader.read(); !step.done; step = await reader.read()) total += step.value.length;
  return total;
}

/**
 * The template as the service reads it (page-assembly.ts): `cached` (the default), an edge-cache
 * hit of a known length, read whole; `origin`, a miss, streamed in the host's 8 KiB body reads;
 * `stream`, a guest-made stream of 16 KiB chunks (what these rows measured before the service
 * read cached templates whole).
 */
function templateOf(template: Uint8Array, how: string | null): TemplateSource {
  if (how === 'stream') return streamOf(template);
  const response = new Response(template as Uint8Array<ArrayBuffer>, { headers: { 'content-length': String(template.length) } });
  return templateSource({ ok: true, response, cache: how === 'origin' ? 'MISS' : 'HIT', ms: 0, staleKey: '' }, response.body!);
}

async function esi(template: Uint8Array, fragment: Uint8Array, settings: Settings, how: string | null): Promise<number> {
  const { body, report } = processEsi({
    body: templateOf(template, how),
    pageUrl: new URL('https://www.example.com/category/running'),
    vars: { segment: 'runner', variants: {}, geo: { region: 'eu-west', country: 'GB' }, device: 'desktop', locale: 'en-GB', visitor: null, query: '' },
    settings,
    fetchFragment: () => Promise.resolve({ ok: true, body: fragment, cache: 'HIT', ttlMs: 60_000, surrogateKeys: [] }),
    now: () => performance.now(),
    // The same choice the service makes inside the guest (page-assembly.ts).
    views: chunkViewsFor('fastly'),
  });
  const bytes = await drain(body);
  await report;
  return bytes;
}

/** Untimed preparation (config, key import), then the timed decision: context (a vid and the sess bound to it, one HMAC verify), page key. */
async function decision(request: Request): Promise<() => Promise<unknown>> {
  const config = loadConfig(deps);
  const secret = secretText(await deps.secret('cookie_signing_key'));
  const signingKey = secret ? await importHmacKey(secret) : null;
  return async () => {
    const url = normalizeUrl(request.url);
    const context = await resolveVisitorFacts({ request, clientAddress: '192.0.2.1', settings: config.settings, signingKey, geo: (a) => deps.geo(a), device: (ua) => deps.device(ua) });
    const decided = decide(context, null, config);
    const varies: Array<[string, string]> = [['DEVICE', context.device], ['LOCALE', context.locale], ['SEGMENT', decided.segment]];
    // As the page cache keys a page (page-cache.ts): awaited only when it is a digest's promise.
    const key = pageCacheKey({ url, locale: context.locale, varies }, deps.crypto);
    return typeof key === 'string' ? key : await key;
  };
}

let edits = 0;

/** The store's documents with whitespace appended, different on every run: none is in the build-time memo. */
function editedConfig(): Promise<unknown> {
  const suffix = ' '.repeat(++edits);
  return Promise.resolve(loadConfig({ config: (key) => { const text = deps.config(key); return text === null ? null : text + suffix; } }).problems.length);
}

async function keyImport(): Promise<unknown> {
  const secret = secretText(await deps.secret('cookie_signing_key'));
  return secret ? importHmacKey(`${secret}${Math.random()}`) : null;
}

/** A consented visitor with a full set of signals over the demo's categories: each gets a boost. */
const SIGNALS: RankSignals = {
  affinities: { running: 0.9, outdoor: 0.6, shoes: 0.4 },
  recentCategories: ['running', 'outdoor', 'jackets'],
  sessionCategories: ['running', 'shoes'],
  recentItems: Array.from({ length: 10 }, (_, i) => `sku-${1000 + i * 7}`),
  purchased: Array.from({ length: 5 }, (_, i) => `sku-${1003 + i * 11}`),
};

const RANK_VARS = { segment: 'runner', variants: {}, geo: { region: 'eu-west', country: 'GB' }, device: 'desktop', locale: 'en-GB', visitor: 'u00042', query: '', signals: SIGNALS };
const RANK_SPEC = { count: 6, exclude: ['sku-1001'] };

/**
 * A ranked include's whole job on its fetched body (decode, parse, rank, render), as the include
 * runner runs it: synchronously, so its result also carries the vCPU µs of exactly that call
 * (`timed` around it adds the harness's promise and await, which the include runner never pays).
 */
function rank(document: Uint8Array, settings: Settings, mediaType = 'application/json'): Work {
  return () => {
    const started = vCpuTime();
    const ranked = rankFragment(document, mediaType, RANK_SPEC, RANK_VARS, settings);
    const us = vCpuTime() - started;
    if (!ranked.ok) throw new Error(ranked.reason);
    return Promise.resolve({ us, bytes: ranked.body.length });
  };
}

/**
 * The compact format's boundary, one stage at a time (µs): decoding the head (framing included),
 * the RegExp that checks its shape, JSON.parse, then the reader's whole boundary (these three and
 * its range checks) and the whole job again (the job minus the reader is ranking and copying).
 */
function rankCompactStages(document: Uint8Array, settings: Settings): Work {
  const decoder = new TextDecoder();
  return () => {
    const t0 = vCpuTime();
    const prefix = decoder.decode(byteView(document, 0, 8));
    const start = prefix.indexOf('\n') + 1;
    const text = decoder.decode(byteView(document, start, Number(prefix.slice(0, start - 1))));
    const t1 = vCpuTime();
    const shaped = HEAD_SHAPE.test(text);
    const t2 = vCpuTime();
    JSON.parse(text);
    const t3 = vCpuTime();
    const read = readCompactDocument(document);
    const t4 = vCpuTime();
    const ranked = rankFragment(document, COMPACT_CANDIDATES_TYPE, RANK_SPEC, RANK_VARS, settings);
    const t5 = vCpuTime();
    if (!shaped || !read.ok || !ranked.ok) throw new Error('compact document rejected');
    return Promise.resolve({ head: t1 - t0, shape: t2 - t1, parse: t3 - t2, read: t4 - t3, rank: t5 - t4, bytes: ranked.body.length });
  };
}

/**
 * The same job as `rank`, one stage at a time with the vCPU clock read between stages (µs): decode,
 * JSON.parse (with the wrapper check), the one pass that checks every item and keeps each
 * category's best, ordering and choosing, rendering and encoding; `clock` is two reads back to back
 * (what each stage's figure includes of the clock itself).
 */
function rankStages(document: Uint8Array, settings: Settings): Work {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const request = { ...RANK_SPEC, maxPerCategory: settings.recsMaxPerCategory };
  return () => {
    const t0 = vCpuTime();
    const text = decoder.decode(document);
    const t1 = vCpuTime();
    const parsed = shellOf(JSON.parse(text));
    const t2 = vCpuTime();
    if (!parsed.ok) throw new Error(parsed.reason);
    const { count, keep } = limitsOf(request);
    const scanned = scanCandidates(parsed.shell.items, keep, bannedFor(request.exclude, SIGNALS));
    const t3 = vCpuTime();
    if (scanned === null) throw new Error('wrong item');
    const chosen = chooseCandidates(scanned, SIGNALS, count);
    const t4 = vCpuTime();
    const body = encoder.encode(renderChosen(parsed.shell, chosen).html);
    const t5 = vCpuTime();
    const t6 = vCpuTime();
    return Promise.resolve({ decode: t1 - t0, parse: t2 - t1, scan: t3 - t2, choose: t4 - t3, render: t5 - t4, clock: t6 - t5, bytes: body.length });
  };
}

type Work = () => Promise<unknown>;
/** Each operation prepares untimed and returns the work to time. */
const OPERATIONS: Record<string, (request: Request, template: Uint8Array, fragment: Uint8Array) => Promise<Work>> = {
  '/empty': () => Promise.resolve(() => Promise.resolve(0)),
  '/copy': (_r, template) => Promise.resolve(() => drain(streamOf(template).pipeThrough(new TransformStream()))),
  '/esi': (request, template, fragment) => {
    const settings = { ...loadConfig(deps).settings, maxIncludes: 24, pageDeadlineMs: 60_000, fragmentTimeoutMs: 60_000 };
    const how = new URL(request.url).searchParams.get('template');
    return Promise.resolve(() => esi(template, fragment, settings, how));
  },
  '/config': () => Promise.resolve(() => Promise.resolve(loadConfig(deps).problems.length)),
  '/config-edited': () => Promise.resolve(editedConfig),
  '/key-import': () => Promise.resolve(keyImport),
  '/decision': (request) => decision(request),
  '/rank': (_r, template) => Promise.resolve(rank(template, loadConfig(deps).settings)),
  '/rank-stages': (_r, template) => Promise.resolve(rankStages(template, loadConfig(deps).settings)),
  '/rank-compact-stages': (_r, template) => Promise.resolve(rankCompactStages(template, loadConfig(deps).settings)),
  '/rank-compact': (_r, template) => Promise.resolve(rank(template, loadConfig(deps).settings, COMPACT_CANDIDATES_TYPE)),
};

/** Wall ms and CPU ms of one run; the benchmark host's `vCpuTime()` counts microseconds. */
async function timed(work: Work): Promise<{ ms: number; cpuMs: number; result: unknown }> {
  const started = performance.now();
  const cpuStarted = vCpuTime();
  const result = await work();
  const cpuMs = (vCpuTime() - cpuStarted) / 1000;
  return { ms: performance.now() - started, cpuMs, result };
}

async function handle(request: Request): Promise<Response> {
  deps = fastlyDeps('bench');
  // The first path segment names the operation; the rest is the page the decision is about.
  const operation = OPERATIONS[`/${new URL(request.url).pathname.split('/')[1] ?? ''}`];
  if (!operation) return new Response('unknown operation', { status: 404 });
  const body = new Uint8Array(await request.arrayBuffer());
  const split = body.length - Number(request.headers.get('x-fragment-bytes') ?? '0');
  const template = body.subarray(0, split);
  const fragment = body.subarray(split);
  const work = await operation(request, template, fragment);
  const runs = Number(new URL(request.url).searchParams.get('runs') ?? '1');
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  const results: unknown[] = [];
  for (let i = 0; i < runs; i++) ({ ms: wallMs[i], cpuMs: cpuMs[i], result: results[i] } = await timed(work));
  return new Response(JSON.stringify({ wallMs, cpuMs, result: results.at(-1), results }), { headers: { 'content-type': 'application/json' } });
}

addEventListener('fetch', (event) => event.respondWith(handle(event.request)));
