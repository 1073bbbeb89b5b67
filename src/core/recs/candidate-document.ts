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
const MAX_ID_LENGTH = 128;

const decoder = new TextDecoder();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function candidate(raw: unknown): Candidate | null {
  if (!isRecord(raw)) return null;
  const { id, category, score, html } = raw;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) return null;
  if (typeof category !== 'string' || category.length > MAX_ID_LENGTH) return null;
  if (typeof score !== 'number' || !Number.isFinite(score) || typeof html !== 'string') return null;
  return { id, category, score, html };
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
  const items: Candidate[] = [];
  for (const item of raw.items as unknown[]) {
    const parsed = candidate(item);
    if (parsed === null) return { ok: false, reason: 'candidate document has an item of the wrong shape' };
    items.push(parsed);
  }
  return { ok: true, document: { before: raw.before, after: raw.after, items } };
}
