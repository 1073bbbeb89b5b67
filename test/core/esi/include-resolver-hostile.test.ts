/**
 * An include's `src` holding a client's query (a substituted `$(QUERY_STRING{q})` of up to 8 KB) is
 * checked for control characters and backslashes by one native test (include-resolver.ts): the same
 * refusals as the character loop it replaced, wherever the character sits.
 */
import { describe, expect, it } from 'vitest';
import { resolveInclude } from '../../../src/core/esi/include-resolver.ts';
import { DEFAULT_SETTINGS } from '../../../src/core/config/settings.ts';

const PAGE = new URL('https://shop.example/p');
const reason = (src: string): string | null => {
  const target = resolveInclude(src, PAGE, DEFAULT_SETTINGS);
  return target.ok ? null : target.reason;
};

describe('resolveInclude on a long substituted value', () => {
  it('refuses each control character, DEL and a backslash, at the start, middle or end of 8 KB', () => {
    const long = encodeURIComponent('<'.repeat(2600));
    for (let code = 0; code < 0x80; code++) {
      const forbidden = code < 0x20 || code === 0x7f || code === 0x5c;
      for (const src of [`${String.fromCharCode(code)}/f?q=${long}`, `/f?q=${long.slice(0, 4000)}${String.fromCharCode(code)}${long.slice(4000)}`, `/f?q=${long}${String.fromCharCode(code)}`]) {
        expect(reason(src) === 'backslash or control character', `${code}`).toBe(forbidden);
      }
    }
  });

  it('lets a value of 2,600 escaped `<` through', () => {
    const target = resolveInclude(`/fragments/x?q=${encodeURIComponent('<'.repeat(2600))}`, PAGE, DEFAULT_SETTINGS);
    expect(target.ok).toBe(true);
    expect(target.ok && target.url.search.length).toBe(3 + 3 * 2600);
  });
});
