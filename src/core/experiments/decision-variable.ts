/**
 * Finds `$(DECISION)` in the bytes of an `<esi:vars>` body. The variable is not substituted like
 * the others: it names what the whole page exposed, so it becomes a part of its own that settles
 * when the rest of the page has.
 */
const NEEDLE = new TextEncoder().encode('$(DECISION)');
const DOLLAR = 0x24;

/** The body split around each `$(DECISION)`: n occurrences give n + 1 pieces. */
export function splitAtDecision(bytes: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let last = 0;
  // `<esi:vars>` bodies are short, and the search jumps from one `$` to the next.
  for (let at = bytes.indexOf(DOLLAR); at >= 0; at = bytes.indexOf(DOLLAR, at + 1)) {
    if (!matchesAt(bytes, at)) continue;
    pieces.push(bytes.subarray(last, at));
    last = at + NEEDLE.length;
    at = last - 1;
  }
  if (pieces.length === 0) return [bytes];
  pieces.push(bytes.subarray(last));
  return pieces;
}

function matchesAt(bytes: Uint8Array, at: number): boolean {
  if (at + NEEDLE.length > bytes.length) return false;
  for (let i = 1; i < NEEDLE.length; i++) if (bytes[at + i] !== NEEDLE[i]) return false;
  return true;
}
