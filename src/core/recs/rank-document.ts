/**
 * A ranked include's whole job on the fetched body, as one pure call: parse the candidate
 * document, rank it for the visitor, return the HTML to insert, or why the include failed. This is
 * what the ESI include runner calls and what the Wasm benchmark times.
 */
import { parseCandidateDocument } from './candidate-document.ts';
import { rankCandidates, type RankRequest } from './rank-candidates.ts';
import type { RankSignals } from './rank-signals.ts';

export type RankedDocument = { ok: true; html: string; ids: string[] } | { ok: false; reason: string };

export function rankDocument(bytes: Uint8Array, signals: RankSignals | null, request: RankRequest): RankedDocument {
  const parsed = parseCandidateDocument(bytes);
  if (!parsed.ok) return parsed;
  return { ok: true, ...rankCandidates(parsed.document, signals, request) };
}
