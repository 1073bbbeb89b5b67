import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES } from '../../../origin/backend-name.ts';
import { at, useOrigin } from '../use-origin.ts';

const origin = useOrigin();

function control(backend: (typeof BACKEND_NAMES)[number], path: string, init?: RequestInit): Promise<Response> {
  return fetch(at(origin().urls[backend], path), init);
}

describe('origin control endpoint', () => {
  it.each(BACKEND_NAMES)('sets, reads and clears the %s fault over HTTP', async (backend) => {
    const set = await control(backend, '/__origin/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"status","status":418}' });
    expect(set.status).toBe(200);
    expect(origin().faults.get(backend)).toEqual({ kind: 'status', status: 418 });
    expect(await (await control(backend, '/__origin/faults')).json()).toEqual({ backend, fault: { kind: 'status', status: 418 } });
    const cleared = await control(backend, '/__origin/faults', { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    expect(origin().faults.get(backend)).toBeNull();
  });

  it('makes a fault set over HTTP take effect on the next request', async () => {
    await control('profiles', '/__origin/faults', { method: 'POST', body: '{"kind":"status","status":503,"pathPrefix":"/profiles/u0"}' });
    expect((await control('profiles', '/profiles/u00001')).status).toBe(503);
    expect((await control('profiles', '/profiles/demo-vip')).status).toBe(200);
    await control('profiles', '/__origin/faults', { method: 'DELETE' });
    expect((await control('profiles', '/profiles/u00001')).status).toBe(200);
  });

  it.each([
    { body: 'not json', error: 'body is not valid JSON' },
    { body: '[]', error: 'a fault must be a JSON object' },
    { body: '{"kind":"explode"}', error: 'kind must be one of latency, status, garbage, hang, oversized, drip, jitter' },
    { body: '{"kind":"latency","ms":-1}', error: 'ms must be an integer from 0 to 600000' },
    { body: '{"kind":"status","status":99}', error: 'status must be an integer from 200 to 599' },
    { body: '{"kind":"hang","ms":5}', error: 'unknown field "ms" for a hang fault' },
    { body: `{"kind":"hang","pad":"${'x'.repeat(5000)}"}`, error: 'body over 4096 bytes' },
  ])('rejects $body with 400 and keeps the previous fault', async ({ body, error }) => {
    origin().faults.set('fragments', { kind: 'garbage' });
    const response = await control('fragments', '/__origin/faults', { method: 'POST', body });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error });
    expect(origin().faults.get('fragments')).toEqual({ kind: 'garbage' });
  });

  it('answers 405 for other methods and 404 for unknown control paths', async () => {
    expect((await control('templates', '/__origin/faults', { method: 'PUT', body: '{}' })).status).toBe(405);
    expect((await control('templates', '/__origin/nope')).status).toBe(404);
  });

  it('serves and clears the request log of its backend, without logging control requests', async () => {
    await control('fragments', '/fragments/hero?seg=vip');
    await control('templates', '/');
    const log = (await (await control('fragments', '/__origin/requests')).json()) as { requests: { path: string; backend: string }[] };
    expect(log.requests.map((entry) => `${entry.backend} ${entry.path}`)).toEqual(['fragments /fragments/hero?seg=vip']);
    await control('fragments', '/__origin/requests', { method: 'DELETE' });
    expect(origin().requests.count('fragments')).toBe(0);
    expect(origin().requests.count('templates', '/')).toBe(1);
  });

  it('answers a health check', async () => {
    expect(await (await control('profiles', '/__origin/health')).json()).toEqual({ backend: 'profiles', ok: true });
  });

  it('refuses an invalid fault set in-process', () => {
    expect(() => origin().faults.set('templates', { kind: 'latency', ms: 1.5 })).toThrow(TypeError);
    expect(origin().faults.get('templates')).toBeNull();
  });
});
