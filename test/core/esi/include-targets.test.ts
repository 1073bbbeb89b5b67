/** An include target's URL parts read from the page URL, as the URL parser gives them, whatever the page's host form. */
import { expect, it } from 'vitest';
import { IncludeTargets } from '../../../src/core/esi/include-targets.ts';
import { SETTINGS, VARS } from './esi-test-kit.ts';

it.each([
  'https://www.example.com/shop/page.html?q=1',
  'http://127.0.0.1:7676/p',
  'https://www.example.com:8443/p#top',
  'http://[::1]:8080/p',
  'http://user:secret@www.example.com/p',
  'http://WWW.Example.COM./p',
])('a plain path included from %s gets the URL parser href, protocol and host on the page origin', (page) => {
  const pageUrl = new URL(page);
  const target = new IncludeTargets({ pageUrl, vars: VARS, settings: SETTINGS }).resolve('/fragments/a?n=4');
  // On the page's origin: a userinfo part of the page URL is never sent on to a fragment.
  const expected = new URL('/fragments/a?n=4', pageUrl.origin);
  expect(target.ok).toBe(true);
  if (target.ok) {
    expect({ href: target.href, protocol: target.url.protocol, host: target.url.host }).toEqual({ href: expected.href, protocol: expected.protocol, host: expected.host });
  }
});

it.each(['/fragments/a?n=4', '/fragments/a?z=1&a=2&utm_source=x', 'frag.html', '../x/../fragments/b', 'https://www.example.com/fragments/c', 'http://evil.example/x', '/fragments/%7Ea'])(
  'resolves %s against the page href given as a string exactly as against its parsed URL',
  (value) => {
    const page = 'https://www.example.com:8443/shop/page.html?q=1';
    const fromString = new IncludeTargets({ pageUrl: page, vars: VARS, settings: SETTINGS }).resolve(value);
    const fromUrl = new IncludeTargets({ pageUrl: new URL(page), vars: VARS, settings: SETTINGS }).resolve(value);
    const parts = (target: typeof fromUrl) => (target.ok ? { ...target, url: { href: target.url.href, host: target.url.host, pathname: target.url.pathname, search: target.url.search } } : target);
    expect(parts(fromString)).toEqual(parts(fromUrl));
  },
);
