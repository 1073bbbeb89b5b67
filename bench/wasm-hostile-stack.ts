/**
 * A stack for the "hostile request" rows (wasm-hostile-requests.ts): bin/main.wasm on the Wasm host
 * against the demo origin, with one template origin in front of it that answers a few hostile
 * templates itself (a page of 1,000 `$(QUERY_STRING{q})`, of 24 includes carrying the query, one whose
 * answer carries 60 KB of `Surrogate-Key`, a cart path behind the pass-through), and one profile
 * origin in front of the demo's that answers one hostile profile itself and hands every other template request to the demo's.
 * Requests go out with node:http, which sends any header the edge accepts (fetch refuses some, a
 * `Connection` list among them).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startOrigin } from '../origin/start-origin.ts';
import { withOrigins } from '../src/local-platform/with-origins.ts';
import { startWasmHost, type RunningWasmHost, type WasmHostOptions } from '../wasm-host/wasm-server.ts';
import { AS_SHIPPED } from './wasm-guest-host.ts';
import { raiseBenchPriority } from './bench-priority.ts';

const ESI = { 'content-type': 'text/html; charset=utf-8', 'surrogate-control': 'content="ESI/1.0", max-age=60', 'cache-control': 'public, max-age=60' };

/** The hostile templates by path; null for a path the demo origin answers. */
function hostileTemplate(path: string): { body: string; headers: Record<string, string> } | null {
  if (path === '/hostile/vars') return { body: `<main><esi:vars>${'$(QUERY_STRING{q})'.repeat(1000)}</esi:vars></main>`, headers: ESI };
  if (path === '/hostile/includes') {
    const includes = Array.from({ length: 24 }, (_, i) => `<esi:include src="/fragments/hostile-${i}?q=$(QUERY_STRING{q})"/>`).join('');
    return { body: `<main>${includes}</main>`, headers: ESI };
  }
  // A pass-through path (settings.passPrefixes): the origin takes whatever the edge forwards.
  if (path === '/cart/hostile') return { body: 'taken', headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } };
  if (path === '/hostile/keys') return { body: '<main>keys</main>', headers: { ...ESI, 'surrogate-key': `${' '.repeat(60_000)}a` } };
  return null;
}

/**
 * The profile of a visitor `hostile-profile…`: 64 KiB (the lookup's cap) of one segment repeated and
 * affinities out of range, which a parser bounded by what it keeps still reads to the end.
 */
function hostileProfile(path: string): { body: string; headers: Record<string, string> } | null {
  if (!path.startsWith('/profiles/hostile-profile')) return null;
  const affinities = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`c${i}`, 2]));
  const doc = { id: path.slice('/profiles/'.length), tier: 'gold', segments: Array.from({ length: 6000 }, () => 'vip'), affinities, updatedAt: '2026-01-01T00:00:00Z' };
  return { body: JSON.stringify(doc), headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } };
}

/** Forwards a template request to the demo origin, status, headers and body as they come. */
function forward(demo: string, incoming: IncomingMessage, outgoing: ServerResponse): void {
  const upstream = request(new URL(incoming.url ?? '/', demo), { method: incoming.method, headers: incoming.headers }, (answer) => {
    outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(outgoing);
  });
  upstream.on('error', () => outgoing.writeHead(502).end());
  incoming.pipe(upstream);
}

async function frontOrigin(demo: string, answer: typeof hostileTemplate): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((incoming, outgoing) => {
    const hostile = answer(new URL(incoming.url ?? '/', 'http://x').pathname);
    if (hostile === null) return forward(demo, incoming, outgoing);
    outgoing.writeHead(200, { ...hostile.headers, 'content-length': String(Buffer.byteLength(hostile.body)) }).end(hostile.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface HostileStack {
  host: RunningWasmHost;
  manifestPath: string;
  /** Status of one request (its body read and dropped). */
  send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<number>;
  close(): Promise<void>;
}

/** One guest worker, so each request gets a fresh instance, as the demo-page rows run; `extra` for a probe (a timeline). */
export async function startHostileStack(wasmPath: string, extra: Partial<WasmHostOptions> = {}): Promise<HostileStack> {
  const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
  const templates = await frontOrigin(origin.urls.templates, hostileTemplate);
  const profiles = await frontOrigin(origin.urls.profiles, hostileProfile);
  const manifestPath = withOrigins({ urls: { ...origin.urls, templates: templates.url, profiles: profiles.url }, config: AS_SHIPPED, relaxedTimeouts: true, label: 'wasm-hostile' });
  raiseBenchPriority();
  const host = await startWasmHost({ manifestPath, wasmPath, host: '127.0.0.1', port: 0, workers: 1, optimized: process.env.BENCH_WASM_TIERUP !== '1', stdout: () => undefined, guestOutput: () => undefined, ...extra });
  const base = host.url.replace(/\/$/, '');
  const send: HostileStack['send'] = (path, init) => new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(init.body);
  });
  return {
    host, manifestPath, send,
    async close() {
      await host.close();
      await templates.close();
      await profiles.close();
      await origin.close();
    },
  };
}
