import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCandidateDocument } from '../../../src/core/recs/candidate-document.ts';
import { CANDIDATES_ACCEPT } from '../../../src/core/esi/ranked-include.ts';
import { rankCompact } from '../../../src/core/recs/rank-compact.ts';
import { rankDocument } from '../../../src/core/recs/rank-document.ts';
import { runRecsJob } from '../../../origin/recs/recs-job.ts';
import { at, useOrigin } from '../use-origin.ts';

const origin = useOrigin();
const encoder = new TextEncoder();

async function candidates(seg: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(at(origin().urls.fragments, `/fragments/recs/candidates?seg=${seg}`), { headers });
}

function publish(body: unknown): Promise<Response> {
  return fetch(at(origin().urls.fragments, '/__origin/recs'), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('candidate documents on the fragments origin', () => {
  it('serves each segment a shared candidate document the edge can parse, kept at the edge for an hour and tagged for purging', async () => {
    const response = await candidates('runner');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('surrogate-control')).toBe('max-age=3600, stale-while-revalidate=3600');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(response.headers.get('surrogate-key')).toBe('recs-candidates recs-candidates-runner');
    const parsed = parseCandidateDocument(new Uint8Array(await response.arrayBuffer()));
    expect(parsed.ok && parsed.document.items.length).toBe(100);
    expect(parsed.ok && parsed.document.items[0]?.html).toMatch(/^<li data-slot=recs data-item=sku-\d+><a href=\/product\/[a-z]+\/sku-\d+><img src=\/static\/img\/sku-\d+\.svg alt width=240 height=180 loading=lazy style=background:hsl\(\d+,\d+%,\d+%\)><span>[^<]+<\/span><span>&#163;[\d.,]+<\/span><\/a><\/li>$/);
  });

  it('publishes pure ASCII with item markup that needs no JSON escapes, the price sign as a character reference', async () => {
    const text = await (await candidates('runner')).text();
    const parsed = parseCandidateDocument(encoder.encode(text));
    const html = parsed.ok ? parsed.document.items.map((item) => item.html) : [];
    expect(html.length).toBe(100);
    expect(html.filter((markup) => markup.includes('"')).length).toBe(0);
    expect(html.filter((markup) => !markup.includes('&#163;')).length).toBe(0);
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
  });

  it('answers the compact document to the Accept the edge sends, with the same cache headers and keys and Vary: Accept', async () => {
    const response = await candidates('runner', { accept: CANDIDATES_ACCEPT });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.edge-recs.compact');
    expect(response.headers.get('vary')).toBe('Accept');
    expect(response.headers.get('surrogate-control')).toBe('max-age=3600, stale-while-revalidate=3600');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(response.headers.get('surrogate-key')).toBe('recs-candidates recs-candidates-runner');
  });

  it('answers a request without Accept, as a plain curl sends it, with the JSON document and Vary: Accept', async () => {
    const response = await candidates('runner', { accept: '*/*' });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('vary')).toBe('Accept');
    expect(parseCandidateDocument(new Uint8Array(await response.arrayBuffer())).ok).toBe(true);
  });

  it('serves the same candidates in both formats: each ranks to the same bytes for a visitor', async () => {
    const json = new Uint8Array(await (await candidates('outdoor')).arrayBuffer());
    const compact = new Uint8Array(await (await candidates('outdoor', { accept: CANDIDATES_ACCEPT })).arrayBuffer());
    const visitor = { affinities: { running: 0.7 }, recentCategories: ['shoes'], sessionCategories: ['outdoor'], recentItems: [], purchased: [] };
    const request = { count: 6, exclude: [], maxPerCategory: 2 };
    const expected = rankDocument(json, visitor, request);
    const ranked = rankCompact(compact, visitor, request);
    expect(ranked.ok && ranked.ids.length).toBe(6);
    expect(ranked.ok && ranked.body).toEqual(expected.ok && encoder.encode(expected.html));
  });

  it('answers JSON even to the edge when it offers only JSON, as any other publisher', async () => {
    origin().candidates.offersCompact = false;
    try {
      const response = await candidates('runner', { accept: CANDIDATES_ACCEPT });
      expect(response.headers.get('content-type')).toBe('application/json');
    } finally {
      origin().candidates.offersCompact = true;
    }
  });

  it('answers 404 for an unknown segment', async () => {
    expect((await candidates('nope')).status).toBe(404);
  });

  it('replaces the lists on a publication and bumps the generation', async () => {
    const before = (await (await fetch(at(origin().urls.fragments, '/__origin/recs'))).json()) as { generation: number };
    const response = await publish({ lists: { runner: [{ id: 'sku-1040', score: 1 }, { id: 'sku-1001', score: 0.5 }] } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { generation: number }).generation).toBe(before.generation + 1);
    const parsed = parseCandidateDocument(new Uint8Array(await (await candidates('runner')).arrayBuffer()));
    expect(parsed.ok && parsed.document.items.map((item) => item.id)).toEqual(['sku-1040', 'sku-1001']);
  });

  it.each([
    { name: 'not JSON', body: 'nope' },
    { name: 'without lists', body: { runner: [] } },
    { name: 'an unknown segment', body: { lists: { kayakers: [] } } },
    { name: 'an unknown item', body: { lists: { runner: [{ id: 'sku-9999', score: 1 }] } } },
    { name: 'a score that is not a number', body: { lists: { runner: [{ id: 'sku-1001', score: '1' }] } } },
    { name: 'over 100 items', body: { lists: { runner: Array.from({ length: 101 }, () => ({ id: 'sku-1001', score: 1 })) } } },
  ])('refuses a publication with $name with a 400 and keeps the lists', async ({ body }) => {
    const before = await (await candidates('general')).text();
    const response = await fetch(at(origin().urls.fragments, '/__origin/recs'), { method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(await (await candidates('general')).text()).toBe(before);
  });

  it('keeps publications off the request log', async () => {
    await publish({ lists: {} });
    expect(origin().requests.all('fragments')).toEqual([]);
  });
});

describe('recs job', () => {
  it('learns from the stored clickstream, publishes and purges the old lists at the edge', async () => {
    const purges: string[] = [];
    const edge = createServer((req, res) => {
      purges.push(`${req.method} ${req.url}`);
      res.end('{}');
    });
    await new Promise<void>((resolve) => edge.listen(0, '127.0.0.1', resolve));
    const edgeUrl = `http://127.0.0.1:${(edge.address() as AddressInfo).port}/`;
    const dir = mkdtempSync(join(tmpdir(), 'recs-job-'));
    const file = join(dir, 'events.ndjson');
    // 600 outdoor visitors in the runner segment all look at the same two tents.
    const lines = Array.from({ length: 600 }, (_, index) => [
      `personalization_events :: ${JSON.stringify({ ts: '2026-11-20T10:00:00.000Z', status: 200, path: '/product/outdoor/sku-1011', segment: 'runner', visitor: `v${index}` })}`,
      `clickstream :: ${JSON.stringify({ ts: '2026-11-20T10:01:00.000Z', type: 'click', slot: 'recs', item: 'sku-1100', page: '/', segment: 'runner', visitor: `v${index}` })}`,
    ]).flat();
    writeFileSync(file, `${lines.join('\n')}\nnot an event\n`);
    try {
      const result = await runRecsJob({ eventFile: file, fragmentsUrl: origin().urls.fragments, edge: { kind: 'local', url: edgeUrl }, now: Date.parse('2026-11-20T12:00:00Z') });
      expect(result).toMatchObject({ stored: 1200, synthetic: 0, purgedAt: edgeUrl });
      expect(purges).toEqual(['POST /__local/purge?key=recs-candidates']);
      const parsed = parseCandidateDocument(encoder.encode(await (await candidates('runner')).text()));
      expect(parsed.ok && parsed.document.items.slice(0, 2).map((item) => item.id).sort()).toEqual(['sku-1011', 'sku-1100']);
    } finally {
      edge.close();
    }
  });

  it('adds a synthetic clickstream when nothing is stored, and still publishes without an edge', async () => {
    const result = await runRecsJob({ eventFile: '/nonexistent/events.ndjson', fragmentsUrl: origin().urls.fragments, edge: null, now: Date.now() });
    expect(result.stored).toBe(0);
    expect(result.synthetic).toBeGreaterThan(1000);
    expect(result.purgedAt).toBeNull();
  });
});
