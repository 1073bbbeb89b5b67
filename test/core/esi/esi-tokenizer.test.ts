/**
 * The byte tokenizer, on both search ports: every split point of tag-heavy input, multi-byte text
 * and the tag cap.
 */
import { describe, expect, it } from 'vitest';
import type { ChunkViews } from '../../../src/core/esi/chunk-view.ts';
import type { EsiToken } from '../../../src/core/esi/esi-tokenizer.ts';
import { EsiTokenizer } from '../../../src/core/esi/esi-tokenizer.ts';
import { MAX_TAG_BYTES } from '../../../src/core/esi/esi-limits.ts';
import { decoder, encoder, VIEWS } from './esi-test-kit.ts';

/**
 * Tokens as strings; consecutive text tokens are joined as bytes first (a split may cut a character).
 * `reused`: each chunk is overwritten once written, as a reader reusing its buffer would.
 */
function tokens(chunks: Uint8Array[], views: ChunkViews, reused = false): string[] {
  const out: string[] = [];
  let text: number[] = [];
  const flush = (): void => {
    if (text.length > 0) out.push(`text:${decoder.decode(Uint8Array.from(text))}`);
    text = [];
  };
  const tokenizer = new EsiTokenizer(
    (token: EsiToken) => {
      if (token.kind === 'text') return void text.push(...token.bytes);
      flush();
      out.push(describeToken(token));
    },
    { views },
  );
  for (const chunk of chunks) {
    tokenizer.write(chunk);
    if (reused) chunk.fill(0x58);
  }
  tokenizer.end();
  flush();
  return out;
}

function describeToken(token: Exclude<EsiToken, { kind: 'text' }>): string {
  if (token.kind === 'open') return `open:${token.tag.name}:${JSON.stringify([...(token.tag.attributes ?? [])])}:${token.tag.selfClosing}`;
  if (token.kind === 'close') return `close:${token.name}`;
  return token.kind;
}

describe.each(VIEWS)('with %s', (_name, views) => {
  const tokensOf = (chunks: Uint8Array[]): string[] => tokens(chunks, views);
  const INPUTS = [
    'é<esi:include src="/a?x=1&amp;y=€" alt=\'/b\'/>😀</esi:try><!--esi x --> -->',
    '<<esi:vars>$(SEGMENT)</esi:vars><!-<!--esi<esi:when test="a>b">--->',
  ];

  it.each(INPUTS)('gives the same tokens for every split point of %s', (input) => {
    const bytes = encoder.encode(input);
    const whole = tokensOf([bytes]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(tokensOf([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(whole);
    }
    expect(tokensOf([...bytes].map((byte) => Uint8Array.of(byte)))).toEqual(whole);
  });

  it.each(INPUTS)('copies what it keeps past a chunk (a carried tail, a cut tag) at every split point of %s', (input) => {
    const bytes = encoder.encode(input);
    const whole = tokensOf([bytes]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(tokens([bytes.slice(0, cut), bytes.slice(cut)], views, true)).toEqual(whole);
    }
  });

  it('decodes attributes with entities and both quote styles', () => {
    expect(tokensOf([encoder.encode('<esi:include src="/a?x=1&amp;y=&#36;" alt=\'/b\'/>')])).toEqual([
      'open:include:[["src","/a?x=1&y=$"],["alt","/b"]]:true',
    ]);
  });

  it('keeps > inside a quoted attribute as part of the tag', () => {
    expect(tokensOf([encoder.encode('<esi:when test="a>b">x')])).toEqual(['open:when:[["test","a>b"]]:false', 'text:x']);
  });

  it('passes a tag longer than the cap through as text', () => {
    const input = `<esi:include src="${'x'.repeat(MAX_TAG_BYTES)}"/>`;
    expect(tokensOf([encoder.encode(input)])).toEqual([`text:${input}`]);
  });

  it('passes an ESI-free chunk through as one view of the input', () => {
    const chunk = encoder.encode('<p>no esi here</p>');
    const seen: Uint8Array[] = [];
    const tokenizer = new EsiTokenizer((token) => token.kind === 'text' && seen.push(token.bytes), { views });
    tokenizer.write(chunk);
    tokenizer.end();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.buffer).toBe(chunk.buffer);
  });
});
