/** The tokenizer's search port: both implementations answer the same questions the same way. */
import { describe, expect, it } from 'vitest';
import { VIEWS } from './esi-test-kit.ts';

const BYTES = Uint8Array.of(...new TextEncoder().encode('a<esi:x é="€"/>'), 0x80, 0xff, ...new TextEncoder().encode('</esi:x><!--esi -->'));

describe.each(VIEWS)('%s', (_name, views) => {
  const view = views(BYTES);

  it.each([
    ['<esi:', 0, 1],
    ['<esi:', 2, -1],
    ['</esi:', 0, 20],
    ['<!--esi', 0, 28],
    ['-->', 0, 36],
    ['"', 12, 15],
    ['>', 0, 17],
    ['>', 18, 27],
    ['zz', 0, -1],
  ] as const)('finds %s from %i at %i', (needle, from, at) => {
    expect(view.find(needle, from)).toBe(at);
  });

  it('does not report a needle cut off by the end of the chunk', () => {
    expect(views(Uint8Array.of(0x3c, 0x65, 0x73)).find('<esi:', 0)).toBe(-1);
  });

  it('gives ASCII bytes as they are and any other byte as 0x80 or more', () => {
    expect(view.code(1)).toBe(0x3c);
    for (const at of [8, 18, 19]) expect(view.code(at)).toBeGreaterThanOrEqual(0x80);
  });

  it('decodes a range as UTF-8 text, ASCII or not', () => {
    expect(view.text(1, 6)).toBe('<esi:');
    expect(view.text(1, 18)).toBe('<esi:x é="€"/>');
  });
});
