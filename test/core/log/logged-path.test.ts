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
