/**
 * Templates are keyed by URL alone and the locale travels as Accept-Language: an origin whose page
 * differs by language declares `Vary: Accept-Language` (RFC 9110 §12.5.5) and each language gets its
 * own copy; an origin that does not vary keeps one copy for every language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stackManifest } from '../../support/local-stack.ts';
import { startEdge, type RunningEdge } from '../../src/node-host/edge-server.ts';

let templates: Server;
let edge: RunningEdge;
const hits: Record<string, number> = {};

beforeAll(async () => {
  templates = createServer((request, response) => {
    const path = request.url ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    const language = request.headers['accept-language'] ?? 'none';
    const headers: Record<string, string> = {
      'content-type': 'text/html; charset=utf-8',
      'surrogate-control': 'content="ESI/1.0", max-age=300',
    };
    if (path.startsWith('/varies')) headers.vary = 'Accept-Language';
    response.writeHead(200, headers);
    response.end(`<html><body><p>lang=${String(language)}</p></body></html>`);
  });
  await new Promise<void>((resolve) => templates.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(templates.address() as AddressInfo).port}/`;
  const manifestPath = stackManifest({ urls: { templates: url, profiles: url, fragments: url } });
  edge = await startEdge({ manifestPath, host: '127.0.0.1', port: 0, stdout: () => undefined });
});
afterAll(async () => {
  await edge.close();
  await new Promise((resolve) => templates.close(resolve));
});

async function page(path: string, language: string): Promise<string> {
  const response = await fetch(new URL(path, edge.url), { headers: { 'accept-language': language } });
  return response.text();
}

describe('template caching across locales', () => {
  it('keeps one copy per language when the origin varies on Accept-Language', async () => {
    expect(await page('/varies', 'de-DE')).toContain('lang=de-DE');
    expect(await page('/varies', 'fr-FR')).toContain('lang=fr-FR');
    expect(await page('/varies', 'de-DE')).toContain('lang=de-DE');
    expect(hits['/varies']).toBe(2);
  });

  it('keeps a single copy for every language when the origin does not vary', async () => {
    await page('/same', 'de-DE');
    await page('/same', 'fr-FR');
    expect(hits['/same']).toBe(1);
  });
});
