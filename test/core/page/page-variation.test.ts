import { describe, expect, it } from 'vitest';
import { processEsi } from '../../../src/core/esi/esi-processor.ts';
import { variablesRead } from '../../../src/core/esi/variable-reads.ts';
import { MAX_VARIED_VARIABLES, readVariation, variationValues, widen, writeVariation } from '../../../src/core/page/page-variation.ts';
import { MemoryEdgeCache } from '../../../src/local-platform/memory-edge-cache.ts';
import type { EdgeCache } from '../../../src/core/ports.ts';
import { PAGE_URL, SETTINGS, VARS, fakeFetcher, readAll, streamOf } from '../esi/esi-test-kit.ts';
import { MAX_META_CHARS } from '../../../src/core/edge-cache-document.ts';

async function variablesReadBy(template: string, vars = VARS): Promise<string[]> {
  const { body, report } = processEsi({ body: streamOf([template]), pageUrl: PAGE_URL, vars: { ...vars }, settings: SETTINGS, fetchFragment: fakeFetcher({}), now: () => performance.now() });
  await readAll(body);
  return (await report).variables;
}

describe('what a page varies on', () => {
  it.each([
    { name: 'nothing for a template without variables', template: '<p>plain</p>', expected: [] },
    { name: 'a variable inside esi:vars', template: '<esi:vars>$(SEGMENT) $(VARIANT{hero-copy})</esi:vars>', expected: ['SEGMENT', 'VARIANT{hero-copy}'] },
    { name: 'a variable in an include src', template: '<esi:include src="/fragments/x?d=$(DEVICE)" onerror="continue"/>', expected: ['DEVICE'] },
    { name: 'the visitor id read by a test', template: "<esi:choose><esi:when test=\"$(VISITOR) != ''\">a</esi:when></esi:choose>", expected: ['VISITOR'] },
    {
      name: 'only the branch taken and the tests evaluated',
      template: "<esi:choose><esi:when test=\"$(SEGMENT) == 'vip'\"><esi:vars>$(LOCALE)</esi:vars></esi:when><esi:otherwise><esi:vars>$(DEVICE)</esi:vars></esi:otherwise></esi:choose>",
      expected: VARS.segment === 'vip' ? ['LOCALE', 'SEGMENT'] : ['DEVICE', 'SEGMENT'],
    },
    { name: 'nothing inside esi:remove', template: '<esi:remove><esi:vars>$(SEGMENT)</esi:vars></esi:remove>', expected: [] },
    { name: 'nothing outside ESI markup', template: '<script>$(SEGMENT)</script>', expected: [] },
  ])('reads $name', async ({ template, expected }) => {
    expect(await variablesReadBy(template)).toEqual(expected);
  });

  it('widens a remembered variation to a sorted union', () => {
    expect(widen(['SEGMENT'], ['DEVICE', 'SEGMENT'])).toEqual(['DEVICE', 'SEGMENT']);
    expect(widen(null, ['LOCALE'])).toEqual(['LOCALE']);
  });

  it('drops repeats within and across both lists', () => {
    expect(widen(['SEGMENT', 'DEVICE'], ['VARIANT{hero}', 'DEVICE', 'VARIANT{hero}', 'GEO{region}'])).toEqual(['DEVICE', 'GEO{region}', 'SEGMENT', 'VARIANT{hero}']);
    expect(widen([], [])).toEqual([]);
  });

  it('widens exactly to the bound and no further', () => {
    const names = Array.from({ length: MAX_VARIED_VARIABLES }, (_, i) => `QUERY_STRING{p${i}}`);
    expect(widen(names.slice(0, 10), names.concat(names))).toHaveLength(MAX_VARIED_VARIABLES);
    expect(widen(names, ['DEVICE'])).toBeNull();
  });

  it('refuses to widen past the bound, so a key stays small', () => {
    const many = Array.from({ length: MAX_VARIED_VARIABLES + 1 }, (_, i) => `VARIANT{e${i}}`);
    expect(widen(null, many)).toBeNull();
  });

  it('pairs each variable with its value for the key', () => {
    const values = variationValues(['GEO{region}', 'SEGMENT', 'VARIANT{nope}'], { ...VARS, segment: 'vip', geo: { region: 'apac', country: 'JP' } });
    expect(values).toEqual([['GEO{region}', 'apac'], ['SEGMENT', 'vip'], ['VARIANT{nope}', '']]);
  });

  it('reads the values for the key without counting them as read by the page', () => {
    const vars = { ...VARS, segment: 'vip', query: 'color=red' };
    expect(variationValues(['QUERY_STRING{color}', 'SEGMENT'], vars)).toEqual([['QUERY_STRING{color}', 'red'], ['SEGMENT', 'vip']]);
    expect(variablesRead(vars)).toEqual([]);
  });

  it.each([
    { name: 'a list of variable names as it is', stored: '["DEVICE","SEGMENT"]', expected: ['DEVICE', 'SEGMENT'] },
    { name: 'an empty list as it is', stored: '[]', expected: [] },
    { name: 'a list with a number in it as none', stored: '["SEGMENT",1]', expected: null },
    { name: 'a list with null in it as none', stored: '[null]', expected: null },
    { name: 'an object as none', stored: '{"0":"SEGMENT"}', expected: null },
    { name: 'text that is not JSON as none', stored: '["SEGMENT"', expected: null },
    { name: 'no entry as none', stored: null, expected: null },
  ])('reads $name from the edge cache', async ({ stored, expected }) => {
    const cache: Pick<EdgeCache, 'lookup'> = {
      lookup: () => Promise.resolve(stored === null ? null : { body: new TextEncoder().encode(stored), meta: '', stale: false }),
    };
    expect(await readVariation(cache as EdgeCache, 'template-key')).toEqual(expected);
  });

  it('keeps a variation in the entry\'s metadata with an empty body, and reads it back', async () => {
    const cache = new MemoryEdgeCache();
    await writeVariation(cache, 'template-key', ['DEVICE', 'SEGMENT']);
    const entry = await cache.lookup('vary:v1:template-key');
    expect(entry?.body.byteLength).toBe(0);
    expect(entry?.meta).toBe('["DEVICE","SEGMENT"]');
    expect(await readVariation(cache, 'template-key')).toEqual(['DEVICE', 'SEGMENT']);
  });

  it('keeps a variation of unusually long names in the body, and reads it back', async () => {
    const cache = new MemoryEdgeCache();
    const long = [`QUERY_STRING{${'p'.repeat(MAX_META_CHARS)}}`, 'SEGMENT'];
    await writeVariation(cache, 'template-key', long);
    const entry = await cache.lookup('vary:v1:template-key');
    expect(entry?.body.byteLength).toBeGreaterThan(MAX_META_CHARS);
    expect(entry?.meta).toBe('');
    expect(await readVariation(cache, 'template-key')).toEqual(long);
  });
});
