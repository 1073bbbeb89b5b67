/**
 * The candidate document a ranked include fetches: a segment's precomputed recommendations,
 * `{"before": "<ul>", "after": "</ul>", "items": [{"id", "category", "score", "html"}]}`. Parsed
 * at the boundary; anything else (not JSON, the wrong shape, more than 200 items, over 256 KiB) is
 * a value saying why, which the include runner treats as a failed include. Decoding and parsing use
 * the runtime's native TextDecoder and JSON, never a loop over bytes. The items' shape is checked
 * by the same pass that ranks them (candidate-scan.ts), so the edge reads each item once.
 */
import { scanCandidates, type Candidate } from './candidate-scan.ts';

export type { Candidate };

export interface CandidateDocument {
  before: string;
  after: string;
  items: readonly Candidate[];
}

/** A document whose wrapper is checked and whose items are not yet. */
export interface CandidateShell {
  before: string;
  after: string;
  items: readonly unknown[];
}

export type ParsedShell = { ok: true; shell: CandidateShell } | { ok: false; reason: string };
export type ParsedCandidates = { ok: true; document: CandidateDocument } | { ok: false; reason: string };

export const MAX_CANDIDATES = 200;
export const MAX_CANDIDATE_BYTES = 256 * 1024;
export const WRONG_ITEM = 'candidate document has an item of the wrong shape';
const decoder = new TextDecoder();
const NOTHING_BANNED: readonly string[] = Object.freeze([]);

/** Size, JSON and the wrapper `{"before", "after", "items": [...]}` with at most 200 items. */
export function parseCandidateShell(bytes: Uint8Array): ParsedShell {
  if (bytes.length > MAX_CANDIDATE_BYTES) return { ok: false, reason: `candidate document over ${MAX_CANDIDATE_BYTES} bytes` };
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch {
    return { ok: false, reason: 'candidate document is not JSON' };
  }
  return shellOf(raw);
}

export function shellOf(raw: unknown): ParsedShell {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return wrongShape();
  const { before, after, items } = raw as Partial<Record<keyof CandidateShell, unknown>>;
  if (typeof before !== 'string' || typeof after !== 'string' || !Array.isArray(items)) return wrongShape();
  if (items.length > MAX_CANDIDATES) return { ok: false, reason: `candidate document has over ${MAX_CANDIDATES} items` };
  return { ok: true, shell: { before, after, items } };
}

function wrongShape(): ParsedShell {
  return { ok: false, reason: 'candidate document has the wrong shape' };
}

/** The whole document, every item checked. */
export function parseCandidateDocument(bytes: Uint8Array): ParsedCandidates {
  const parsed = parseCandidateShell(bytes);
  if (!parsed.ok) return parsed;
  const { shell } = parsed;
  if (scanCandidates(shell.items, 0, NOTHING_BANNED) === null) return { ok: false, reason: WRONG_ITEM };
  return { ok: true, document: { before: shell.before, after: shell.after, items: shell.items as Candidate[] } };
}
