/**
 * The search primitive the ESI tokenizer runs on, as a port with two implementations, because the
 * two hosts are fast at different things (the same contract tests run against both):
 * - `pairViews`, for the compiled Wasm guest: SpiderMonkey interprets typed-array searches and
 *   byte loops (~13 MB/s) but decodes and runs RegExp and `String.prototype.indexOf` natively.
 *   Constructs are found in the chunk decoded as UTF-16LE pairs (pair-search.ts), the cheapest
 *   decode, and tags are read in windows decoded with the WHATWG `latin1` decoder (really
 *   windows-1252), which maps every byte to exactly one UTF-16 unit, so string offsets are byte
 *   offsets and output can stay byte slices of the input whatever its encoding. `latin1Views`
 *   decodes the whole chunk that way (the pair view's fallback).
 * - `byteViews`, for V8, searching bytes without decoding them (a latin1 decode costs ~10 ms per
 *   MB there); the Node host gives it Node's memchr (src/node-host/buffer-views.ts), since Node
 *   20's `Uint8Array.prototype.indexOf` is a plain loop.
 * This file holds the contract only; `runtime-views.ts` picks the implementation for a host.
 */


export interface ChunkView {
  readonly bytes: Uint8Array;
  /** The first position at or after `from` where the ASCII `needle` starts in full; -1 when none. */
  find(needle: string, from: number): number;
  /** The byte at `i` when it is ASCII; some value of 0x80 or more for any other byte. */
  code(i: number): number;
  /** The bytes from `from` to `to` as UTF-8 text (tags: attribute values may hold any text). */
  text(from: number, to: number): string;
  /**
   * Optional: the index just past the `>` of the ESI tag starting at `at` (`<esi:…>` with quotes
   * honoured, `</esi:…>` up to its first `>`), when the tag ends in this chunk within
   * `MAX_TAG_BYTES`; -1 otherwise (the tokenizer then scans it step by step). One native match
   * per tag instead of a few interpreted searches.
   */
  tagEnd?(at: number): number;
  /**
   * Optional: where the next construct starts at or after `from` (`<esi:`, `</esi:`, and `<!--esi`
   * outside a comment or `-->` inside one), in one native search; -1 when none.
   */
  nextConstruct?(from: number, inComment: boolean): number;
  /**
   * Optional: the next construct at or after `from`, as one native match that also parses a
   * well-formed tag whose attributes are ASCII (see `ConstructMatch`); null when none. Lets an
   * element cost one native call instead of a search, an end search, a decode and a parse.
   */
  nextMatch?(from: number, inComment: boolean): ConstructMatch | null;
  /**
   * Optional: the whole chunk one UTF-16 unit per byte (string offsets are byte offsets, ASCII as
   * is), for the tokenizer's runs of elements that leave no trace (tag-runs.ts); undefined when
   * the runtime cannot decode it so.
   */
  oneCharPerByte?(): string | undefined;
}

/**
 * A construct found by `nextMatch`: `at` where it starts, and, when it is a complete well-formed
 * tag (within `MAX_TAG_BYTES`, attributes ASCII), its `end` and parts: an opening tag's `name`,
 * `attributes` (the text after the name) and `selfClosing`, or a closing tag's `closes`. Any
 * other construct (bare, malformed, split by the chunk's end, non-ASCII attributes) has `end` -1
 * and is judged step by step.
 */
export interface ConstructMatch {
  at: number;
  end: number;
  name?: string;
  attributes?: string;
  selfClosing?: boolean;
  closes?: string;
}

export interface ChunkViews {
  /**
   * `whole`: the chunk is the whole template (a cached copy read in one batch), so its constructs
   * are all of the page's: a view may spend more per byte to spend less per construct.
   */
  (bytes: Uint8Array, whole?: boolean): ChunkView;
  /**
   * Template chunks that are already there are gathered up to this many bytes before they are
   * viewed (see template-reader.ts); absent: each chunk as it comes. Inside the guest every chunk
   * costs tens of microseconds of interpreted bookkeeping; on V8 gathering measured slower.
   */
  readonly batchBytes?: number;
}
