/**
 * Which candidate document a request gets (RFC 9110 §12.5.1 proactive negotiation): the compact
 * format when `Accept` names it and ranks it at least as high as JSON, the JSON document otherwise.
 * Only naming the compact type opts in: `*\/*` (a plain curl, a browser) and anything that does not
 * parse get the JSON document of the public contract.
 */
import { COMPACT_CANDIDATES_TYPE } from '../../src/core/recs/compact-format.ts';

export type CandidateFormat = 'compact' | 'json';

interface Range {
  type: string;
  q: number;
}

function rangesOf(accept: string): Range[] {
  return accept.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = params.find((param) => /^q=/.test(param));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    return { type, q: Number.isFinite(weight) && weight >= 0 && weight <= 1 ? weight : 0 };
  });
}

/** The weight of the most specific range that matches `type` (RFC 9110: the most specific wins); 0 when none. */
function weightOf(ranges: readonly Range[], type: string): number {
  const [major] = type.split('/');
  for (const candidate of [type, `${major}/*`, '*/*']) {
    const range = ranges.find((entry) => entry.type === candidate);
    if (range) return range.q;
  }
  return 0;
}

export function candidateFormat(accept: string | string[] | undefined): CandidateFormat {
  const text = Array.isArray(accept) ? accept.join(',') : (accept ?? '');
  const ranges = rangesOf(text);
  const compact = ranges.find((range) => range.type === COMPACT_CANDIDATES_TYPE)?.q ?? 0;
  return compact > 0 && compact >= weightOf(ranges, 'application/json') ? 'compact' : 'json';
}
