/**
 * The build-time warm-up (src/fastly/warm-up.ts) leaves every RegExp a demo request runs compiled in
 * the snapshot: inside the Wasm guest an expression's first run compiles it (~0.1–0.5 ms, in every
 * fresh instance, so on every request). A probe build of the service (regexp-probe-guest.ts) wraps
 * `RegExp.prototype.exec` and writes each expression a request runs before the warm-up did; the
 * demo pages, consented and anonymous, cold and warm, and a windows-1252 template whose ranked
 * includes rank candidates with non-ASCII titles (compact and JSON documents), and a beacon (a click
 * carrying its page's decision token, in both media types a page sends) must write none.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOrigin, type RunningOrigin } from '../../origin/start-origin.ts';
import { withOrigins } from '../../src/local-platform/with-origins.ts';
import { loadManifest } from '../../src/local-platform/manifest.ts';
import { signedVid } from '../../src/local-platform/signed-visitor.ts';
import { startWasmHost, type RunningWasmHost } from '../../wasm-host/wasm-server.ts';
import { encodeWindows1252 } from '../../bench/corpus-generator.ts';
import { renderCompactDocument } from '../../src/core/recs/compact-writer.ts';
import { COMPACT_CANDIDATES_TYPE } from '../../src/core/recs/compact-format.ts';
import { compileGuest, sourceHash } from '../support/compile-guest.ts';

const GUEST = 'test/wasm-host/regexp-probe-guest.ts';
const LEGACY_PAGE = '/legacy/windows-1252';
const DEMO_PAGES = ['/', '/category/running', '/product/running/sku-1001', LEGACY_PAGE];

const TITLES = ['Café “Trail” — 50 €', 'Crème brûlée ‘light’ … ™', '東京 Marathon – Ölberg', 'Straße – naïve façade'];
const ITEMS = TITLES.map((title, i) => ({ id: `sku-90${i}`, category: 'running', score: 10 - i, html: `<li data-item="sku-90${i}">${title}</li>` }));
const LEGACY_TEMPLATE = encodeWindows1252(`<!doctype html><html lang="de"><head><meta charset="windows-1252"><title>Café “Trail” — 50 €</title></head><body>
<p>“Läufer” – Sommer … 2 € ™</p>
<esi:include src="/fragments/legacy/compact?seg=$(SEGMENT)" rank="visitor" count="3" exclude="sku-901"/>
<p>Neu ‘eingetroffen’ – ½ Preis</p>
<esi:include src="/fragments/legacy/json?seg=$(SEGMENT)" rank="visitor" count="2"/>
<p>Ende »</p></body></html>`);

interface Own {
  headers: Record<string, string>;
  body: Uint8Array;
}

const TEMPLATE_ROUTES: Record<string, Own> = {
  [LEGACY_PAGE]: {
    headers: { 'content-type': 'text/html; charset=windows-1252', 'surrogate-control': 'content="ESI/1.0"', 'cache-control': 'max-age=60', 'surrogate-key': 'legacy' },
    body: LEGACY_TEMPLATE,
  },
};
const FRAGMENT_ROUTES: Record<string, Own> = {
  '/fragments/legacy/compact': { headers: { 'content-type': COMPACT_CANDIDATES_TYPE, 'cache-control': 'max-age=60' }, body: renderCompactDocument('<ul>', '</ul>', ITEMS) },
  '/fragments/legacy/json': {
    headers: { 'content-type': 'application/json', 'cache-control': 'max-age=60' },
    body: new TextEncoder().encode(JSON.stringify({ before: '<ol>', after: '</ol>', items: ITEMS })),
  },
};

interface Overlay {
  url: string;
  close(): Promise<void>;
}

/** A backend answering `routes` itself and passing every other request to `target` untouched. */
async function startOverlay(target: string, routes: Record<string, Own>): Promise<Overlay> {
  const server = createServer((req, res) => {
    const own = routes[(req.url ?? '/').split('?')[0]!];
    if (own) return void res.writeHead(200, { ...own.headers, 'content-length': String(own.body.length) }).end(own.body);
    const upstream = httpRequest(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let origin: RunningOrigin;
let overlays: Overlay[] = [];
let host: RunningWasmHost;
let cookie: string;
let written: string[] = [];

beforeAll(async () => {
  const wasmPath = await compileGuest(GUEST, 'regexp-probe', sourceHash(['src'], [GUEST, 'test/wasm-host/regexp-probe.ts']), ['--enable-http-cache']);
  origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
  overlays = [await startOverlay(origin.urls.templates, TEMPLATE_ROUTES), await startOverlay(origin.urls.fragments, FRAGMENT_ROUTES)];
  const manifestPath = withOrigins({ urls: { ...origin.urls, templates: overlays[0]!.url, fragments: overlays[1]!.url }, relaxedTimeouts: true, label: 'regexp-probe' });
  host = await startWasmHost({
    manifestPath, wasmPath, host: '127.0.0.1', port: 0, workers: 1, stdout: () => undefined,
    guestOutput: (fd, bytes) => {
      if (fd === 1) written.push(...Buffer.from(bytes).toString('utf8').split('\n').filter((line) => line.startsWith('regexp-')));
    },
  });
  cookie = `consent=personalization,analytics; vid=${await signedVid(loadManifest(manifestPath), 'demo-runner')}`;
}, 240_000);

afterAll(async () => {
  await host?.close();
  for (const overlay of overlays) await overlay.close();
  await origin?.close();
});

/** The expressions one request ran before the warm-up did, with its status. */
async function firstRuns(path: string, headers: Record<string, string>, init: RequestInit = {}): Promise<{ status: number; first: string[] }> {
  written = [];
  const response = await fetch(`${host.url.replace(/\/$/, '')}${path}`, { ...init, headers });
  await response.arrayBuffer();
  await host.settled();
  return { status: response.status, first: written };
}

it('sees the expressions the warm-up ran, and reports one that a request runs before the warm-up did', async () => {
  const { first } = await firstRuns('/category/running', { cookie, 'x-regexp-probe': '1' });
  expect(first).toHaveLength(2);
  // The service runs dozens of expressions on a page (headers, cookies, URLs, tags, cache directives).
  expect(Number(/^regexp-seen (\d+)$/.exec(first[0]!)?.[1])).toBeGreaterThan(30);
  expect(first[1]).toBe('regexp-first regexp-probe-control - one-byte');
}, 60_000);

it.each([
  ['a consented', true],
  ['an anonymous', false],
])('compiles no RegExp inside %s visitor\'s requests for the demo pages and a windows-1252 page, cold or warm', async (_visitor, consented) => {
  const found: Record<string, string[]> = {};
  for (let round = 0; round < 3; round++) {
    for (const path of DEMO_PAGES) {
      const { status, first } = await firstRuns(`${path}${consented ? '' : '?visitor=anonymous'}`, consented ? { cookie } : {});
      expect(status, path).toBe(200);
      if (first.length > 0) found[`${path} (request ${round + 1})`] = first;
    }
  }
  expect(found).toEqual({});
}, 180_000);

it.each([
  ['application/json', 'the demo\'s beacon script sends'],
  ['text/plain;charset=UTF-8', 'navigator.sendBeacon sends for a string'],
])('compiles no RegExp inside a beacon\'s request: a click with the page\'s decision token, as %s (what %s)', async (type) => {
  const page = await fetch(`${host.url.replace(/\/$/, '')}/category/running`, { headers: { cookie } });
  const decision = /data-decision="([^"]+)"/.exec(await page.text())?.[1];
  await host.settled();
  expect(decision).toBeDefined();
  const body = JSON.stringify({ type: 'click', slot: 'recs', item: 'sku-1017', page: '/product/shoes/sku-1017', decision });
  const found: Record<string, string[]> = {};
  for (let round = 0; round < 2; round++) {
    const { status, first } = await firstRuns('/__beacon', { cookie, 'content-type': type }, { method: 'POST', body });
    expect(status).toBe(204);
    if (first.length > 0) found[`request ${round + 1}`] = first;
  }
  expect(found).toEqual({});
}, 60_000);
