/**
 * A fast synchronous 32-bit hash for experiment assignment: FNV-1a over the UTF-8 bytes, then
 * murmur3's fmix32 finalizer, because FNV-1a alone mixes its low bits poorly (its lowest bit is
 * the parity of the input's low bits) and buckets are taken from the whole word.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function hash32(text: string): number {
  return fmix32(fnv(FNV_OFFSET, text));
}

/**
 * `hash32(prefix + rest)`, with FNV-1a's state after `prefix` remembered: FNV is a running state,
 * so the experiment id part (the same on every request) is hashed once per instance and only the
 * visitor id per request. Inside the Wasm guest each character costs ~2 µs of interpreted work.
 * Only config-derived prefixes are remembered (bounded), never visitor data.
 */
export function hash32After(prefix: string, rest: string): number {
  let state = PREFIX_STATES.get(prefix);
  if (state === undefined) {
    state = fnv(FNV_OFFSET, prefix);
    if (PREFIX_STATES.size >= MAX_PREFIXES) PREFIX_STATES.clear();
    PREFIX_STATES.set(prefix, state);
  }
  return fmix32(fnv(state, rest));
}

const PREFIX_STATES = new Map<string, number>();
/** Two per experiment (variant and rollout salts), at most 16 experiments, and room for an edit. */
const MAX_PREFIXES = 64;

/** FNV-1a from state `from` over the UTF-8 bytes of `text`. */
function fnv(from: number, text: string): number {
  // The common case (ids and experiment ids are ASCII, their own UTF-8) in few interpreted
  // operations per character; the first other character restarts over the UTF-8 bytes.
  let h = from;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return fnvUtf8(from, text);
    h = Math.imul(h ^ code, FNV_PRIME);
  }
  return h;
}

/** FNV-1a over the UTF-8 encoding of any string, without allocating the bytes. */
function fnvUtf8(from: number, text: string): number {
  let h = from;
  for (let i = 0; i < text.length; i++) {
    let code = text.codePointAt(i) ?? 0;
    if (code > 0xffff) i++;
    else if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // lone surrogate, as TextEncoder does
    if (code < 0x80) {
      h = Math.imul(h ^ code, FNV_PRIME);
    } else if (code < 0x800) {
      h = Math.imul(h ^ (0xc0 | (code >> 6)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (code & 63)), FNV_PRIME);
    } else if (code < 0x10000) {
      h = Math.imul(h ^ (0xe0 | (code >> 12)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((code >> 6) & 63)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (code & 63)), FNV_PRIME);
    } else {
      h = Math.imul(h ^ (0xf0 | (code >> 18)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((code >> 12) & 63)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((code >> 6) & 63)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (code & 63)), FNV_PRIME);
    }
  }
  return h;
}

/** A uniform fraction in [0, 1) from the hash of `text`. */
export function unitInterval(text: string): number {
  return hash32(text) / 0x1_0000_0000;
}

/** `unitInterval(prefix + rest)`, the prefix's part remembered (hash32After). */
export function unitIntervalAfter(prefix: string, rest: string): number {
  return hash32After(prefix, rest) / 0x1_0000_0000;
}

function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
