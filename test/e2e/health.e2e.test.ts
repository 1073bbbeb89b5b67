import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockStack, type MockStack } from '../security/support/mock-stack.ts';
import { ESI_HEADERS, send } from '../security/support/mock-origin.ts';

let stack: MockStack;

beforeAll(async () => {
  stack = await startMockStack({
    handlers: {
      templates: (_request, res) => send(res, 200, '<p>page</p>', ESI_HEADERS),
      profiles: (_request, res) => send(res, 503, 'down', { 'cache-control': 'no-store' }),
    },
  });
});
afterAll(async () => {
  await stack?.close();
});

interface Health {
  status: string;
  version: string;
  backends: { profiles: { breaker: string; failures: number | null; lastErrorAgeS: number | null }; templates: { breaker: string } };
}

async function health(): Promise<Health> {
  const response = await fetch(stack.url('/__health'));
  expect(response.status).toBe(200);
  return (await response.json()) as Health;
}

describe('/__health', () => {
  it('reports ok with a closed breaker and no error before any failure', async () => {
    const body = await health();
    expect(body.status).toBe('ok');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.backends.profiles).toEqual({ breaker: 'closed', failures: 0, lastErrorAgeS: null });
    expect(body.backends.templates.breaker).toBe('closed');
  });

  it('answers 200 degraded with the open breaker and the last error age once the profile store keeps failing', async () => {
    for (let i = 0; i < 8; i++) {
      const cookie = await stack.visitorCookie(`healthvisitor${i}`);
      await fetch(stack.url(`/p${i}`), { headers: { cookie } }).then((r) => r.text());
    }
    await expect.poll(async () => (await health()).backends.profiles.breaker, { timeout: 5_000 }).toBe('open');
    const body = await health();
    expect(body.status).toBe('degraded');
    expect(body.backends.profiles.lastErrorAgeS).toBeGreaterThanOrEqual(0);
    expect(body.backends.profiles.lastErrorAgeS).toBeLessThan(60);
  });
});
