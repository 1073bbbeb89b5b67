import { describe, expect, it } from 'vitest';
import { startOrigin } from '../../../origin/start-origin.ts';
import { at, useOrigin } from '../use-origin.ts';

const origin = useOrigin();

/** Reads a body chunk by chunk, as the network delivered it. */
async function readChunks(response: Response): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

const total = (chunks: Uint8Array[]): number => chunks.reduce((sum, chunk) => sum + chunk.length, 0);

describe('fault injection', () => {
  it('delays the answer by at least the latency', async () => {
    origin().faults.set('profiles', { kind: 'latency', ms: 250 });
    const started = performance.now();
    const response = await fetch(at(origin().urls.profiles, '/profiles/u00001'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'u00001' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
  });

  it.each([503, 500, 429, 200])('answers with status %i and no route body', async (status) => {
    origin().faults.set('templates', { kind: 'status', status });
    const response = await fetch(at(origin().urls.templates, '/'));
    expect(response.status).toBe(status);
    expect(response.headers.get('surrogate-control')).toBeNull();
    expect(await response.text()).toBe(`origin fault: status ${status}\n`);
  });

  it('answers garbage with 200 and the route content type, which does not parse as JSON', async () => {
    origin().faults.set('profiles', { kind: 'garbage' });
    const response = await fetch(at(origin().urls.profiles, '/profiles/u00001'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const text = await response.text();
    expect(text.length).toBeGreaterThan(100);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('answers garbage instead of the template on the templates backend', async () => {
    origin().faults.set('templates', { kind: 'garbage' });
    const response = await fetch(at(origin().urls.templates, '/'));
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes[0]).toBe(0xff);
    expect(new TextDecoder().decode(bytes)).not.toContain('<!doctype html>');
  });

  it('hangs without answering until the client gives up', async () => {
    origin().faults.set('profiles', { kind: 'hang' });
    const attempt = fetch(at(origin().urls.profiles, '/profiles/u00001'), { signal: AbortSignal.timeout(300) });
    await expect(attempt).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(origin().requests.count('profiles', '/profiles/u00001')).toBe(1);
  });

  it('streams an oversized body of exactly the default 10 MiB without a Content-Length', async () => {
    origin().faults.set('fragments', { kind: 'oversized', bytes: 10 * 1024 * 1024 });
    const response = await fetch(at(origin().urls.fragments, '/fragments/hero?seg=vip'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBeNull();
    expect(total(await readChunks(response))).toBe(10 * 1024 * 1024);
  });

  it('uses 10 MiB when an oversized fault names no size', async () => {
    const response = await fetch(at(origin().urls.fragments, '/__origin/faults'), { method: 'POST', body: '{"kind":"oversized"}' });
    expect(await response.json()).toMatchObject({ fault: { kind: 'oversized', bytes: 10 * 1024 * 1024 } });
  });

  it('drips the real body in small pieces spaced by the interval', async () => {
    const whole = await (await fetch(at(origin().urls.templates, '/'))).text();
    origin().faults.set('templates', { kind: 'drip', intervalMs: 40, chunkBytes: 1024 });
    const started = performance.now();
    const response = await fetch(at(origin().urls.templates, '/'));
    const chunks = await readChunks(response);
    const pieces = Math.ceil(Buffer.byteLength(whole) / 1024);
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(pieces / 2));
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeLessThanOrEqual(2048);
    expect(new TextDecoder().decode(Buffer.concat(chunks))).toBe(whole);
    expect(performance.now() - started).toBeGreaterThanOrEqual((pieces - 1) * 40 - 5);
  });

  it('faults only paths under the fault path prefix', async () => {
    origin().faults.set('fragments', { kind: 'status', status: 500, pathPrefix: '/fragments/recs' });
    expect((await fetch(at(origin().urls.fragments, '/fragments/recs?seg=vip'))).status).toBe(500);
    expect((await fetch(at(origin().urls.fragments, '/fragments/recs/visitor?vid=u00001'))).status).toBe(500);
    expect((await fetch(at(origin().urls.fragments, '/fragments/hero?seg=vip'))).status).toBe(200);
  });

  it('never faults its own control endpoint', async () => {
    origin().faults.set('templates', { kind: 'hang' });
    const response = await fetch(at(origin().urls.templates, '/__origin/faults'), { signal: AbortSignal.timeout(2000) });
    expect(await response.json()).toEqual({ backend: 'templates', fault: { kind: 'hang' } });
  });

  it('faults only the backend it was set on', async () => {
    origin().faults.set('profiles', { kind: 'status', status: 503 });
    expect((await fetch(at(origin().urls.templates, '/'))).status).toBe(200);
    expect((await fetch(at(origin().urls.fragments, '/fragments/hero'))).status).toBe(200);
  });

  it('applies faults given at start', async () => {
    const faulty = await startOrigin({ quiet: true, faults: [{ backend: 'profiles', kind: 'status', status: 502 }] });
    try {
      expect((await fetch(at(faulty.urls.profiles, '/profiles/u00001'))).status).toBe(502);
      expect((await fetch(at(faulty.urls.templates, '/'))).status).toBe(200);
    } finally {
      await faulty.close();
    }
  });

  it.each([
    { kind: 'hang' as const },
    { kind: 'drip' as const, intervalMs: 10_000, chunkBytes: 16 },
    { kind: 'latency' as const, ms: 60_000 },
  ])('ends a pending $kind response when the origin closes', async (fault) => {
    const doomed = await startOrigin({ quiet: true });
    doomed.faults.set('templates', fault);
    const pending = fetch(at(doomed.urls.templates, '/')).then((response) => response.text());
    await new Promise((resolve) => setTimeout(resolve, 100));
    await doomed.close();
    await expect(pending).rejects.toThrow();
  });
});
