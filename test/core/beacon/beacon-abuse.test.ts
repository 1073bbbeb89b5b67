import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { beaconJson, clickstreamLines, makeDeps, postBeacon } from './make-deps.ts';
import { RateLimiter } from '../../../src/node-host/rate-limiter.ts';

describe('beacon abuse', () => {
  it('answers 429 with Retry-After once the client is over its beacon rate, and logs nothing for it', async () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(() => now);
    const entries: string[] = [];
    const deps = makeDeps({
      config: { settings: JSON.stringify({ beaconRatePerSecond: 2 }) },
      overRateLimit: (entry, perSecond, window) => {
        entries.push(entry);
        return limiter.overRateLimit(entry, perSecond, window);
      },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await postBeacon(deps, { body: beaconJson() })).status);
    expect(statuses.slice(0, 20).every((status) => status === 204)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    const limited = await postBeacon(deps, { body: beaconJson() });
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(await limited.json()).toEqual({ error: 'too many beacons' });
    expect(clickstreamLines(deps)).toHaveLength(20);
    expect(new Set(entries)).toEqual(new Set(['beacon:192.0.2.7']));
    now += 61_000;
    expect((await postBeacon(deps, { body: beaconJson() })).status).toBe(204);
  });

  it.each(['gzip', 'deflate', 'br', 'GZIP, identity'])('refuses a body with Content-Encoding %s with 415 and logs nothing', async (encoding) => {
    const deps = makeDeps();
    const response = await postBeacon(deps, { body: gzipSync(beaconJson()), headers: { 'content-encoding': encoding } });
    expect(response.status).toBe(415);
    expect((await response.json()) as { error: string }).toEqual({ error: 'content-encoding is not supported: send the body uncompressed' });
    expect(clickstreamLines(deps)).toEqual([]);
  });

  it('accepts Content-Encoding: identity', async () => {
    const deps = makeDeps();
    expect((await postBeacon(deps, { body: beaconJson(), headers: { 'content-encoding': 'identity' } })).status).toBe(204);
  });

  it('logs a path template or a redacted page path, never an email in the path', async () => {
    const deps = makeDeps({ config: { settings: JSON.stringify({ logPaths: ['/account/*'] }) } });
    await postBeacon(deps, { body: beaconJson({ page: '/account/pii-canary@example.com/orders' }) });
    await postBeacon(deps, { body: beaconJson({ page: '/orders/pii-canary%40example.com;jsessionid=abc' }) });
    expect(clickstreamLines(deps).map((event) => event.page)).toEqual(['/account/*', '/orders/:redacted']);
  });
});
