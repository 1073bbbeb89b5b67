/**
 * fast-check properties of the tokenizer and assembly (docs/threat-model.md#properties-the-fuzz-tests-assert):
 * ESI-free input is untouched, chunking never changes the output, fetches stay under the cap,
 * and fragment text never triggers a fetch.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { assemble, encoder, fakeFetcher } from './esi-test-kit.ts';

const FRAGMENTS = { '/fragments/a': 'A<esi:include src="/fragments/b"/>', '/fragments/b': 'B' };

/** Pieces that build templates full of ESI corners, split anywhere by the chunking. */
const PIECES = [
  'text ', '<p>é€😀</p>', '<esi:include src="/fragments/a"/>', '<esi:include src="/fragments/b" alt="/fragments/a"/>',
  '<esi:include src="/fragments/none"/>', '<esi:try>', '<esi:attempt>', '</esi:attempt>', '<esi:except>', '</esi:except>',
  '</esi:try>', '<esi:choose>', "<esi:when test=\"$(DEVICE)=='mobile'\">", '</esi:when>', '<esi:otherwise>', '</esi:otherwise>',
  '</esi:choose>', '<esi:vars>$(SEGMENT)</esi:vars>', '<esi:remove>x</esi:remove>', '<!--esi ', ' -->', '<esi:', '<!--', '-->',
  '<esi:include src="', '"', '>', '$(GEO{region})', '</esi:', '<esi:comment text="c"/>',
];

const template = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((parts) => encoder.encode(parts.join('')));

function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let last = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.slice(last, point));
    last = point;
  }
  return chunks;
}

it('passes ESI-free input through byte for byte, however it is chunked', async () => {
  const esiFree = fc.uint8Array({ maxLength: 2048 }).filter((bytes) => {
    const text = Buffer.from(bytes).toString('latin1');
    return !text.includes('<esi:') && !text.includes('</esi:') && !text.includes('<!--esi');
  });
  await fc.assert(
    fc.asyncProperty(esiFree, fc.array(fc.nat(), { maxLength: 8 }), async (bytes, cuts) => {
      const { bytes: out } = await assemble(chunked(bytes, cuts), fakeFetcher({}));
      expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true);
    }),
    { numRuns: 200 },
  );
});

it('gives identical output for any chunking of the input', async () => {
  await fc.assert(
    fc.asyncProperty(template, fc.array(fc.nat(), { maxLength: 12 }), async (bytes, cuts) => {
      const whole = await assemble([bytes], fakeFetcher(FRAGMENTS));
      const split = await assemble(chunked(bytes, cuts), fakeFetcher(FRAGMENTS));
      expect(Buffer.from(split.bytes).equals(Buffer.from(whole.bytes))).toBe(true);
      expect(split.report.fetches).toBe(whole.report.fetches);
    }),
    { numRuns: 200 },
  );
});

it('never fetches more than the cap, and never a URL that only appears inside a fragment', async () => {
  await fc.assert(
    fc.asyncProperty(template, fc.integer({ min: 0, max: 3 }), async (bytes, maxIncludes) => {
      const fetcher = fakeFetcher(FRAGMENTS);
      const { report } = await assemble([bytes], fetcher, { settings: { maxIncludes } });
      expect(fetcher.calls.length).toBeLessThanOrEqual(maxIncludes);
      expect(report.fetches).toBe(fetcher.calls.length);
      const inTemplate = Buffer.from(bytes).toString('utf8').includes('/fragments/b');
      if (!inTemplate) expect(fetcher.calls.some((call) => call.url.pathname === '/fragments/b')).toBe(false);
    }),
    { numRuns: 200 },
  );
});

it('never throws on arbitrary bytes', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.array(fc.nat(), { maxLength: 6 }), async (bytes, cuts) => {
      const { bytes: out } = await assemble(chunked(bytes, cuts), fakeFetcher({}));
      expect(out.length).toBeLessThanOrEqual(bytes.length);
    }),
    { numRuns: 100 },
  );
});
