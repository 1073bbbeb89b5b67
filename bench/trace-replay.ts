/**
 * P6: a synthetic trace at 100,000 visitors an hour over 2,000 Zipf-popular URLs of the demo
 * store, each visitor a session of 1 + Geometric(0.2) page views (mean 5), 20% of requests with
 * utm_* parameters, replayed request by request through the real handler (trace-edge.ts): the page
 * key and variation code, the ranked include of each segment's shared candidate document, the
 * readthrough and edge caches expiring and revalidating on the trace's clock, and a new publication
 * of the candidate lists every 5 minutes (trace-publisher.ts). It counts the requests that reach an
 * origin, against keying pages per visitor (the baseline, counted over the same requests in the
 * same run), and checks every consented view's recommendations against the ranking of that
 * visitor's own signals (profile, session, recently viewed and purchased items).
 */
import { loadManifest } from '../src/local-platform/manifest.ts';
import { importHmacKey } from '../src/core/log/pseudonym.ts';
import { signToken } from '../src/core/visitor/signed-token.ts';
import type { ServiceProfile } from '../origin/profiles/service-profile.ts';
import { normalizeUrl } from '../src/core/cache-key/url-normalize.ts';
import { pushCategory } from '../src/core/visitor/session-cookie.ts';
import { categoryFromPath } from '../src/core/visitor/page-category.ts';
import { prng } from './corpus-prng.ts';
import { newVisitor, trafficUrls, zipfSampler, type TraceVisitor } from './trace-traffic.ts';
import { traceEdge, type TraceEdge } from './trace-edge.ts';
import { expectedRecommendations, servedRecommendations } from './trace-recs-check.ts';
import { tracePublisher } from './trace-publisher.ts';

/** A cache that forgets entries at their TTL on the trace's clock; `fetch` says whether the origin was asked. */
class TtlCache {
  private readonly expires = new Map<string, number>();
  constructor(private readonly ttlMs: number) {}
  fetch(key: string, now: number): boolean {
    if ((this.expires.get(key) ?? -1) > now) return false;
    this.expires.set(key, now + this.ttlMs);
    return true;
  }
}

/** The trace's request rate: 100,000 visitors of 5 views on average per hour, one request every 7.2 ms. */
export const TRACE_STEP_MS = 3_600_000 / (100_000 * 5);

/** A whole page keyed per visitor lives as long as its shortest part (the fragments' 60 s). */
const BASELINE_TTL_MS = 60_000;

const AGENTS = {
  mobile: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  tablet: 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  desktop: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  bot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
} as const;

const GEO = {
  'eu-west': { countryCode: 'GB', region: null },
  'na-east': { countryCode: 'US', region: 'NY' },
  'na-west': { countryCode: 'US', region: 'CA' },
  apac: { countryCode: 'JP', region: null },
} as const;

export interface TraceResult {
  visitors: number;
  requests: number;
  consentedViews: number;
  withSignals: number;
  adjustedAsExpected: number;
  mismatches: string[];
  perVisitorKeyed: number;
  urlOnly: number;
  edge: TraceEdge['counts'];
  maxCopiesOfOneUrl: number;
  /** Candidate-list publications (each purging the old lists at the edge) during the trace. */
  publications: number;
}

interface Session {
  visitor: TraceVisitor;
  address: string;
  cookies: Map<string, string>;
  categories: readonly string[];
}

async function openSession(edge: TraceEdge, visitor: TraceVisitor, vid: (id: string) => Promise<string>): Promise<Session> {
  const i = visitor.index;
  const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  edge.geo.set(address, { ...GEO[visitor.region as keyof typeof GEO], continent: null, city: null });
  const cookies = new Map<string, string>();
  if (visitor.consent !== 'denied') cookies.set('consent', 'personalization');
  if (visitor.consent === 'granted') cookies.set('vid', await vid(`t${i}`));
  if (visitor.profile) edge.profiles.seed(visitor.profile);
  return { visitor, address, cookies, categories: [] };
}

function requestFor(session: Session, href: string): Request {
  const { visitor } = session;
  const headers: Record<string, string> = {
    cookie: [...session.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    'user-agent': AGENTS[visitor.device],
    'accept-language': visitor.locale,
  };
  if (visitor.consent === 'gpc') headers['sec-gpc'] = '1';
  return new Request(href, { headers });
}

/** One page view: the edge answers, the body is read, and work left for after the response finishes. */
async function view(edge: TraceEdge, session: Session, href: string, requestId: string): Promise<Response & { html: string }> {
  const pending: Array<Promise<unknown>> = [];
  const response = await edge.handler(requestFor(session, href), { clientAddress: session.address, requestId, waitUntil: (work) => pending.push(work) });
  const html = await response.text();
  while (pending.length > 0) await Promise.allSettled(pending.splice(0));
  for (const set of response.headers.getSetCookie()) {
    const pair = set.split(';')[0] ?? '';
    const at = pair.indexOf('=');
    session.cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return Object.assign(response, { html });
}

export async function replayTrace(visitors: number, urlCount: number, templateMaxAge: number | null = null): Promise<TraceResult> {
  const manifest = loadManifest('fastly.toml');
  const random = prng(42);
  const urls = trafficUrls(urlCount);
  const nextUrl = zipfSampler(urlCount, random);
  const edge = traceEdge(manifest, relaxedSettings(manifest), templateMaxAge);
  const perVisitor = new TtlCache(BASELINE_TTL_MS);
  const plain = new TtlCache(BASELINE_TTL_MS);
  const copies = new Map<string, Set<string>>();
  const result: TraceResult = { visitors, requests: 0, consentedViews: 0, withSignals: 0, adjustedAsExpected: 0, mismatches: [], perVisitorKeyed: 0, urlOnly: 0, edge: edge.counts, maxCopiesOfOneUrl: 0, publications: 0 };
  const publisher = tracePublisher(edge);
  const signingKey = await importHmacKey(manifest.secretStores.get('personalization_secrets')?.get('cookie_signing_key') ?? '');
  for (let v = 0; v < visitors; v++) {
    const session = await openSession(edge, newVisitor(v, random), (id) => signToken(signingKey, id));
    do {
      const now = result.requests++ * TRACE_STEP_MS;
      edge.setNow(now);
      result.publications = await publisher.at(now);
      const path = urls[nextUrl()]!;
      const tracking = random() < 0.2 ? `${path.includes('?') ? '&' : '?'}utm_source=mail&utm_campaign=c${Math.floor(random() * 50)}` : '';
      const href = `https://www.example.com${path}${tracking}`;
      const url = normalizeUrl(new URL(href));
      if (perVisitor.fetch(`${v}\0${url.href}`, now)) result.perVisitorKeyed++;
      if (plain.fetch(url.href, now)) result.urlOnly++;
      // A stale cached profile is served while a background read refreshes it: either may be in use.
      const held = edge.profiles.lastRead(`t${v}`);
      const response = await view(edge, session, href, `r${result.requests}`);
      for (const key of edge.takeStoredPages()) copies.set(url.href, (copies.get(url.href) ?? new Set<string>()).add(key));
      if (session.visitor.consent === 'granted') {
        session.categories = pushCategory(session.categories, categoryFromPath(url.path));
        checkRecommendations(result, { profiles: [held, edge.profiles.lastRead(`t${v}`)], categories: session.categories, path: url.path }, response, edge);
      }
    } while (random() >= 0.2);
    edge.geo.delete(session.address);
    edge.profiles.forget(`t${v}`);
  }
  await edge.idle();
  result.maxCopiesOfOneUrl = Math.max(0, ...[...copies.values()].map((keys) => keys.size));
  return result;
}

interface ViewFacts {
  /** The profiles the edge may have ranked with: the copy it held before the view, and after. */
  profiles: ReadonlyArray<ServiceProfile | null>;
  categories: readonly string[];
  path: string;
}

function checkRecommendations(result: TraceResult, { profiles, categories, path }: ViewFacts, response: Response & { html: string }, edge: TraceEdge): void {
  const header = response.headers.get('x-personalization') ?? '';
  const expected = profiles.map((profile) => expectedRecommendations(edge.candidates.current(), profile, categories, path, header));
  const [first] = expected;
  if (!first) return;
  result.consentedViews++;
  if (!first.adjusted) return;
  result.withSignals++;
  const served = servedRecommendations(response.html).join();
  if (expected.some((candidate) => candidate?.ids.join() === served)) result.adjustedAsExpected++;
  else if (result.mismatches.length < 5) result.mismatches.push(`${path}: served ${served} expected ${first.ids.join()}`);
}

/** The demo settings with budgets a busy machine cannot miss: the replay counts fetches, not time. */
function relaxedSettings(manifest: ReturnType<typeof loadManifest>): string {
  const settings = JSON.parse(manifest.configStores.get('personalization_config')?.get('settings') ?? '{}') as Record<string, unknown>;
  return JSON.stringify({ ...settings, profileTimeoutMs: 5_000, fragmentTimeoutMs: 5_000, pageDeadlineMs: 10_000 });
}
