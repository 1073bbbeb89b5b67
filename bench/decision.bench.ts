/**
 * Decision benchmarks: (a) the cost of one full decision on Node (resolveVisitorContext with a
 * valid vid and sess, decide, pageCacheKey) with each crypto port, and what dominates it; (b) P6, a
 * synthetic one-hour trace of 100,000 visitors over 2,000 Zipf-popular URLs with the demo segments
 * and experiments of fastly.toml, replayed through the real key and variation code with caches
 * that expire, counting origin fetches for three keying strategies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import type { BenchSection } from './bench-section.ts';
import { parseSettings } from '../src/core/config/settings.ts';
import { parseSegments } from '../src/core/config/segments.ts';
import { parseExperiments } from '../src/core/config/experiments.ts';
import { resolveVisitorContext, type VisitorContext } from '../src/core/visitor/visitor-context.ts';
import { decide, type Decision } from '../src/core/decision/decide.ts';
import { normalizeUrl } from '../src/core/cache-key/url-normalize.ts';
import { pageCacheKey, templateCacheKey } from '../src/core/cache-key/cache-key.ts';
import { variationValues, VARIATION_TTL_MS } from '../src/core/page/page-variation.ts';
import type { EsiVariables } from '../src/core/esi/esi-variables.ts';
import { maxCopiesPerUrl } from '../src/core/cache-key/cardinality.ts';
import { signToken, verifyToken } from '../src/core/visitor/signed-token.ts';
import { webCrypto } from '../src/core/crypto/web-crypto.ts';
import { nodeCrypto } from '../src/node-host/node-crypto.ts';
import type { CryptoPort } from '../src/core/ports.ts';
import { mintVisitorId } from '../src/core/visitor/visitor-id.ts';
import { pushCategory } from '../src/core/visitor/session-cookie.ts';
import { categoryFromPath } from '../src/core/visitor/page-category.ts';
import { consentedId } from '../src/core/visitor/identity.ts';
import type { ConsentState } from '../src/core/log/vocabulary.ts';
import type { Profile } from '../src/core/profile/profile.ts';
import { prng } from './corpus-prng.ts';

interface DemoContents {
  local_server: { config_stores: { personalization_config: { contents: Record<'settings' | 'segments' | 'experiments', string> } } };
}

const contents = (parse(readFileSync(join(import.meta.dirname, '..', 'fastly.toml'), 'utf8')) as unknown as DemoContents).local_server.config_stores
  .personalization_config.contents;
const settings = parseSettings(contents.settings).value;
const config = { segments: parseSegments(contents.segments).value, experiments: parseExperiments(contents.experiments).value };

/** The local origin's TTLs: templates `Surrogate-Control: max-age=300`, shared fragments `max-age=60`. */
const TEMPLATE_TTL_MS = 300_000;
const PAGE_TTL_MS = 60_000;

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const PROFILE: Profile = { id: 'u00042', tier: null, segments: [], affinities: { running: 0.3 }, recentCategories: [], locale: null, updatedAt: null };

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function timeEach(iterations: number, work: () => unknown): Promise<number[]> {
  for (let i = 0; i < 500; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await work();
    samples.push((performance.now() - start) * 1000);
  }
  return samples;
}

/** One full decision (context with 2 HMAC verifies, decide, page key) with the given crypto port. */
/** Process CPU time (all threads, so Web Crypto's pool counts too) per call, in µs. */
async function cpuPerCall(iterations: number, work: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / iterations;
}

async function measureDecision(port: CryptoPort, label: string): Promise<Array<{ metric: string; samples: number[] }>> {
  const key = await port.hmacKey('bench-cookie-signing-key-0123456789abcdef');
  const vid = await signToken(key, 'u00042');
  const sess = await signToken(key, 's1~shoes~hats');
  const headers = {
    cookie: `consent=personalization,analytics; vid=${vid}; sess=${sess}; _ga=GA1.2.3.4`,
    'user-agent': IPHONE,
    'accept-language': 'en-GB,en;q=0.9,de;q=0.5',
  };
  const request = new Request('https://www.example.com/product/running/sku-123?utm_source=news&color=red', { headers });
  const geo = () => ({ countryCode: 'GB', continent: 'EU', region: 'ENG', city: 'London' });
  const device = () => ({ isMobile: true, isTablet: false, isDesktop: false, isBot: false });
  const full = async () => {
    const url = normalizeUrl(new URL(request.url));
    const context = await resolveVisitorContext({ request, clientAddress: '192.0.2.1', settings, signingKey: key, geo, device });
    const decision = decide(context, PROFILE, config);
    return pageCacheKey({ url, locale: context.locale, varies: pageVaries(url.path, context, decision) ?? [] }, port);
  };
  const context = await resolveVisitorContext({ request, clientAddress: '192.0.2.1', settings, signingKey: key, geo, device });
  const url = normalizeUrl(new URL(request.url));
  return [
    { metric: `full decision, ${label} (context + decide + page key)`, samples: await timeEach(10_000, full) },
    { metric: `  the same, process CPU per decision (immune to preemption), ${label}`, samples: [await cpuPerCall(10_000, full)] },
    { metric: `  two HMAC verifies (vid, sess), ${label}`, samples: await timeEach(10_000, () => Promise.all([verifyToken(key, vid, 200), verifyToken(key, sess, 300)])) },
    { metric: `  SHA-256 page key, ${label}`, samples: await timeEach(10_000, () => pageCacheKey({ url, locale: 'en-GB', varies: pageVaries(url.path, context, decide(context, PROFILE, config)) ?? [] }, port)) },
  ];
}

/**
 * Web Crypto (what Compute runs) and the node:crypto port (what the Node host runs), in rotating
 * order over several windows, so neither always runs on a warmer or quieter machine.
 */
async function measureDecisions(): Promise<Array<Record<string, string | number>>> {
  const ports = [{ port: webCrypto, label: 'Web Crypto' }, { port: nodeCrypto, label: 'node:crypto port' }];
  const windows = new Map<string, number[]>();
  for (let w = 0; w < 4; w++) {
    for (const { port, label } of w % 2 === 0 ? ports : [...ports].reverse()) {
      for (const { metric, samples } of await measureDecision(port, label)) windows.set(metric, [...(windows.get(metric) ?? []), median(samples)]);
    }
  }
  const context = await resolveVisitorContext({ request: new Request('https://www.example.com/'), clientAddress: '192.0.2.1', settings, signingKey: null, geo: () => null, device: () => null });
  const sync = await timeEach(10_000, () => decide(context, PROFILE, config) && normalizeUrl(new URL('https://www.example.com/product/running/sku-123?utm_source=news')));
  const rows = [...windows].map(([metric, medians]) => ({ metric, value: +median(medians).toFixed(2), p95: `${Math.min(...medians).toFixed(2)}–${Math.max(...medians).toFixed(2)}`, unit: 'µs (median; window medians min–max)' }));
  return [...rows, { metric: '  sync only: normalizeUrl + decide', value: +median(sync).toFixed(2), p95: +percentile(sync, 0.95).toFixed(2), unit: 'µs' }];
}

const CATEGORIES = ['running', 'shoes', 'outdoor', 'hats', 'jackets', 'socks', 'bags', 'watches'];

function trafficUrls(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const category = CATEGORIES[i % CATEGORIES.length]!;
    if (i === 0) return '/';
    if (i <= CATEGORIES.length) return `/category/${category}`;
    return i % 10 === 0 ? `/content/article-${i}` : `/product/${category}/sku-${i}`;
  });
}

function zipfSampler(n: number, random: () => number): () => number {
  const cdf: number[] = [];
  let sum = 0;
  for (let k = 1; k <= n; k++) cdf.push((sum += 1 / k));
  return () => {
    const target = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] ?? 0) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function pick<T>(random: () => number, weighted: ReadonlyArray<readonly [T, number]>): T {
  let point = random();
  for (const [value, weight] of weighted) if ((point -= weight) < 0) return value;
  return weighted[weighted.length - 1]![0];
}

/**
 * The variables each kind of demo page reads (origin/templates: the layout reads DEVICE,
 * GEO{region} and LOCALE; pages add SEGMENT and variants; the home page reads VISITOR and, for a
 * visitor with an id, includes per-visitor recommendations). Null: the page is per-visitor.
 */
function pageVariables(path: string, context: VisitorContext): string[] | null {
  const layout = ['DEVICE', 'GEO{region}', 'LOCALE'];
  if (path.startsWith('/content/')) return layout;
  if (path !== '/') return [...layout, 'SEGMENT', 'VARIANT{recs-layout}'].sort();
  if (consentedId(context.identity) !== null) return null;
  return [...layout, 'SEGMENT', 'VARIANT{hero-copy}', 'VARIANT{recs-layout}', 'VISITOR'].sort();
}

/** The ESI variables the service derives for a page (as esiVariablesFor does). */
function esiVars(context: VisitorContext, decision: Decision, query: string): EsiVariables {
  const visitor = consentedId(context.identity);
  return { segment: decision.segment, variants: decision.variants, geo: context.geo, device: context.device, locale: context.locale, visitor, query };
}

function pageVaries(path: string, context: VisitorContext, decision: Decision): Array<[string, string]> | null {
  const variables = pageVariables(path, context);
  return variables && variationValues(variables, esiVars(context, decision, ''));
}

/** A cache that forgets entries at their TTL on the trace's clock; `fetch` says whether the origin was asked. */
class TtlCache {
  private readonly expires = new Map<string, number>();
  constructor(private readonly ttlMs: number) {}
  fetch(key: string, now: number): boolean {
    if ((this.expires.get(key) ?? -1) > now) return false;
    this.expires.set(key, now + this.ttlMs);
    return true;
  }
  get size(): number {
    return this.expires.size;
  }
}

interface Visitor {
  region: string;
  consent: ConsentState;
  device: 'mobile' | 'desktop' | 'tablet' | 'bot';
  locale: string;
  id: string | null;
  profile: Profile | null;
  categories: readonly string[];
}

function newVisitor(random: () => number): Visitor {
  const consent = pick(random, [['granted', 0.6], ['denied', 0.32], ['gpc', 0.08]] as const);
  const personalize = consent === 'granted';
  return {
    region: pick(random, [['eu-west', 0.3], ['na-east', 0.3], ['na-west', 0.2], ['apac', 0.2]] as const),
    consent,
    device: pick(random, [['mobile', 0.55], ['desktop', 0.33], ['tablet', 0.1], ['bot', 0.02]] as const),
    locale: pick(random, [['en-US', 0.5], ['en-GB', 0.25], ['de-DE', 0.15], ['fr-FR', 0.1]] as const),
    id: personalize ? mintVisitorId() : null,
    // Returning visitors with a stored profile: 5% gold tier, affinities spread uniformly.
    profile: personalize && random() < 0.5 ? { ...PROFILE, tier: random() < 0.05 ? 'gold' : null, affinities: { running: random(), outdoor: random() } } : null,
    categories: [],
  };
}

/**
 * The fragment cache keys a demo page needs on a page-cache miss; `null` stands for the
 * per-visitor recommendations, which are never cached (one origin fetch every time).
 */
function pageFragments(path: string, context: VisitorContext, decision: Decision): Array<string | null> {
  const promo = `promo?region=${context.geo.region}`;
  if (path.startsWith('/content/')) return [promo];
  const recs = `recs?seg=${decision.segment}&layout=${decision.variants['recs-layout'] ?? ''}`;
  if (path !== '/') return [promo, recs];
  const visitor = consentedId(context.identity);
  return [promo, `hero?seg=${decision.segment}&v=${decision.variants['hero-copy'] ?? ''}`, visitor === null ? recs : null];
}

/**
 * 100,000 visitors, each a session of 1 + Geometric(0.2) page views (mean 5), pages drawn from a
 * Zipf(s = 1) popularity over `urlCount` URLs; 20% of requests carry utm_* parameters. The trace
 * spans one hour, and caches expire as the local origin says: templates after 300 s
 * (Surrogate-Control max-age), shared fragments and so assembled pages after 60 s, remembered
 * variations after VARIATION_TTL_MS. Keys go through the real code: normalizeUrl, the page's
 * variables through variationValues, pageCacheKey (node:crypto). Every strategy gets the same page
 * TTL; per-visitor recommendations are never cached.
 */
async function replayTrace(visitors: number, urlCount: number): Promise<Array<Record<string, string | number>>> {
  const random = prng(42);
  const urls = trafficUrls(urlCount);
  const nextUrl = zipfSampler(urlCount, random);
  const stepMs = 3_600_000 / (visitors * 5);
  const pages = new TtlCache(PAGE_TTL_MS);
  const perVisitor = new TtlCache(PAGE_TTL_MS);
  const plain = new TtlCache(PAGE_TTL_MS);
  const templates = new TtlCache(TEMPLATE_TTL_MS);
  const fragments = new TtlCache(PAGE_TTL_MS);
  const variations = new TtlCache(VARIATION_TTL_MS);
  const copies = new Map<string, Set<string>>();
  const fetches = { templates: 0, fragments: 0, perVisitorRecs: 0, perVisitorKeyed: 0, plain: 0 };
  let requests = 0;
  for (let v = 0; v < visitors; v++) {
    const visitor = newVisitor(random);
    do {
      const now = requests++ * stepMs;
      const path = urls[nextUrl()]!;
      const tracking = random() < 0.2 ? `?utm_source=mail&utm_campaign=c${Math.floor(random() * 50)}` : '';
      const url = normalizeUrl(new URL(`https://www.example.com${path}${tracking}`));
      const context = visitorContext(visitor, url.path);
      const decision = decide(context, visitor.profile, config);
      if (perVisitor.fetch(`${v}\0${url.href}`, now)) fetches.perVisitorKeyed++;
      if (plain.fetch(url.href, now)) fetches.plain++;
      const templateKey = await templateCacheKey(url, nodeCrypto);
      variations.fetch(templateKey, now);
      const varies = pageVaries(url.path, context, decision);
      // A per-visitor page is never stored: every view of it is assembled again.
      const key = varies ? await pageCacheKey({ url, locale: visitor.locale, varies }, nodeCrypto) : null;
      if (key !== null && !pages.fetch(key, now)) continue;
      if (key !== null) copies.set(url.href, (copies.get(url.href) ?? new Set<string>()).add(key));
      if (templates.fetch(templateKey, now)) fetches.templates++;
      for (const fragment of pageFragments(url.path, context, decision)) {
        if (fragment === null) fetches.perVisitorRecs++;
        else if (fragments.fetch(fragment, now)) fetches.fragments++;
      }
    } while (random() >= 0.2);
  }
  return traceRows(requests, fetches, pages.size, copies);
}

function visitorContext(visitor: Visitor, path: string): VisitorContext {
  const place = { geo: { country: null, region: visitor.region }, device: visitor.device, locale: visitor.locale, problems: [] };
  if (visitor.consent !== 'granted') return { ...place, identity: { consent: visitor.consent, withdrawn: false } };
  const stored = visitor.categories;
  visitor.categories = pushCategory(stored, categoryFromPath(path));
  const session = { categories: visitor.categories, changed: visitor.categories !== stored };
  return { ...place, identity: { consent: 'granted', analytics: true, id: visitor.id, minted: false, session } };
}

type Fetches = { templates: number; fragments: number; perVisitorRecs: number; perVisitorKeyed: number; plain: number };

function traceRows(requests: number, f: Fetches, pageKeys: number, copies: Map<string, Set<string>>): Array<Record<string, string | number>> {
  const tiered = f.templates + f.fragments + f.perVisitorRecs;
  const bound = maxCopiesPerUrl(settings, config.segments, config.experiments);
  const top = Math.max(0, ...[...copies.values()].map((keys) => keys.size));
  const row = (metric: string, value: string | number, unit: string) => ({ metric, value, p95: '', unit });
  return [
    row('trace requests (100,000 visitors, one hour, caches expire)', requests, 'requests'),
    row('origin fetches: keyed per visitor', f.perVisitorKeyed, 'fetches'),
    row('origin fetches: this service (all tiers)', tiered, 'fetches'),
    row('  templates', f.templates, 'fetches'),
    row('  shared fragments', f.fragments, 'fetches'),
    row('  per-visitor recommendations', f.perVisitorRecs, 'fetches'),
    row('origin fetches: no personalization (URL only)', f.plain, 'fetches'),
    row('fewer fetches than per-visitor keying', +(f.perVisitorKeyed / tiered).toFixed(1), '×'),
    row('  the same, leaving out per-visitor recommendations', +(f.perVisitorKeyed / (tiered - f.perVisitorRecs)).toFixed(1), '×'),
    row('distinct assembled-page keys', pageKeys, 'keys'),
    row('max stored copies of one URL observed', top, 'copies'),
    row('max copies per URL (bound)', bound.total, 'copies'),
  ];
}

export async function run(): Promise<BenchSection> {
  const decisionRows = await measureDecisions();
  const traceRows = await replayTrace(100_000, 2_000);
  const value = (rows: typeof decisionRows, metric: string) => Number(rows.find((row) => String(row.metric).startsWith(metric))?.value ?? NaN);
  const medianUs = value(decisionRows, '  the same, process CPU per decision (immune to preemption), node:crypto');
  const wallUs = value(decisionRows, 'full decision, node:crypto');
  const webCryptoUs = value(decisionRows, 'full decision, Web Crypto');
  const ratio = value(traceRows, 'fewer fetches');
  return {
    name: 'Decision cost and segment-aware cache keys',
    rows: [...decisionRows, ...traceRows],
    summary: {
      decisionMedianUs: medianUs,
      decisionWallMedianUs: wallUs,
      decisionWebCryptoMedianUs: webCryptoUs,
      decisionTargetUs: 20,
      decisionMeetsTarget: medianUs < 20,
      fetchReductionVsPerVisitor: ratio,
      fetchReductionTarget: 100,
      fetchReductionMeetsTarget: ratio >= 100,
      copiesWithinBound: value(traceRows, 'max stored copies of one URL observed') <= value(traceRows, 'max copies per URL (bound)'),
    },
  };
}
