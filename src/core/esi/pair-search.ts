/**
 * The UTF-16 pair search of the guest's chunk view (pair-view.ts): the chunk decoded as UTF-16LE,
 * one code unit per pair of bytes, which the runtime decodes about five times faster than one unit
 * per byte. A construct's bytes make whole units at one of the two alignments, so one native RegExp
 * over the pairs finds every candidate; the byte or two its units leave out are checked in the
 * bytes. Units are never merged or split: an unpaired surrogate becomes one U+FFFD and a trailing
 * odd byte another, and neither can be part of a construct's units (those are ASCII pairs). A
 * runtime whose decoder does otherwise (the unit count is checked) gets null.
 */
// Each alternative is a construct's whole units at one alignment; the first unit of each differs,
// so at most one can match at a unit (see `candidate`).
const OUTSIDE_COMMENT = /\u653C\u6973|\u7365\u3A69|\u2F3C\u7365\u3A69|\u652F\u6973|\u213C\u2D2D\u7365|\u2D21\u652D\u6973/g;
const IN_COMMENT = /\u653C\u6973|\u7365\u3A69|\u2F3C\u7365\u3A69|\u652F\u6973|\u2D2D|\u3E2D/g;
const LT = 0x3c;
const COLON = 0x3a;
const GT = 0x3e;
const DASH = 0x2d;
const I = 0x69;

/**
 * Where the construct whose units `unit` starts begins in bytes, or -1 when the bytes the units
 * leave out are not the construct's (`first` is the unit, which tells the alternative).
 */
function candidate(bytes: Uint8Array, unit: number, first: number): number {
  const even = unit * 2;
  switch (first) {
    case 0x653c: // `<e` `si` + `:`
      return bytes[even + 4] === COLON ? even : -1;
    case 0x7365: // `<` + `es` `i:`
      return bytes[even - 1] === LT ? even - 1 : -1;
    case 0x2f3c: // `</` `es` `i:`
      return even;
    case 0x652f: // `<` + `/e` `si` + `:`
      return bytes[even - 1] === LT && bytes[even + 4] === COLON ? even - 1 : -1;
    case 0x213c: // `<!` `--` `es` + `i`
      return bytes[even + 6] === I ? even : -1;
    case 0x2d21: // `<` + `!-` `-e` `si`
      return bytes[even - 1] === LT ? even - 1 : -1;
    case 0x2d2d: // `--` + `>`
      return bytes[even + 2] === GT ? even : -1;
    default: // `-` + `->`
      return bytes[even - 1] === DASH ? even - 1 : -1;
  }
}

/** The first construct starting at or after byte `from` (`<esi:`, `</esi:`, and `<!--esi` outside a comment or `-->` inside one); -1 when none. */
export function nextPairConstruct(bytes: Uint8Array, pairs: string, from: number, inComment: boolean): number {
  const search = inComment ? IN_COMMENT : OUTSIDE_COMMENT;
  search.lastIndex = from >> 1;
  for (let match = search.exec(pairs); match !== null; match = search.exec(pairs)) {
    const at = candidate(bytes, match.index, pairs.charCodeAt(match.index));
    if (at >= from) return at;
    search.lastIndex = match.index + 1;
  }
  return -1;
}

let decoder: TextDecoder | null | undefined;

/** The chunk as UTF-16LE units, or null when the runtime cannot keep one unit per pair of bytes. */
export function pairsOf(bytes: Uint8Array): string | null {
  if (decoder === undefined) decoder = createDecoder();
  const pairs = decoder?.decode(bytes);
  return pairs === undefined || pairs.length !== (bytes.length + 1) >> 1 ? null : pairs;
}

function createDecoder(): TextDecoder | null {
  try {
    // `ignoreBOM` keeps a leading FF FE as a unit rather than dropping it (offsets stay aligned).
    // Fastly's TextDecoder typings list only UTF-8 labels; its runtime decodes UTF-16LE too.
    return Reflect.construct(TextDecoder, ['utf-16le', { ignoreBOM: true }]);
  } catch {
    return null;
  }
}
