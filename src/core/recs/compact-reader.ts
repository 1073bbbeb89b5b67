/**
 * Reads a compact candidate document's framing and head (compact-format.ts) at the boundary: the
 * size cap, `<length>\n<head>\n`, the head's JSON and shape, at most 200 entries. Anything else is
 * a value saying why, which fails the include like a bad JSON document. The items' HTML section is
 * not read here: the ranking copies the chosen items' bytes out of it.
 */
import { MAX_CANDIDATE_BYTES, MAX_CANDIDATES } from './candidate-document.ts';
import { HEAD_SHAPE, type CompactHead } from './compact-format.ts';

export interface CompactDocument {
  head: CompactHead;
  bytes: Uint8Array;
  /** Where the HTML section starts in `bytes`. */
  html: number;
}

export type ReadCompact = { ok: true; document: CompactDocument } | { ok: false; reason: string };

const decoder = new TextDecoder();
const LENGTH = /^(?:0|[1-9]\d{0,5})\n/;
const NEWLINE = 10;

/** A view, not `subarray`: in the guest `subarray` costs 20-40 µs a call. */
export function byteView(bytes: Uint8Array, start: number, length: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, length);
}

export function readCompactDocument(bytes: Uint8Array): ReadCompact {
  if (bytes.length > MAX_CANDIDATE_BYTES) return failed(`over ${MAX_CANDIDATE_BYTES} bytes`);
  const prefix = LENGTH.exec(decoder.decode(byteView(bytes, 0, Math.min(8, bytes.length))));
  if (prefix === null) return failed('no head length');
  const start = prefix[0].length;
  const length = Number(prefix[0].slice(0, -1));
  if (start + length >= bytes.length || bytes[start + length] !== NEWLINE) return failed('head length does not end at a newline');
  const text = decoder.decode(byteView(bytes, start, length));
  const head = parsedHead(text);
  if (head === null) return failed('head is not JSON');
  if (!HEAD_SHAPE.test(text)) return failed('head has the wrong shape');
  if (entryCount(head) > MAX_CANDIDATES) return failed(`over ${MAX_CANDIDATES} items`);
  return { ok: true, document: { head, bytes, html: start + length + 1 } };
}

/** The head as parsed JSON, its shape not yet checked (the RegExp does, on the same text). */
function parsedHead(text: string): CompactHead | null {
  try {
    return JSON.parse(text) as CompactHead;
  } catch {
    return null;
  }
}

function entryCount(head: CompactHead): number {
  let total = 0;
  for (let g = 0; g < head.groups.length; g++) total += (head.groups[g] as CompactHead['groups'][number])[1].length;
  return total;
}

function failed(why: string): ReadCompact {
  return { ok: false, reason: `compact candidate document: ${why}` };
}
