import { describe, expect, it } from 'vitest';
import { profileFor } from '../../../origin/data/profile-for.ts';
import { at, useOrigin } from '../use-origin.ts';

const origin = useOrigin();

function get(path: string, init?: RequestInit): Promise<Response> {
  return fetch(at(origin().urls.profiles, path), init);
}

describe('profiles server', () => {
  it.each(['u00000', 'u00042', 'u09999', 'demo-vip'])('answers the dataset profile of %s as private JSON', async (id) => {
    const response = await get(`/profiles/${id}`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await response.json()).toEqual(profileFor(id));
  });

  it.each([
    { path: '/profiles/u10000', status: 404 },
    { path: '/profiles/stranger', status: 404 },
    { path: '/profiles/', status: 400 },
    { path: '/profiles/a%20b', status: 400 },
    { path: `/profiles/${'a'.repeat(65)}`, status: 400 },
    { path: '/elsewhere', status: 404 },
  ])('answers $status for $path, still private', async ({ path, status }) => {
    const response = await get(path);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it.each(['POST', 'PUT', 'DELETE', 'HEAD'])('answers 405 to %s', async (method) => {
    const response = await get('/profiles/u00001', { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });
});
