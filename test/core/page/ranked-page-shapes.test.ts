/**
 * Pages stored with holes (page-holes.ts) in the shapes a template may give them: a hole at the
 * page's first byte and at its last, two holes side by side, a ranked include inside a choose, an
 * ESI comment, nested tries or a vars block, next to parts long enough to go out as chunks of their
 * own (page-writer.ts), with a second one past the element cap (dropped), among multi-byte UTF-8 or
 * windows-1252 text. Each time the hit gives another visitor the bytes a fresh assembly gives them,
 * and the entry holds none of the first visitor's blocks.
 */
import { describe, expect, it, vi } from 'vitest';
import { blocks, site, view, type DocKind, type OtherSite } from './ranked-page-kit.ts';

const ranked = (count: number): string => `<esi:include src="/fragments/recs/candidates?seg=$(SEGMENT)" rank="visitor" count="${count}"/>`;
/** A string's code units as bytes (each under 256): windows-1252 text. */
const latin1 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(text, (char) => char.charCodeAt(0));

const SHAPES: Record<string, { template: string | Uint8Array<ArrayBuffer>; other?: OtherSite }> = {
  'at the first byte and the last, around UTF-8 text': { template: `${ranked(3)}<p>middle é ü €</p>${ranked(2)}` },
  'side by side': { template: `<p>a</p>${ranked(3)}${ranked(2)}<p>z</p>` },
  'in a choose': { template: `<p>€ x</p><esi:choose><esi:when test="$(SEGMENT)=='general'">${ranked(3)}</esi:when><esi:otherwise>no</esi:otherwise></esi:choose><p>end</p>` },
  'in an ESI comment': { template: `<p>a</p><!--esi ${ranked(3)} --><p>b</p>` },
  'in nested tries beside a fragment': { template: `<esi:try><esi:attempt><p>in</p><esi:try><esi:attempt>${ranked(3)}<esi:include src="/fragments/banner"/></esi:attempt><esi:except>x</esi:except></esi:try></esi:attempt><esi:except>y</esi:except></esi:try>` },
  'between parts written as chunks of their own': { template: `<p>${'x'.repeat(70_000)}</p>${ranked(3)}<p>${'y'.repeat(70_000)}</p>${ranked(2)}` },
  'in a vars block': { template: `<esi:vars><p>$(SEGMENT)</p>${ranked(3)}<p>$(DEVICE)</p></esi:vars>` },
  'before the 1,000-element cap, and one past it': { template: `${'<esi:vars>a</esi:vars>'.repeat(999)}${ranked(3)}<p>x</p>${ranked(2)}` },
  'in a windows-1252 page': { template: latin1(`<p>caf\u00e9 \u0080</p>${ranked(3)}<p>na\u00efve</p>${ranked(2)}\u00ff`), other: { contentType: 'text/html; charset=windows-1252' } },
};

describe.each<DocKind>(['json', 'compact'])('a ranked include stored as a hole (%s candidates)', (kind) => {
  it.each(Object.keys(SHAPES))('%s', async (shape) => {
    const { template, other } = SHAPES[shape]!;
    const deps = site(kind, template, undefined, other);
    const inserts = vi.spyOn(deps.cache, 'insert');
    const a = await view(deps, 'visitor-a');
    const b = await view(deps, 'visitor-b');
    expect([a.cache, b.cache]).toEqual(['MISS', 'HIT']);
    expect(b.body).toBe((await view(site(kind, template, undefined, other), 'visitor-b')).body);
    expect(blocks(b.body)).not.toEqual(blocks(a.body));
    const stored = inserts.mock.calls.find(([, , options]) => options.meta?.includes('"holed"'));
    const entry = new TextDecoder().decode(stored?.[1]);
    for (const block of blocks(a.body)) expect(entry).not.toContain(block);
  });
});
