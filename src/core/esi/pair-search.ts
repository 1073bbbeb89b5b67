/**
 * The UTF-16 pair search of the guest's chunk view (pair-view.ts): the chunk decoded as UTF-16LE,
 * one code unit per pair of bytes, which the runtime decodes about five times faster than one unit
 * per byte. A construct's bytes make whole units at one of the two alignments, so searching the
 * pairs for those units finds every candidate; the byte or two its units leave out are checked in
 * the bytes. Units are never merged or split: an unpaired surrogate becomes one U+FFFD and a
 * trailing odd byte another, and neither can be part of a construct's units (those are ASCII
 * pairs). A runtime whose decoder does otherwise (the unit count is checked) gets null.
 *
 * Each needle is searched with `String.prototype.indexOf`, never a RegExp alternation: inside the
 * guest the regex interpreter runs a one-literal search as a native skip loop, but tries every
 * alternative at every unit when there are several (a six-alternative search measured ~1.2 ms per
 * MB, one `indexOf` pass ~0.12). Each needle's last answer is kept, so the searches of a chunk
 * only move forward: a chunk costs one native pass per needle, whatever the number of constructs.
 */
const LT = 0x3c;
const SLASH = 0x2f;
const COLON = 0x3a;
const GT = 0x3e;
const DASH = 0x2d;
const I = 0x69;

/**
 * A construct's whole units at one alignment, with the rarest first unit on offer (each needle's
 * `start` below says which construct it is and checks the bytes its units leave out).
 */
const NEEDLES = [
  '\u653C\u6973', // `<e` `si` + `:`: `<esi:` at an even byte
  '\u7365\u3A69', // `<` + `es` `i:`: `<esi:` at an odd byte; `</` `es` `i:`: `</esi:` at an even one
  '\u652F\u6973', // `<` + `/e` `si` + `:`: `</esi:` at an odd byte
  '\u213C\u2D2D\u7365', // `<!` `--` `es` + `i`: `<!--esi` at an even byte
  '\u2D21\u652D\u6973', // `<` + `!-` `-e` `si`: `<!--esi` at an odd byte
  '\u2D2D', // `--` + `>`: `-->` at an even byte
  '\u3E2D', // `-` + `->`: `-->` at an odd byte
] as const;

/** The needles searched outside a comment (`<esi:`, `</esi:`, `<!--esi`) and inside one (`-->` for `<!--esi`). */
const OUTSIDE_COMMENT = [0, 1, 2, 3, 4] as const;
const IN_COMMENT = [0, 1, 2, 5, 6] as const;

/** Where the construct of needle `k` found at unit `unit` starts in bytes, or -1 when the bytes its units leave out are not the construct's. */
function start(bytes: Uint8Array, k: number, unit: number): number {
  const even = unit * 2;
  switch (k) {
    case 0:
      return bytes[even + 4] === COLON ? even : -1;
    case 1:
      if (bytes[even - 1] === LT) return even - 1;
      return bytes[even - 1] === SLASH && bytes[even - 2] === LT ? even - 2 : -1;
    case 2:
      return bytes[even - 1] === LT && bytes[even + 4] === COLON ? even - 1 : -1;
    case 3:
      return bytes[even + 6] === I ? even : -1;
    case 4:
      return bytes[even - 1] === LT ? even - 1 : -1;
    case 5:
      return bytes[even + 2] === GT ? even : -1;
    default:
      return bytes[even - 1] === DASH ? even - 1 : -1;
  }
}

/** One chunk's construct search; searches that remember their last answer (made once per chunk). */
export class PairSearch {
  // Literals rather than a map over NEEDLES: every call counts in the guest's interpreter, once per chunk.
  private readonly searchedFrom: number[] = [Infinity, Infinity, Infinity, Infinity, Infinity, Infinity, Infinity];
  private readonly foundAt: number[] = [-1, -1, -1, -1, -1, -1, -1];

  constructor(
    private readonly bytes: Uint8Array,
    private readonly pairs: string,
  ) {}

  /** The first construct starting at or after byte `from` (`<esi:`, `</esi:`, and `<!--esi` outside a comment or `-->` inside one); -1 when none. */
  next(from: number, inComment: boolean): number {
    const needles = inComment ? IN_COMMENT : OUTSIDE_COMMENT;
    const searchedFrom = this.searchedFrom;
    const foundAt = this.foundAt;
    let first = -1;
    // Written out rather than a call per needle: a tag-dense template asks once per tag.
    for (let n = 0; n < needles.length; n++) {
      const k = needles[n]!;
      let at = foundAt[k]!;
      // A needle's last answer holds for any `from` between where it searched from and what it found.
      if (searchedFrom[k]! > from || (at !== -1 && at < from)) at = this.search(k, from);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    }
    return first;
  }

  /** Needle `k`'s first construct at or after byte `from`, remembered. */
  private search(k: number, from: number): number {
    const needle = NEEDLES[k]!;
    const pairs = this.pairs;
    let at = -1;
    // A construct at or after `from` has its needle at or after unit `from >> 1`.
    for (let unit = pairs.indexOf(needle, from >> 1); unit !== -1; unit = pairs.indexOf(needle, unit + 1)) {
      at = start(this.bytes, k, unit);
      if (at >= from) break;
      at = -1;
    }
    this.searchedFrom[k] = from;
    this.foundAt[k] = at;
    return at;
  }
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
