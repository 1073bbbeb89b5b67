/**
 * Reads a compact candidate document's framing and head (compact-format.ts) at the boundary: the
 * size cap, `<length>\n<head>\n`, the head's JSON and shape, at most 200 items, offsets that cover
 * the HTML section, groups whose columns agree, with finite scores, naming items that exist.
 * Anything else is a value saying why, which fails the include like a bad JSON document. Every
 * check is a native call or a loop over the few groups, never over the items: the guest interprets
 * loops.
 */
import { MAX_CANDIDATE_BYTES, MAX_CANDIDATES } from './candidate-document.ts';
import { HEAD_SHAPE, type CompactGroup, type CompactHead } from './compact-format.ts';

export interface CompactDocument {
  head: CompactHead;
  bytes: Uint8Array;
  /** Where the HTML section starts in `bytes`. */
  html: number;
}

export type ReadCompact = { ok: true; document: CompactDocument } | { ok: false; reason: string };

const decoder = new TextDecoder();
const NEWLINE = 10;

/** A view, not `subarray`: in the guest `subarray` costs 20-40 µs a call. */
export function byteView(bytes: Uint8Array, start: number, length: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, length);
}

/**
 * `checked`: the bytes are a document this edge has read and checked whole already (a stored page's
 * hole, page-holes.ts), so its framing and JSON are read and its shape and ranges not checked again
 * (the RegExp and the range checks are ~45 µs of a hit in the guest).
 */
export function readCompactDocument(bytes: Uint8Array, checked = false): ReadCompact {
  if (bytes.length > MAX_CANDIDATE_BYTES) return failed(`over ${MAX_CANDIDATE_BYTES} bytes`);
  const length = headLength(bytes);
  if (length < 0) return failed('no head length');
  const start = String(length).length + 1;
  if (start + length >= bytes.length || bytes[start + length] !== NEWLINE) return failed('head length does not end at a newline');
  const text = decoder.decode(byteView(bytes, start, length));
  const head = parsedHead(text);
  if (head === null) return failed('head is not JSON');
  const html = start + length + 1;
  if (checked) return { ok: true, document: { head, bytes, html } };
  if (!HEAD_SHAPE.test(text)) return failed('head has the wrong shape');
  const wrong = offsetsProblem(head.offsets, bytes.length - html) ?? groupsProblem(head.groups, head.offsets.length - 1);
  return wrong === null ? { ok: true, document: { head, bytes, html } } : failed(wrong);
}

/**
 * The decimal number before the first newline (no sign, no leading zero, at most 6 digits); -1
 * when there is none. Read from the bytes: a TextDecoder call costs the guest more than 7 steps.
 */
function headLength(bytes: Uint8Array): number {
  let length = 0;
  for (let i = 0; i < 7 && i < bytes.length; i++) {
    const digit = (bytes[i] as number) - 48;
    if (i > 0 && bytes[i] === NEWLINE) return length;
    if (digit < 0 || digit > 9 || (i === 1 && length === 0)) return -1;
    length = length * 10 + digit;
  }
  return -1;
}

/** The head as parsed JSON, its shape not yet checked (the RegExp does, on the same text). */
function parsedHead(text: string): CompactHead | null {
  try {
    return JSON.parse(text) as CompactHead;
  } catch {
    return null;
  }
}

/**
 * From 0 to the section's end and none past it (the RegExp let only integers ≥ 0 through). That
 * they never decrease is checked for the items the ranking copies (rank-compact.ts): checking all
 * would take a loop, or typed-array sorting, which the guest runs as interpreted self-hosted code.
 */
function offsetsProblem(offsets: readonly number[], size: number): string | null {
  if (offsets.length - 1 > MAX_CANDIDATES) return `over ${MAX_CANDIDATES} items`;
  if (offsets[0] !== 0 || offsets[offsets.length - 1] !== size || Math.max.apply(null, offsets as number[]) !== size) return 'offsets do not span the HTML section';
  return null;
}

/** Columns of one length per group, finite scores, orders of existing items, as many entries as items. */
function groupsProblem(groups: readonly CompactGroup[], items: number): string | null {
  let entries = 0;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g] as CompactGroup;
    const orders = group[3];
    if (group[1].length !== orders.length || group[2].length !== orders.length) return 'a group has columns of different lengths';
    if (Math.max.apply(null, orders as number[]) >= items) return 'a group names an item past the list';
    // `x - x === 0` is false exactly for NaN and ±Infinity (a literal like 1e999 parses to Infinity).
    const high = Math.max.apply(null, group[2] as number[]);
    const low = Math.min.apply(null, group[2] as number[]);
    if (high - high !== 0 || low - low !== 0) return 'a score is not a finite number';
    entries += orders.length;
  }
  return entries === items ? null : 'the groups do not hold one entry per item';
}

function failed(why: string): ReadCompact {
  return { ok: false, reason: `compact candidate document: ${why}` };
}
