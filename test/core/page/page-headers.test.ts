/**
 * The personalized head: the same fields whether or not the page sets cookies, each Set-Cookie
 * its own field line, the debug header only when asked for (or on a QA preview).
 */
import { describe, expect, it } from 'vitest';
import { personalizedHeaders, type PersonalizedHead } from '../../../src/core/page/page-headers.ts';

function head(options: { cookies?: string[]; debugHeaders?: boolean; preview?: boolean }): PersonalizedHead {
  return {
    contentType: 'text/html; charset=utf-8',
    visitor: { config: { settings: { debugHeaders: options.debugHeaders ?? false } }, facts: { identity: { consent: 'granted' } } },
    decision: { cookies: options.cookies ?? [], preview: options.preview ?? false, decision: { segment: 'runner', variants: { hero: 'bold', grid: 'control' } } },
    pageCache: 'MISS',
    timings: { profile: 1.25, template: 2, fragments: 0.04, total: 3.5 },
  } as unknown as PersonalizedHead;
}

const TIMING = 'profile;dur=1.3, template;dur=2.0, fragments;dur=0.0, total;dur=3.5';
const DEBUG = 'segment=runner; variants=hero:bold,grid:control; consent=granted; cache=MISS';

describe('personalizedHeaders', () => {
  it.each([
    { name: 'no cookie, no debug header', options: {}, debug: null },
    { name: 'no cookie, debug headers on', options: { debugHeaders: true }, debug: DEBUG },
    { name: 'a QA preview', options: { preview: true }, debug: `${DEBUG}; preview=1` },
    { name: 'two cookies and debug headers', options: { cookies: ['vid=a.b; Path=/', 'sess=c.d; Path=/'], debugHeaders: true }, debug: DEBUG },
    { name: 'one cookie', options: { cookies: ['vid=a.b; Path=/'] }, debug: null },
  ])('$name', ({ options, debug }) => {
    const headers = new Headers(personalizedHeaders(head(options)));
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(headers.get('cache-control')).toBe('private, no-store');
    expect(headers.get('server-timing')).toBe(TIMING);
    expect(headers.get('x-personalization')).toBe(debug);
    expect(headers.getSetCookie()).toEqual(options.cookies ?? []);
  });
});
