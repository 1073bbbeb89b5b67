/**
 * ESI assembly throughput, measured in one run on the same inputs: a plain stream copy of the
 * template (the limit), our streaming `processEsi`, and the npm ESI libraries `nodesi` (fragments
 * from memory through its `httpClient` option) and `esi` (which only fetches over http, so a
 * local server on 127.0.0.1 serves its fragments from memory). Pages: an ESI-free 1 MB page,
 * a 200 KB page with 10 includes and a 2 KB page with 3 includes; fragments are ~1 KB.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { BenchSection } from './bench-section.ts';
import { DEFAULT_SETTINGS } from '../src/core/config/settings.ts';
import { processEsi } from '../src/core/esi/esi-processor.ts';
import type { FragmentFetcher } from '../src/core/esi/fragment-fetcher.ts';

type EsiLibrary = (body: string, encoding?: string, vars?: Record<string, string>) => Promise<string>;
interface NodesiInstance {
  process(html: string): Promise<string>;
}
type NodesiClass = new (options: Record<string, unknown>) => NodesiInstance;

const require = createRequire(import.meta.url);
const esiLibrary = require('esi/src/esi.js') as EsiLibrary;
const Nodesi = require('nodesi') as NodesiClass;

const encoder = new TextEncoder();
const CHUNK = 16 * 1024;
const BUDGET_MS = 1_000;
const FRAGMENT = `<section class="recs">${'<article><a href="/p/sku-1">Trail shoe</a><span>€89</span></article>'.repeat(14)}</section>`;
const FRAGMENT_BYTES = encoder.encode(FRAGMENT);

function filler(bytes: number): string {
  const line = '<div class="product"><h2>Lightweight running shoe</h2><p>Breathable mesh, €120 — $(not a var)</p></div>\n';
  return line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
}

/** A page of `size` bytes with `includes` include tags spread evenly; `src(i)` names fragment i. */
function page(size: number, includes: number, src: (i: number) => string): string {
  const parts = includes + 1;
  const text = filler(Math.floor(size / parts));
  return Array.from({ length: includes }, (_, i) => `${text}<esi:include src="${src(i)}"/>`).join('') + text;
}

function chunks(text: string): Uint8Array[] {
  const bytes = encoder.encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) out.push(bytes.slice(i, i + CHUNK));
  return out;
}

function streamOf(parts: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = parts[index++];
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader();
  let total = 0;
  for (let step = await reader.read(); !step.done; step = await reader.read()) total += step.value.length;
  return total;
}

const fromMemory: FragmentFetcher = () => Promise.resolve({ ok: true, body: FRAGMENT_BYTES, cache: 'HIT', ttlMs: 60_000, surrogateKeys: [] });
const settings = { ...DEFAULT_SETTINGS, maxIncludes: 24 };
const pageUrl = new URL('https://www.example.com/shop/page.html');
const vars = { segment: 'general', variants: {}, geo: { region: 'eu-west', country: 'GB' }, device: 'desktop', locale: 'en-GB', visitor: null, query: '' };

/** Runs `work` repeatedly for the budget after a warm-up; returns MB/s of template bytes. */
async function measure(templateBytes: number, work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await work();
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < BUDGET_MS) {
    await work();
    runs++;
  }
  const seconds = (performance.now() - started) / 1000;
  return (templateBytes * runs) / seconds / 1e6;
}

export async function run(): Promise<BenchSection> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(FRAGMENT);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const nodesi = new Nodesi({
    baseUrl: 'http://fragments.local',
    httpClient: () => Promise.resolve({ status: 200, statusText: 'ok', text: () => Promise.resolve(FRAGMENT) }),
  });
  const cases = [
    { name: 'ESI-free 1 MB', size: 1024 * 1024, includes: 0 },
    { name: '200 KB, 10 includes', size: 200 * 1024, includes: 10 },
    { name: '2 KB, 3 includes', size: 2 * 1024, includes: 3 },
  ];
  const rows: BenchSection['rows'] = [];
  const summary: BenchSection['summary'] = {};
  try {
    for (const { name, size, includes } of cases) {
      const relative = page(size, includes, (i) => `/fragments/f${i}`);
      const absolute = page(size, includes, (i) => `http://127.0.0.1:${port}/fragments/f${i}`);
      const parts = chunks(relative);
      const bytes = encoder.encode(relative).length;
      const copy = await measure(bytes, () => drain(streamOf(parts).pipeThrough(new TransformStream())));
      const ours = await measure(bytes, async () => {
        const { body, report } = processEsi({ body: streamOf(parts), pageUrl, vars, settings, fetchFragment: fromMemory, now: () => performance.now() });
        await drain(body);
        await report;
      });
      const viaNodesi = await measure(bytes, () => nodesi.process(new TextDecoder().decode(concat(parts))));
      const viaEsi = await measure(bytes, () => esiLibrary(new TextDecoder().decode(concat(chunks(absolute)))));
      const fasterPeer = Math.max(viaNodesi, viaEsi);
      rows.push({ page: name, 'copy MB/s': round(copy), 'ours MB/s': round(ours), 'nodesi MB/s': round(viaNodesi), 'esi MB/s': round(viaEsi), 'ours/copy': round(ours / copy), 'ours/faster peer': round(ours / fasterPeer) });
      if (includes === 0) summary['esi-free: ours/copy (target ≥ 0.5)'] = round(ours / copy);
      else summary[`${name}: ours/faster peer (target ≥ 5)`] = round(ours / fasterPeer);
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { name: 'ESI assembly throughput (template MB/s, fragments from memory)', rows, summary };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
