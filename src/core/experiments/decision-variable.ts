/**
 * Finds `$(DECISION)` in the bytes of an `<esi:vars>` body. The variable is not substituted like
 * the others: it names what the whole page exposed, so it becomes a part of its own that settles
 * when the rest of the page has.
 */
const DECISION = '$(DECISION)';
const NEEDLE = new TextEncoder().encode(DECISION);
const DOLLAR = 0x24;

/**
 * The body split around each `$(DECISION)`: n occurrences give n + 1 pieces. `text`, when given, is
 * the body one char per byte (`byteText`), so its offsets are the bytes': the search is then the
 * native `String.prototype.indexOf` instead of `Uint8Array.prototype.indexOf`, which the Wasm guest
 * runs interpreted. Pieces are views made with the constructor: `subarray` costs the guest more.
 */
export function splitAtDecision(bytes: Uint8Array, text?: string): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let last = 0;
  for (let at = find(bytes, text, 0); at >= 0; at = find(bytes, text, last)) {
    pieces.push(view(bytes, last, at));
    last = at + NEEDLE.length;
  }
  if (pieces.length === 0) return [bytes];
  pieces.push(view(bytes, last, bytes.length));
  return pieces;
}

function view(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start);
}

/** Where the next `$(DECISION)` starts at or after `from`, or -1. */
function find(bytes: Uint8Array, text: string | undefined, from: number): number {
  if (text !== undefined) return text.indexOf(DECISION, from);
  // `<esi:vars>` bodies are short, and the search jumps from one `$` to the next.
  for (let at = bytes.indexOf(DOLLAR, from); at >= 0; at = bytes.indexOf(DOLLAR, at + 1)) {
    if (matchesAt(bytes, at)) return at;
  }
  return -1;
}

function matchesAt(bytes: Uint8Array, at: number): boolean {
  if (at + NEEDLE.length > bytes.length) return false;
  for (let i = 1; i < NEEDLE.length; i++) if (bytes[at + i] !== NEEDLE[i]) return false;
  return true;
}
