/**
 * The benchmark corpus is generated: the committed files must be exactly what the generator
 * writes, and the pages built from them must hold what the benchmarks claim they hold.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusFiles } from '../../bench/corpus-generator.ts';
import { legacyTemplate, storeTemplate } from '../../bench/corpus-pages.ts';

const count = (bytes: Uint8Array, needle: string): number => new TextDecoder('latin1').decode(bytes).split(needle).length - 1;

describe('benchmark corpus', () => {
  it('the generator reproduces every committed corpus file byte for byte', () => {
    const generated = corpusFiles();
    expect(readdirSync(CORPUS_DIR).sort()).toEqual([...generated.keys()].sort());
    for (const [name, bytes] of generated) expect(Buffer.compare(readFileSync(join(CORPUS_DIR, name)), bytes), name).toBe(0);
  });

  it('stays small enough to commit', () => {
    const total = [...corpusFiles().values()].reduce((sum, bytes) => sum + bytes.length, 0);
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });

  it.each(['$(', '<!--', '</em>', 'application/ld+json', '<style>', 'href="', '新着', '🏃'])('the store page contains %s', (needle) => {
    expect(new TextDecoder().decode(storeTemplate(64 * 1024, 0))).toContain(needle);
  });

  it('the windows-1252 page holds bytes that are not valid UTF-8', () => {
    const bytes = legacyTemplate(16 * 1024, 0);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(bytes.includes(0x80)).toBe(true);
  });

  it.each([
    { size: 10 * 1024, includes: 1 },
    { size: 200 * 1024, includes: 10 },
    { size: 2_000 * 1024, includes: 24 },
  ])('a $size-byte page has $includes includes and is within 1% of its size', ({ size, includes }) => {
    const page = storeTemplate(size, includes);
    expect(count(page, '<esi:include')).toBe(includes);
    expect(Math.abs(page.length - size) / size).toBeLessThan(0.01);
  });

  it('builds the same bytes every time', () => {
    expect(Buffer.compare(storeTemplate(300 * 1024, 5), storeTemplate(300 * 1024, 5))).toBe(0);
  });
});
