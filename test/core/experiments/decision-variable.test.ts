import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAtDecision } from '../../../src/core/experiments/decision-variable.ts';
import { byteText } from '../../../src/core/esi/variable-substitution.ts';

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
const texts = (pieces: Uint8Array[]): string[] => pieces.map((piece) => Buffer.from(piece).toString('latin1'));

describe('splitAtDecision', () => {
  it.each([
    ['no variable', 'x', ['x']],
    ['one', 'a$(DECISION)b', ['a', 'b']],
    ['two, back to back, at the ends', '$(DECISION)$(DECISION)', ['', '', '']],
    ['a near miss before one', '$(DECISIO$(DECISION)$', ['$(DECISIO', '$']],
    ['a truncated one at the end', 'a$(DECISION', ['a$(DECISION']],
  ])('%s', (_name, body, expected) => {
    expect(texts(splitAtDecision(bytes(body)))).toEqual(expected);
    expect(texts(splitAtDecision(bytes(body), body))).toEqual(expected);
  });

  it('splits views of the body, in place, the same with or without its text', () => {
    const piece = fc.constantFrom('$(DECISION)', '$(', '$', 'DECISION)', '<p>', '\u00e9', '\u00ff', ' ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.nat(4), (pieces, offset) => {
        const body = pieces.join('');
        const backing = new Uint8Array(offset + body.length);
        backing.set(bytes(body), offset);
        const view = backing.subarray(offset);
        const byBytes = splitAtDecision(view);
        const byText = splitAtDecision(view, byteText(view));
        expect(texts(byText)).toEqual(body.split('$(DECISION)'));
        expect(texts(byBytes)).toEqual(texts(byText));
        for (const part of byText) expect(part.buffer).toBe(backing.buffer);
      }),
      { numRuns: 1000 },
    );
  });
});
