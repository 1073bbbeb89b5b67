/**
 * What a consented visitor of the trace should see in the recommendations block, worked out from
 * the trace's own knowledge of that visitor (the stored profile, the categories browsed this
 * session, the product on the page) and the segment's published list, to compare with what the
 * edge served: equal means the recommendations were adjusted to this visitor.
 */
import { parseProfile } from '../src/core/profile/profile-parse.ts';
import { parseCandidateDocument, type CandidateDocument } from '../src/core/recs/candidate-document.ts';
import { rankCandidates } from '../src/core/recs/rank-candidates.ts';
import { hasSignals, rankSignalsFor } from '../src/core/recs/rank-signals.ts';
import { candidateBodies } from '../origin/recs/candidate-document.ts';
import { isSegment } from '../origin/data/segment-content.ts';
import type { Publication } from '../origin/recs/candidate-store.ts';
import type { ServiceProfile } from '../origin/profiles/service-profile.ts';

/** The demo settings' recsMaxPerCategory (its default). */
const MAX_PER_CATEGORY = 2;
const RECS_PAGE = /^\/(?:$|category\/[a-z]+$|product\/[a-z]+\/(sku-\d+)$)/;
const documents = new Map<string, CandidateDocument>();

function documentFor(segment: string, publication: Publication): CandidateDocument | null {
  if (!isSegment(segment)) return null;
  const key = `${publication.generation}/${segment}`;
  let document = documents.get(key);
  if (!document) {
    const parsed = parseCandidateDocument(candidateBodies(segment, publication).json);
    if (!parsed.ok) return null;
    documents.set(key, (document = parsed.document));
  }
  return document;
}

/** `segment=runner; variants=hero-copy:bold,recs-layout:grid; …` → the segment and the block's size. */
function decisionOf(header: string): { segment: string; count: number } {
  const segment = /(?:^|; )segment=([^;]*)/.exec(header)?.[1] ?? '';
  return { segment, count: /recs-layout:grid/.test(header) ? 6 : 4 };
}

export function expectedRecommendations(
  publication: Publication,
  stored: ServiceProfile | null,
  sessionCategories: readonly string[],
  path: string,
  xPersonalization: string,
): { adjusted: boolean; ids: string[] } | null {
  const page = RECS_PAGE.exec(path);
  if (!page) return null;
  const { segment, count } = decisionOf(xPersonalization);
  const document = documentFor(segment, publication);
  if (!document) return null;
  const parsed = stored ? parseProfile(stored, stored.id) : null;
  const signals = rankSignalsFor(true, parsed?.ok ? parsed.profile : null, sessionCategories);
  const adjusted = hasSignals(signals);
  const exclude = page[1] ? [page[1]] : [];
  const { ids } = rankCandidates(document, adjusted ? signals : null, { count, exclude, maxPerCategory: MAX_PER_CATEGORY });
  return { adjusted, ids };
}

/** The item ids of the ranked recommendations block, in order. */
export function servedRecommendations(html: string): string[] {
  const block = /<div class="recs-block recs-block--ranked"[\s\S]*?<\/ul><\/div>/.exec(html)?.[0] ?? '';
  return [...block.matchAll(/data-item=["']?(sku-\d+)/g)].map((match) => match[1] ?? '');
}
