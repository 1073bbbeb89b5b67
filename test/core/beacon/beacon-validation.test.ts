import { describe, expect, it } from 'vitest';
import { beaconJson, makeDeps, postBeacon } from './make-deps.ts';

const longPath = `/${'a'.repeat(512)}`;

/** Each case is refused with 400, a JSON error, and no log line at all. */
const MALFORMED: Array<{ name: string; body: BodyInit | null; contentType?: string | null }> = [
  { name: 'an empty body', body: '' },
  { name: 'invalid JSON', body: '{"type":' },
  { name: 'a JSON array', body: '[]' },
  { name: 'a JSON string', body: '"click"' },
  { name: 'null', body: 'null' },
  { name: 'an unknown type', body: beaconJson({ type: 'refund' }) },
  { name: 'a string value', body: beaconJson({ type: 'purchase', value: '59.90' }) },
  { name: 'a negative value', body: beaconJson({ type: 'purchase', value: -1 }) },
  { name: 'a value with three decimals', body: beaconJson({ type: 'purchase', value: 1.234 }) },
  { name: 'a huge value', body: beaconJson({ type: 'purchase', value: 1e12 }) },
  { name: 'a numeric decision', body: beaconJson({ decision: 42 }) },
  { name: 'an oversize decision', body: beaconJson({ decision: 'x'.repeat(2049) }) },
  { name: 'a missing slot', body: JSON.stringify({ type: 'click', item: 'a', page: '/' }) },
  { name: 'a numeric item', body: beaconJson({ item: 123 }) },
  { name: 'a slot with spaces', body: beaconJson({ slot: 'rec s' }) },
  { name: 'a slot over 64 characters', body: beaconJson({ slot: 'x'.repeat(65) }) },
  { name: 'an item with markup', body: beaconJson({ item: '<script>' }) },
  { name: 'an item with a newline', body: beaconJson({ item: 'sku\n1' }) },
  { name: 'an extra field', body: beaconJson({ visitor: 'u00042' }) },
  { name: 'a prototype key', body: '{"type":"click","slot":"recs","item":"a","page":"/","__proto__":{"x":1}}' },
  { name: 'a page without a leading slash', body: beaconJson({ page: 'product/x' }) },
  { name: 'an absolute page URL', body: beaconJson({ page: 'https://evil.example/x' }) },
  { name: 'a protocol-relative page', body: beaconJson({ page: '//evil.example/x' }) },
  { name: 'a backslash page', body: beaconJson({ page: '/\\evil.example' }) },
  { name: 'a page with a space', body: beaconJson({ page: '/a b' }) },
  { name: 'a page over 512 characters', body: beaconJson({ page: longPath }) },
  { name: 'a body over 4 KiB', body: beaconJson({ page: `/${'a'.repeat(5000)}` }) },
  { name: 'invalid UTF-8', body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) },
  { name: 'form content type', body: beaconJson(), contentType: 'application/x-www-form-urlencoded' },
  { name: 'no content type', body: new TextEncoder().encode(beaconJson()), contentType: null },
  { name: 'a non-UTF-8 charset', body: beaconJson(), contentType: 'text/plain; charset=iso-8859-1' },
];

describe('beacon validation', () => {
  it.each(MALFORMED)('refuses $name with 400 and logs nothing', async ({ body, contentType }) => {
    const deps = makeDeps();
    const response = await postBeacon(deps, { body, contentType });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const payload = (await response.json()) as { error?: unknown };
    expect(typeof payload.error).toBe('string');
    expect(deps.lines).toEqual([]);
  });

  it('refuses an oversized streamed body whatever Content-Length claims', async () => {
    const deps = makeDeps();
    const chunk = new TextEncoder().encode('x'.repeat(1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 64) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const request = new Request('https://shop.example/__beacon', {
      method: 'POST', body, headers: { 'content-type': 'application/json', 'content-length': '10' }, duplex: 'half',
    } as RequestInit);
    const { createHandler } = await import('../../../src/core/handler.ts');
    const response = await createHandler(deps)(request, { clientAddress: '192.0.2.7', requestId: 'r', waitUntil: () => undefined });
    expect(response.status).toBe(400);
    expect(sent).toBeLessThan(64);
    expect(deps.lines).toEqual([]);
  });

  it('accepts a page of exactly 512 characters', async () => {
    const deps = makeDeps();
    const response = await postBeacon(deps, { body: beaconJson({ page: longPath.slice(0, 512) }) });
    expect(response.status).toBe(204);
  });

  it('accepts application/json with a charset parameter', async () => {
    const deps = makeDeps();
    const response = await postBeacon(deps, { body: beaconJson(), contentType: 'application/json; charset=utf-8' });
    expect(response.status).toBe(204);
  });
});
