import { describe, expect, it } from 'vitest';
import { profileFor } from '../../../origin/data/profile-for.ts';
import { at, useOrigin } from '../use-origin.ts';

const origin = useOrigin();

function send(path: string, init?: RequestInit): Promise<Response> {
  return fetch(at(origin().urls.profiles, path), init);
}

function postEvents(id: string, body: unknown): Promise<Response> {
  return send(`/profiles/${id}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

let next = 0;
function click(fields: Record<string, unknown> = {}): Record<string, unknown> {
  next++;
  return { eventId: `http-${next}`, type: 'click', item: 'sku-1003', category: 'running', ts: '2026-11-29T11:00:00Z', ...fields };
}

describe('profiles server', () => {
  it.each(['u00000', 'u00042', 'u09999', 'demo-vip'])('answers the seeded profile of %s as private JSON', async (id) => {
    const response = await send(`/profiles/${id}`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await response.json()).toEqual({ ...profileFor(id), recentItems: [], purchased: [] });
  });

  it.each([
    { path: '/profiles/u10000', status: 404 },
    { path: '/profiles/stranger', status: 404 },
    { path: '/profiles/', status: 400 },
    { path: '/profiles/a%20b', status: 400 },
    { path: `/profiles/${'a'.repeat(65)}`, status: 400 },
    { path: '/elsewhere', status: 404 },
  ])('answers $status for $path, still private', async ({ path, status }) => {
    const response = await send(path);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it.each([
    { method: 'PUT', path: '/profiles/u00001', allow: 'GET, DELETE' },
    { method: 'HEAD', path: '/profiles/u00001', allow: 'GET, DELETE' },
    { method: 'GET', path: '/profiles/u00001/events', allow: 'POST' },
  ])('answers 405 to $method $path', async ({ method, path, allow }) => {
    const response = await send(path, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('accepts a batch of events with 202 and the next read shows them', async () => {
    const response = await postEvents('u00010', [click({ item: 'sku-1004' }), click({ type: 'purchase', item: 'sku-1005' })]);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ applied: 2, duplicates: 0 });
    const profile = (await (await send('/profiles/u00010')).json()) as Record<string, unknown>;
    expect(profile).toMatchObject({ recentItems: ['sku-1005', 'sku-1004'], purchased: ['sku-1005'], recentCategories: expect.arrayContaining(['running']) as unknown });
    expect(profile.updatedAt).not.toBe(profileFor('u00010')?.updatedAt);
  });

  it('answers a replayed batch with 202 and changes nothing', async () => {
    const batch = [click(), click({ type: 'add_to_cart' })];
    await postEvents('u00011', batch);
    const before = await (await send('/profiles/u00011')).text();
    const replay = await postEvents('u00011', batch);
    expect(replay.status).toBe(202);
    expect(await replay.json()).toEqual({ applied: 0, duplicates: 2 });
    expect(await (await send('/profiles/u00011')).text()).toBe(before);
  });

  it('erases a profile: DELETE answers 204 and GET then 404', async () => {
    expect((await send('/profiles/u00012', { method: 'DELETE' })).status).toBe(204);
    expect((await send('/profiles/u00012')).status).toBe(404);
    expect((await send('/profiles/u00012', { method: 'DELETE' })).status).toBe(204);
  });

  const BAD_BATCHES: Array<{ name: string; id?: string; body: unknown; error: RegExp }> = [
    { name: 'invalid JSON', body: '[{"eventId":', error: /not valid JSON/ },
    { name: 'an object instead of an array', body: click(), error: /JSON array/ },
    { name: 'an empty batch', body: [], error: /empty/ },
    { name: 'an unknown event type', body: [click({ type: 'hover' })], error: /type must be one of/ },
    { name: 'an event without eventId', body: [click({ eventId: undefined })], error: /eventId/ },
    { name: 'an eventId with spaces', body: [click({ eventId: 'a b' })], error: /eventId/ },
    { name: 'a bad timestamp', body: [click({ ts: 'yesterday' })], error: /ts must be/ },
    { name: 'an impossible date', body: [click({ ts: '2026-13-45T99:00:00Z' })], error: /ts must be/ },
    { name: 'an upper-case category', body: [click({ category: 'Running' })], error: /category/ },
    { name: 'neither item nor category', body: [click({ item: null, category: null })], error: /item or a category/ },
    { name: 'a batch over 32 KiB', body: Array.from({ length: 150 }, () => click({ item: 'x'.repeat(64), pad: 'y'.repeat(100) })), error: /over 32768 bytes/ },
    { name: 'more than 256 events', body: Array.from({ length: 257 }, (_, i) => ({ eventId: `m${i}`, type: 'view', category: 'a', ts: '2026-11-29T11:00:00Z' })), error: /more than 256/ },
    { name: 'a bad visitor id', id: 'a%20b', body: [click()], error: /invalid visitor id/ },
    { name: 'a visitor id over 64 characters', id: 'a'.repeat(65), body: [click()], error: /invalid visitor id/ },
  ];

  it('refuses a body over 64 KiB with 413 before reading it as a batch', async () => {
    const response = await postEvents('u00013', 'x'.repeat(70_000));
    expect(response.status).toBe(413);
  });

  it.each(BAD_BATCHES)('answers 400 with a JSON error to $name, and writes nothing', async ({ id, body, error }) => {
    const response = await postEvents(id ?? 'u00013', body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(((await response.json()) as { error: string }).error).toMatch(error);
    expect(await (await send('/profiles/u00013')).json()).toEqual({ ...profileFor('u00013'), recentItems: [], purchased: [] });
  });
});
