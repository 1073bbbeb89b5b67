import { describe, expect, it } from 'vitest';
import { RequestLog } from '../../origin/request-log.ts';
import { at, useOrigin } from './use-origin.ts';

const origin = useOrigin();

describe('request log', () => {
  it('records backend, method, path with query and lowercased headers of each request', async () => {
    await fetch(at(origin().urls.fragments, '/fragments/hero?seg=vip&v=bold'), { headers: { 'X-Probe': 'one', Accept: 'text/html' } });
    const entry = origin().requests.last('fragments');
    expect(entry).toMatchObject({ backend: 'fragments', method: 'GET', path: '/fragments/hero?seg=vip&v=bold', pathname: '/fragments/hero' });
    expect(entry?.headers['x-probe']).toBe('one');
    expect(entry?.headers.accept).toBe('text/html');
    expect(entry?.headers.cookie).toBeUndefined();
  });

  it('counts by backend, by pathname, or by exact path with query', async () => {
    for (const path of ['/', '/', '/category/running?sort=price', '/category/running']) await fetch(at(origin().urls.templates, path));
    await fetch(at(origin().urls.profiles, '/profiles/u00001'));
    const { requests } = origin();
    expect(requests.count('templates')).toBe(4);
    expect(requests.count('templates', '/')).toBe(2);
    expect(requests.count('templates', '/category/running')).toBe(2);
    expect(requests.count('templates', '/category/running?sort=price')).toBe(1);
    expect(requests.count('profiles', '/')).toBe(0);
    expect(requests.count()).toBe(5);
    expect(requests.all().map((entry) => entry.backend)).toEqual(['templates', 'templates', 'templates', 'templates', 'profiles']);
  });

  it('records requests that a fault answers, even a hang', async () => {
    origin().faults.set('profiles', { kind: 'hang' });
    await expect(fetch(at(origin().urls.profiles, '/profiles/u00002'), { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(origin().requests.count('profiles', '/profiles/u00002')).toBe(1);
  });

  it('clears one backend or everything', async () => {
    await fetch(at(origin().urls.templates, '/'));
    await fetch(at(origin().urls.fragments, '/fragments/hero'));
    origin().requests.clear('templates');
    expect(origin().requests.count('templates')).toBe(0);
    expect(origin().requests.count('fragments')).toBe(1);
    origin().requests.clear();
    expect(origin().requests.count()).toBe(0);
  });

  it('keeps only the most recent entries beyond its capacity', () => {
    const log = new RequestLog(3);
    for (const path of ['/a', '/b', '/c', '/d']) log.record({ backend: 'templates', method: 'GET', path, pathname: path, headers: {}, receivedAt: 0 });
    expect(log.all().map((entry) => entry.path)).toEqual(['/b', '/c', '/d']);
  });
});
