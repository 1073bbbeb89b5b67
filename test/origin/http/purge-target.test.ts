/** The `--edge` flag of the commands that purge: a local host by URL, Fastly's API, or nothing. */
import { describe, expect, it } from 'vitest';
import { readEdgeFlag } from '../../../origin/http/purge-target.ts';
import { describeTarget } from '../../../origin/http/edge-purge.ts';

describe('the --edge flag', () => {
  it('reads a URL as a local host, with a trailing slash', () => {
    expect(readEdgeFlag('http://127.0.0.1:7676', {})).toEqual({ ok: true, target: { kind: 'local', url: 'http://127.0.0.1:7676/' } });
  });

  it('reads none as no purge', () => {
    expect(readEdgeFlag('none', {})).toEqual({ ok: true, target: null });
  });

  it('reads fastly as the purge API, and never prints the token', () => {
    const flag = readEdgeFlag('fastly', { FASTLY_API_TOKEN: 'secret-token', FASTLY_SERVICE_ID: 'abc123' });
    expect(flag.ok && flag.target?.kind).toBe('fastly');
    expect(flag.ok && flag.target !== null && describeTarget(flag.target)).toBe('Fastly service abc123');
  });

  it.each(['fastly', 'ftp://example.com/', 'not a url'])('refuses %s without its settings or scheme', (value) => {
    const flag = readEdgeFlag(value, {});
    expect(flag.ok).toBe(false);
    expect(!flag.ok && flag.error).toMatch(/^--edge/);
  });
});
