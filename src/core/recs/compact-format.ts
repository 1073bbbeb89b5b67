/**
 * The compact candidate document, the edge's own second format for a segment's candidates,
 * negotiated with `Accept` beside the JSON document (which every other publisher keeps using):
 *
 *   `<head length in bytes>\n<head JSON>\n<the items' HTML back to back>`
 *   head: `{"before":…,"after":…,"groups":[["running",[["sku-1082",0.994,0,0,240],…]],…]}`
 *
 * An entry is `[id, score, order, start, end]`: `order` is the item's place in the publisher's
 * list (it breaks ties of adjusted scores, as the document order does in the JSON document) and
 * `start`/`end` are byte offsets into the HTML section. Each category's entries come best first
 * (equal scores in list order), so the edge reads only each category's first few entries and never
 * decodes the items' markup: the reason for the format is that the JSON document's per-item decode,
 * parse and check cost more than the ranking's budget inside the Wasm.
 *
 * The head is parsed at the boundary. Its shape (every entry, not only the ones the ranking reads)
 * is checked by one RegExp over its text, which runs natively in the guest where a loop over 200
 * entries would be interpreted; offsets are integers ≥ 0 (relative to the HTML section, so never
 * inside the head). The head is written without whitespace between tokens, as
 * `JSON.stringify` writes it, and with its keys in this order.
 */
export const COMPACT_CANDIDATES_TYPE = 'application/vnd.edge-recs.compact';

/** `[id, score, order, start, end]` */
export type CompactEntry = readonly [string, number, number, number, number];
export type CompactGroup = readonly [string, readonly CompactEntry[]];

export interface CompactHead {
  before: string;
  after: string;
  groups: readonly CompactGroup[];
}

// The head has already been parsed as JSON when this runs, so each token only has to be told apart
// from the other kinds, not validated: strings as the "unrolled loop" (a plain character-class run
// between escapes; an alternation per character costs the guest's RegExp interpreter far more) and
// numbers as one run of number characters.
const STRING = String.raw`"[^"\\]*(?:\\.[^"\\]*)*"`;
const ID = String.raw`"(?:[^"\\]|\\.)[^"\\]*(?:\\.[^"\\]*)*"`;
// A JSON number; one that overflows to Infinity passes here and is refused where the ranking reads it.
const SCORE = String.raw`-?[\d.eE+-]+`;
const OFFSET = String.raw`\d+`;
const ENTRY = `\\[${ID},${SCORE},${OFFSET},${OFFSET},${OFFSET}\\]`;
const GROUP = `\\[${STRING},\\[${ENTRY}(?:,${ENTRY})*\\]\\]`;

/** The whole head's shape, for a head known to be JSON; a category may be `""` (JSON allows it). */
export const HEAD_SHAPE = new RegExp(`^\\{"before":${STRING},"after":${STRING},"groups":\\[(?:${GROUP}(?:,${GROUP})*)?\\]\\}$`);
