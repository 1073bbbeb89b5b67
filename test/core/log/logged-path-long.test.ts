/**
 * A logged path is cut at 512 characters, so only its first 512 segments are tested for personal
 * data (logged-path.ts): a segment past them starts past the cut. At the edge, a personal segment
 * is still never logged, and a client's path of 4,000 segments logs what it logged before.
 */
import { describe, expect, it } from 'vitest';
import { loggedPath } from '../../../src/core/log/logged-path.ts';

describe('loggedPath of a long path', () => {
  it('redacts a personal segment starting at the last character kept, and cuts one after it', () => {
    expect(loggedPath(`${'/'.repeat(511)}jane@example.com`)).toBe(`${'/'.repeat(511)}:`);
    expect(loggedPath(`${'/'.repeat(511)}jane@example.com/a`)).toBe(`${'/'.repeat(511)}:`);
    expect(loggedPath(`${'/'.repeat(512)}jane@example.com`)).toBe('/'.repeat(512));
    expect(loggedPath(`${'/a'.repeat(255)}/jane@example.com`)).toBe(`${'/a'.repeat(255)}/:`);
  });

  it('logs 4,000 segments as their first 512 characters, whatever follows', () => {
    const head = '/category/a@b.c/4929123456781234/x;jsessionid=1';
    const tail = '/a'.repeat(4000);
    const logged = loggedPath(head + tail);
    expect(logged).toBe(`/category/:redacted/:redacted/x${'/a'.repeat(4000)}`.slice(0, 512));
    expect(loggedPath(head + tail.replaceAll('/a', '/jane@example.com'))).toBe(`/category/:redacted/:redacted/x${'/:redacted'.repeat(100)}`.slice(0, 512));
  });
});
