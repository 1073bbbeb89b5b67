/** A stored page's metadata, written and read back (stored-page.ts): what a page-cache hit answers and logs. */
import { describe, expect, it } from 'vitest';
import { pageOf, storedMeta, type StoredPage } from '../../../src/core/page/stored-page.ts';

const BODY = new TextEncoder().encode('<p>page</p>');

function entry(meta: string, stale = false): { body: Uint8Array; meta: string; stale: boolean } {
  return { body: BODY, meta, stale };
}

describe('a stored page', () => {
  it('reads back with its status, type and experiment as stored', () => {
    const page: StoredPage = { body: BODY, status: 200, contentType: 'text/html', experiment: { exposed: ['hero-copy'], decision: 'tok' } };
    expect(pageOf(entry(storedMeta(page)))).toEqual(page);
  });

  it('reads back without an experiment when none was stored, with no experiment field', () => {
    const read = pageOf(entry(storedMeta({ body: BODY, status: 200, contentType: 'text/html' })));
    expect(read).toEqual({ body: BODY, status: 200, contentType: 'text/html' });
    expect(read !== null && 'experiment' in read).toBe(false);
  });

  it('drops an experiment whose exposed list is not all strings, and reads a missing decision as null', () => {
    expect(pageOf(entry('{"status":200,"contentType":"text/html","experiment":{"exposed":["a",1]}}'))?.experiment).toBeUndefined();
    expect(pageOf(entry('{"status":200,"contentType":"text/html","experiment":{"exposed":["a"]}}'))?.experiment).toEqual({ exposed: ['a'], decision: null });
  });

  it.each([
    { name: 'a pass marker', meta: '{"pass":true}' },
    { name: 'unreadable metadata', meta: '{"status":' },
    { name: 'JSON null', meta: 'null' },
    { name: 'a status that is not a number', meta: '{"status":"200","contentType":"text/html"}' },
    { name: 'no content type', meta: '{"status":200}' },
  ])('is not a page for $name', ({ meta }) => {
    expect(pageOf(entry(meta))).toBeNull();
  });

  it('is not a page when stale, or when there is no entry', () => {
    expect(pageOf(entry(storedMeta({ body: BODY, status: 200, contentType: 'text/html' }), true))).toBeNull();
    expect(pageOf(null)).toBeNull();
  });
});
