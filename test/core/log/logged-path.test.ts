import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loggedPath } from '../../../src/core/log/logged-path.ts';

const TEMPLATES = ['/account/*', '/product/:category/:sku', '/category/:category'];

describe('loggedPath', () => {
  it.each([
    { name: 'a configured rest template', path: '/account/jane@example.com', expected: '/account/*' },
    { name: 'a rest template over several segments', path: '/account/orders/12', expected: '/account/*' },
    { name: 'a named-segment template', path: '/product/running/sku-1001', expected: '/product/:category/:sku' },
    { name: 'no template: an email segment', path: '/users/jane@example.com/cart', expected: '/users/:redacted/cart' },
    { name: 'no template: a percent-encoded email', path: '/u/jane%40example.com', expected: '/u/:redacted' },
    { name: 'no template: a long digit run', path: '/orders/4929123456781234', expected: '/orders/:redacted' },
    { name: 'no template: a UUID', path: '/reset/3f2504e0-4f89-11d3-9a0c-0305e82c3301', expected: '/reset/:redacted' },
    { name: 'no template: a long token', path: '/confirm/eyJhbGciOiJIUzI1NiJ9abc123', expected: '/confirm/:redacted' },
    { name: 'matrix parameters', path: '/cart;jsessionid=ABC123;x=1/view', expected: '/cart/view' },
    { name: 'an ordinary path', path: '/category/running-shoes', expected: '/category/:category' },
    { name: 'an ordinary path no template matches', path: '/static/site.css', expected: '/static/site.css' },
    { name: 'the root', path: '/', expected: '/' },
    { name: 'a short number', path: '/page/2', expected: '/page/2' },
    { name: 'a rest template needs at least one segment', path: '/account', expected: '/account' },
  ])('logs $name as $expected', ({ path, expected }) => {
    expect(loggedPath(path, TEMPLATES)).toBe(expected);
  });

  it.each([
    { path: '/static/site.css', expected: '/static/site.css' },
    { path: '/u/x%40y', expected: '/u/:redacted' },
    { path: '/orders/123456', expected: '/orders/:redacted' },
    { path: '/t/abcdefghij0123456789', expected: '/t/:redacted' },
    { path: '/t/abcdefghijklmnopqrst', expected: '/t/abcdefghijklmnopqrst' },
    { path: '/a;b=1/c', expected: '/a/c' },
  ])('logs $path as $expected without templates', ({ path, expected }) => {
    expect(loggedPath(path)).toBe(expected);
  });

  it('logs any path without templates as it logs it through templates that match nothing', () => {
    const part = fc.constantFrom('a', 'Z', '0', '9', '@', ';', '%', '%40', '%4', '-', '.', '~', '/', 'é', '%C3%A9', '123456', 'x'.repeat(19), '=');
    const never = [`/${'q'.repeat(600)}`];
    fc.assert(
      fc.property(fc.array(part, { maxLength: 40 }), (parts) => {
        const path = `/${parts.join('')}`;
        expect(loggedPath(path)).toBe(loggedPath(path, never));
      }),
      { numRuns: 2000 },
    );
  });

  it('never logs an email address, whatever the path around it', () => {
    const segment = fc.stringMatching(/^[a-z0-9-]{0,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 5 }), fc.array(segment, { maxLength: 5 }), fc.emailAddress(), (before, after, email) => {
        const path = `/${[...before, encodeURIComponent(email), ...after].join('/')}`;
        const logged = loggedPath(path);
        expect(logged).not.toContain('@');
        expect(logged).not.toContain('%40');
      }),
    );
  });
});
