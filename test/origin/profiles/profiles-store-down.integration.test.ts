import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startOrigin, type RunningOrigin } from '../../../origin/start-origin.ts';
import { REDIS_SERVER, REDIS_SKIP_REASON, startRedis, type RunningRedis } from '../../../support/redis-server.ts';

let origin: RunningOrigin | null = null;
let redis: RunningRedis | null = null;
let dir = '';

afterEach(async () => {
  await origin?.close();
  await redis?.stop();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  origin = null;
  redis = null;
  dir = '';
});

const BATCH = JSON.stringify([{ eventId: 'down-1', type: 'click', item: 'sku-1001', ts: '2026-11-29T12:00:00Z' }]);

async function expectUnavailable(base: string): Promise<void> {
  const posted = await fetch(new URL('/profiles/u00001/events', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: BATCH });
  expect(posted.status).toBe(503);
  expect(posted.headers.get('content-type')).toBe('application/json');
  expect(await posted.json()).toEqual({ error: 'profile store unavailable' });
  expect((await fetch(new URL('/profiles/u00001', base))).status).toBe(503);
  expect((await fetch(new URL('/profiles/u00001', base), { method: 'DELETE' })).status).toBe(503);
}

describe('the profile service with its store unavailable', () => {
  it('answers 503 once the embedded store cannot write its journal', async () => {
    dir = await mkdtemp(join(tmpdir(), 'profiles-down-'));
    origin = await startOrigin({ quiet: true, profileStore: { dir } });
    await rm(dir, { recursive: true, force: true });
    await expectUnavailable(origin.urls.profiles);
  });

  it.skipIf(REDIS_SERVER === null)(`answers 503 while Redis is down (${REDIS_SERVER === null ? REDIS_SKIP_REASON : 'real redis-server'})`, async () => {
    redis = await startRedis();
    origin = await startOrigin({ quiet: true, profileStore: { url: redis.url } });
    expect((await fetch(new URL('/profiles/u00001', origin.urls.profiles))).status).toBe(200);
    await redis.stop();
    await expectUnavailable(origin.urls.profiles);
  });
});
