/**
 * Privacy by construction (docs/contracts.md#decision-event, issue 6): markers placed in every input a visitor or an
 * origin controls (cookies, query string, headers, the profile and a per-visitor fragment) never
 * appear in any line the edge emits, and neither does the raw visitor id.
 */
import { describe, expect, it } from 'vitest';
import { useLocalStack } from './use-local-stack.ts';
import { loadManifest } from '../../src/local-platform/manifest.ts';
import { signedVid } from '../../src/local-platform/signed-visitor.ts';

const stack = useLocalStack();
const manifest = loadManifest('fastly.toml');
const VISITOR = 'u00042';
const MARKERS = ['pii-canary@example.com', 'pii-canary%40example.com', 'CANARYMATRIX', 'CANARYCOOKIE', 'CANARYQUERY', 'CANARYUTM', 'CANARYHEADER', 'CANARYUA', '203.0.113.77', 'CANARYBEACON', 'CANARYREF'];

describe('emitted log lines', () => {
  it('carry no marker from any input and no raw visitor id', async () => {
    const cookie = `consent=personalization,analytics; vid=${await signedVid(manifest, VISITOR)}; tracking=CANARYCOOKIE`;
    const headers = {
      cookie,
      'user-agent': 'Mozilla/5.0 CANARYUA',
      'x-canary': 'CANARYHEADER',
      'x-forwarded-for': '203.0.113.77',
      'fastly-client-ip': '203.0.113.77',
      referer: 'https://elsewhere.example/CANARYREF',
    };
    for (const path of ['/?q=CANARYQUERY&utm_source=CANARYUTM', '/category/running?sort=CANARYQUERY', '/product/running/sku-1001', '/account/pii-canary@example.com', '/category/running;jsessionid=CANARYMATRIX']) {
      const page = await fetch(stack.url(path), { headers });
      const html = await page.text();
      expect(page.status).toBeLessThan(500);
      // Template and page keys are the URL's path and query in plain text (cache-key.ts): never in a header.
      expect([...page.headers].flat().filter((text) => /CANARY|pii-canary|tpl:|page:/.test(text))).toEqual([]);
      // Recommendations are ranked at the edge now: only the account page's own "Picked for you"
      // block (a private, never-shared page) carries the raw visitor id.
      if (!path.startsWith('/account')) expect(html).not.toContain(VISITOR);
    }
    const beacon = await fetch(stack.url('/__beacon'), {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'click', slot: 'recs', item: 'sku-1001', page: '/product/running/sku-1001?ref=CANARYBEACON' }),
    });
    expect(beacon.status).toBe(204);
    await stack.edge.settled();

    const lines = stack.lines();
    expect(lines.filter((line) => line.startsWith('personalization_events :: ')).length).toBe(5);
    expect(lines.filter((line) => line.startsWith('clickstream :: ')).length).toBe(1);
    for (const marker of [...MARKERS, VISITOR, 'tpl:', 'page:']) {
      expect(lines.filter((line) => line.includes(marker))).toEqual([]);
    }
    const visitors = new Set(stack.events().map((event) => event.visitor));
    expect([...visitors].every((v) => typeof v === 'string' && /^[A-Za-z0-9_-]{22}$/.test(v))).toBe(true);
  });
});
