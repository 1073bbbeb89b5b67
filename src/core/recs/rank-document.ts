/**
 * A ranked include's whole job on the fetched body, as one pure call: parse the candidate
 * document, rank it for the visitor, return the HTML to insert, or why the include failed. The
 * items' shape is checked by the ranking's own pass over them. This is what the ESI include runner
 * calls and what the Wasm benchmark times.
 */
import { parseCandidateShell, WRONG_ITEM } from './candidate-document.ts';
import { rankShell, type RankRequest } from './rank-candidates.ts';
import type { RankSignals } from './rank-signals.ts';

export type RankedDocument = { ok: true; html: string; ids: string[] } | { ok: false; reason: string };

export function rankDocument(bytes: Uint8Array, signals: RankSignals | null, request: RankRequest): RankedDocument {
  const parsed = parseCandidateShell(bytes);
  if (!parsed.ok) return parsed;
  const ranked = rankShell(parsed.shell, signals, request);
  return ranked === null ? { ok: false, reason: WRONG_ITEM } : { ok: true, html: ranked.html, ids: ranked.ids };
}
