/**
 * The compact candidate document, the edge's own second format for a segment's candidates,
 * negotiated with `Accept` beside the JSON document (which every other publisher keeps using):
 *
 *   `<head length in bytes>\n<head JSON>\n<the items' HTML back to back, in list order>`
 *   head: `{"before":…,"after":…,"offsets":[0,240,…],"groups":[["running",[ids],[scores],[orders]],…]}`
 *
 * The item at place `k` of the publisher's list (its `order`) is the bytes `offsets[k]` to
 * `offsets[k + 1]` of the HTML section; `offsets` has one more number than there are items, starts
 * at 0, never decreases and ends at the section's length. Each group is one category's items as
 * columns, best first (equal scores in list order); `order` also breaks ties of adjusted scores, as
 * the document order does in the JSON document. So the edge reads only each category's first few
 * items and never decodes the items' markup: the reason for the format is that the JSON document's
 * per-item decode, parse and check cost more than the ranking's budget inside the Wasm.
 *
 * The head is parsed at the boundary and checked whole with native calls only (a RegExp over its
 * text, typed-array sorting, `Math.max`), because a loop over 200 entries is interpreted in the
 * guest. The head is written without whitespace between tokens, as `JSON.stringify` writes it,
 * with its keys in this order.
 */
export const COMPACT_CANDIDATES_TYPE = 'application/vnd.edge-recs.compact';

/** `[category, ids, scores, orders]`, the three columns of the same length. */
export type CompactGroup = readonly [string, readonly string[], readonly number[], readonly number[]];

export interface CompactHead {
  before: string;
  after: string;
  offsets: readonly number[];
  groups: readonly CompactGroup[];
}

// The head has already been parsed as JSON when this runs, so each token only has to be told apart
// from the other kinds, not validated: strings as the "unrolled loop" (a plain character-class run
// between escapes; an alternation per character costs the guest's RegExp interpreter far more) and
// numbers as one run of number characters.
const STRING = String.raw`"[^"\\]*(?:\\.[^"\\]*)*"`;
const ID = String.raw`"(?:[^"\\]|\\.)[^"\\]*(?:\\.[^"\\]*)*"`;
// A JSON number; one that overflows to Infinity passes here and is refused by the reader's range checks.
const SCORE = String.raw`-?[\d.eE+-]+`;
const INTEGER = String.raw`\d+`;
const column = (token: string): string => `\\[${token}(?:,${token})*\\]`;
const GROUP = `\\[${STRING},${column(ID)},${column(SCORE)},${column(INTEGER)}\\]`;

/** The whole head's shape, for a head known to be JSON; a category may be `""` (JSON allows it). */
export const HEAD_SHAPE = new RegExp(`^\\{"before":${STRING},"after":${STRING},"offsets":${column(INTEGER)},"groups":\\[(?:${GROUP}(?:,${GROUP})*)?\\]\\}$`);
