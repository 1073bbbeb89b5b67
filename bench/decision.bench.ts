/**
 * Decision benchmarks: (a) the cost of one full decision on Node (resolveVisitorFacts with a
 * valid vid and sess, decide, pageCacheKey) with each crypto port, and what dominates it; (b) P6,
 * origin offload: a synthetic trace at 100,000 visitors an hour over 2,000 Zipf-popular URLs of the
 * demo store, replayed through the real handler with caches that expire (trace-replay.ts), counting
 * origin fetches against keying pages per visitor.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import type { BenchSection } from './bench-section.ts';
import { parseSettings } from '../src/core/config/settings.ts';
import { parseSegments } from '../src/core/config/segments.ts';
import { parseExperiments } from '../src/core/config/experiments.ts';
import { resolveVisitorFacts, type VisitorFacts } from '../src/core/visitor/visitor-facts.ts';
import { decide, type Decision } from '../src/core/decision/decide.ts';
import { normalizeUrl } from '../src/core/cache-key/url-normalize.ts';
import { pageCacheKey } from '../src/core/cache-key/cache-key.ts';
import { variationValues } from '../src/core/page/page-variation.ts';
import type { EsiVariables } from '../src/core/esi/esi-variables.ts';
import { maxCopiesPerUrl } from '../src/core/cache-key/cardinality.ts';
import { signToken, verifyToken } from '../src/core/visitor/signed-token.ts';
import { sessionPayload } from '../src/core/visitor/session-cookie.ts';
import { webCrypto } from '../src/core/crypto/web-crypto.ts';
import { nodeCrypto } from '../src/node-host/node-crypto.ts';
import type { CryptoPort } from '../src/core/ports.ts';
import { consentedId } from '../src/core/visitor/identity.ts';
import type { Profile } from '../src/core/profile/profile.ts';
import { replayTrace, TRACE_STEP_MS, type TraceResult } from './trace-replay.ts';
import { EDGE_MAX_AGE_SECONDS } from '../origin/http/published-content.ts';

interface DemoContents {
  local_server: { config_stores: { personalization_config: { contents: Record<'settings' | 'segments' | 'experiments', string> } } };
}

const contents = (parse(readFileSync(join(import.meta.dirname, '..', 'fastly.toml'), 'utf8')) as unknown as DemoContents).local_server.config_stores
  .personalization_config.contents;
const settings = parseSettings(contents.settings).value;
const config = { segments: parseSegments(contents.segments).value, experiments: parseExperiments(contents.experiments).value };

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const PROFILE: Profile = { id: 'u00042', tier: null, segments: [], affinities: { running: 0.3 }, recentCategories: [], recentItems: [], purchased: [], locale: null, updatedAt: null };

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

/** Process CPU time (all threads, so Web Crypto's pool counts too) per call, in µs. */
async function cpuPerCall(iterations: number, work: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / iterations;
}

/** The variables a product page reads (layout, segment, recs layout, ranking) with their values: its page key's varying part. */
function pageVaries(context: VisitorFacts, decision: Decision): Array<[string, string]> {
  const variables = ['DEVICE', 'GEO{region}', 'LOCALE', 'RANKING', 'SEGMENT', 'VARIANT{recs-layout}'];
  const visitor = consentedId(context.identity);
  const vars: EsiVariables = { segment: decision.segment, variants: decision.variants, geo: context.geo, device: context.device, locale: context.locale, visitor, query: '' };
  return variationValues(variables, vars);
}

/** One full decision (context with a vid and the sess bound to it: one HMAC verify; decide, page key) with the given crypto port. */
async function measureDecision(port: CryptoPort, label: string): Promise<Array<{ metric: string; samples: number[] }>> {
  const key = await port.hmacKey('bench-cookie-signing-key-0123456789abcdef');
  const vid = await signToken(key, 'u00042');
  const sess = await signToken(key, sessionPayload('u00042', ['shoes', 'hats']));
  const headers = {
    cookie: `consent=personalization,analytics; vid=${vid}; sess=${sess}; _ga=GA1.2.3.4`,
    'user-agent': IPHONE,
    'accept-language': 'en-GB,en;q=0.9,de;q=0.5',
  };
  const request = new Request('https://www.example.com/product/running/sku-123?utm_source=news&color=red', { headers });
  const geo = () => ({ countryCode: 'GB', continent: 'EU', region: 'ENG', city: 'London' });
  const device = () => ({ isMobile: true, isTablet: false, isDesktop: false, isBot: false });
  const full = async () => {
    const url = normalizeUrl(request.url);
    const context = await resolveVisitorFacts({ request, clientAddress: '192.0.2.1', settings, signingKey: key, geo, device });
    const decision = decide(context, PROFILE, config);
    return pageCacheKey({ url, locale: context.locale, varies: pageVaries(context, decision) }, port);
  };
  const context = await resolveVisitorFacts({ request, clientAddress: '192.0.2.1', settings, signingKey: key, geo, device });
  const url = normalizeUrl(request.url);
  return [
    { metric: `full decision, ${label} (context + decide + page key)`, samples: await timeEach(10_000, full) },
    { metric: `  the same, process CPU per decision (immune to preemption), ${label}`, samples: [await cpuPerCall(10_000, full)] },
    { metric: `  one HMAC verify (the sess bound to the vid), ${label}`, samples: await timeEach(10_000, () => verifyToken(key, sess, 300)) },
    { metric: `  page key (plain text, no digest), ${label}`, samples: await timeEach(10_000, () => pageCacheKey({ url, locale: 'en-GB', varies: pageVaries(context, decide(context, PROFILE, config)) }, port)) },
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
  const context = await resolveVisitorFacts({ request: new Request('https://www.example.com/'), clientAddress: '192.0.2.1', settings, signingKey: null, geo: () => null, device: () => null });
  const sync = await timeEach(10_000, () => decide(context, PROFILE, config) && normalizeUrl('https://www.example.com/product/running/sku-123?utm_source=news'));
  const rows = [...windows].map(([metric, medians]) => ({ metric, value: +median(medians).toFixed(2), p95: `${Math.min(...medians).toFixed(2)}–${Math.max(...medians).toFixed(2)}`, unit: 'µs (median; window medians min–max)' }));
  return [...rows, { metric: '  sync only: normalizeUrl + decide', value: +median(sync).toFixed(2), p95: +percentile(sync, 0.95).toFixed(2), unit: 'µs' }];
}

/** P6's goal: at least this many times fewer origin fetches than keying pages per visitor. */
const OFFLOAD_GOAL = 100;

type Row = Record<string, string | number>;

function offloadRows(r: TraceResult, templateMaxAge: number | null): Row[] {
  const templateSeconds = templateMaxAge ?? EDGE_MAX_AGE_SECONDS;
  const templateTtl = `templates ${templateSeconds} s${templateMaxAge === null ? '' : ' (what-if)'}`;
  const e = r.edge;
  const service = e.templates + e.candidates + e.otherFragments + e.perVisitorFragments;
  const ratio = +(r.perVisitorKeyed / service).toFixed(1);
  const minutes = (r.requests * TRACE_STEP_MS) / 60_000;
  // Shorter than the templates' TTL, a trace counts every URL's first fetch and none of the revalidations that follow.
  const verdict = `goal ≥ ${OFFLOAD_GOAL}×: ${ratio >= OFFLOAD_GOAL ? 'met' : 'missed'}${minutes * 60 > templateSeconds ? '' : ' (trace shorter than the template TTL: cold start only)'}`;
  const row = (metric: string, value: string | number, unit: string, p95 = ''): Row => ({ metric, value, p95, unit });
  return [
    row(`trace requests (${r.visitors.toLocaleString('en')} visitors, ${minutes.toFixed(1)} min at 100,000 visitors/h, caches expire)`, r.requests, 'requests', templateTtl),
    row('origin fetches: keyed per visitor (baseline)', r.perVisitorKeyed, 'fetches'),
    row('origin fetches: this service (real handler, revalidations included)', service, 'fetches'),
    row('  templates', e.templates, 'fetches'),
    row('  candidate documents (shared per segment)', e.candidates, 'fetches', `${r.publications} publications, each purging the old lists`),
    row('  other shared fragments', e.otherFragments, 'fetches'),
    row('  per-visitor fragments', e.perVisitorFragments, 'fetches'),
    row('origin fetches: no personalization (URL only)', r.urlOnly, 'fetches'),
    row('fewer origin fetches than per-visitor keying', ratio, '×', verdict),
    row('  the same, templates left out (shared fragments only)', +(r.perVisitorKeyed / (service - e.templates)).toFixed(1), '×'),
    row('consented views with a recommendations block', r.consentedViews, 'views'),
    row('  with signals (profile or session)', r.withSignals, 'views'),
    row('  ranked for that visitor\'s own signals', r.adjustedAsExpected, 'views', r.mismatches[0] ?? ''),
    row('profile store reads (per visitor, edge-cached; not page origin)', e.profileReads, 'requests'),
    row('profile store writes (view events)', e.profileWrites, 'requests'),
    row('max stored copies of one URL observed', r.maxCopiesOfOneUrl, 'copies'),
    row('max copies per URL (bound)', maxCopiesPerUrl(settings, config.segments, config.experiments).total, 'copies'),
  ];
}

/**
 * P6 replays this many visitors (P6_VISITORS): 10,000 is 6 minutes of traffic (a quick look, all
 * cold start); 120,000 is 72 minutes, longer than the templates' hour at the edge, so nearly every
 * URL is revalidated once: the run the goal is judged on. P6_TEMPLATE_MAX_AGE (seconds) is a
 * what-if for another template TTL than the origin's.
 */
const P6_VISITORS = Number(process.env.P6_VISITORS ?? 10_000);
const P6_TEMPLATE_MAX_AGE = process.env.P6_TEMPLATE_MAX_AGE ? Number(process.env.P6_TEMPLATE_MAX_AGE) : null;

export async function run(): Promise<BenchSection> {
  const decisionRows = await measureDecisions();
  const trace = await replayTrace(P6_VISITORS, 2_000, P6_TEMPLATE_MAX_AGE);
  const traceRows = offloadRows(trace, P6_TEMPLATE_MAX_AGE);
  const value = (rows: typeof decisionRows, metric: string) => Number(rows.find((row) => String(row.metric).startsWith(metric))?.value ?? NaN);
  const medianUs = value(decisionRows, '  the same, process CPU per decision (immune to preemption), node:crypto');
  const wallUs = value(decisionRows, 'full decision, node:crypto');
  const webCryptoUs = value(decisionRows, 'full decision, Web Crypto');
  const ratio = value(traceRows, 'fewer origin fetches');
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
      fetchReductionTarget: OFFLOAD_GOAL,
      fetchReductionMeetsTarget: ratio >= OFFLOAD_GOAL,
      perVisitorOriginFetches: trace.edge.perVisitorFragments,
      consentedViewsRankedForVisitor: `${trace.adjustedAsExpected}/${trace.withSignals}`,
      copiesWithinBound: value(traceRows, 'max stored copies of one URL observed') <= value(traceRows, 'max copies per URL (bound)'),
    },
  };
}
