/**
 * The candidate document a ranked include fetches: a segment's precomputed recommendations,
 * `{"before": "<ul>", "after": "</ul>", "items": [{"id", "category", "score", "html"}]}`. Parsed
 * at the boundary into a total type; anything else (not JSON, the wrong shape, more than 200 items,
 * over 256 KiB) is a value saying why, which the include runner treats as a failed include.
 * Decoding and parsing use the runtime's native TextDecoder and JSON, never a loop over bytes.
 */

export interface Candidate {
  id: string;
  category: string;
  score: number;
  /** Inserted verbatim, never ESI-processed. */
  html: string;
}

export interface CandidateDocument {
  before: string;
  after: string;
  items: readonly Candidate[];
}

export type ParsedCandidates = { ok: true; document: CandidateDocument } | { ok: false; reason: string };

export const MAX_CANDIDATES = 200;
export const MAX_CANDIDATE_BYTES = 256 * 1024;
const decoder = new TextDecoder();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wrongItem(): ParsedCandidates {
  return { ok: false, reason: 'candidate document has an item of the wrong shape' };
}

export function parseCandidateDocument(bytes: Uint8Array): ParsedCandidates {
  if (bytes.length > MAX_CANDIDATE_BYTES) return { ok: false, reason: `candidate document over ${MAX_CANDIDATE_BYTES} bytes` };
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch {
    return { ok: false, reason: 'candidate document is not JSON' };
  }
  if (!isRecord(raw) || typeof raw.before !== 'string' || typeof raw.after !== 'string' || !Array.isArray(raw.items)) {
    return { ok: false, reason: 'candidate document has the wrong shape' };
  }
  if (raw.items.length > MAX_CANDIDATES) return { ok: false, reason: `candidate document has over ${MAX_CANDIDATES} items` };
  const items = raw.items as unknown[];
  // Checked in place, inline, with no copy: the guest's interpreter pays per operation and per
  // call. `score - score === 0` is false exactly for NaN and ±Infinity.
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Partial<Record<keyof Candidate, unknown>> | null;
    if (typeof item !== 'object' || item === null) return wrongItem();
    const { id, score } = item;
    if (typeof id !== 'string' || id === '' || typeof item.category !== 'string' || typeof item.html !== 'string') return wrongItem();
    if (typeof score !== 'number' || score - score !== 0) return wrongItem();
  }
  return { ok: true, document: { before: raw.before, after: raw.after, items: items as Candidate[] } };
}
