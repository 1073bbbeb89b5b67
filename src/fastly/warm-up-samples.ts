/**
 * Fixed sample inputs for the build-time warm-up (warm-up.ts): config documents, a template that
 * uses each ESI construct the demo pages use, a profile, a ranked candidate document and a
 * fragment. They only need to send execution down the same code paths as real pages.
 */
import type { BackendName, ConfigKey } from '../core/ports.ts';
import type { PageDecision } from '../core/experiments/decision-token.ts';
import { COMPACT_CANDIDATES_TYPE } from '../core/recs/compact-format.ts';
import { renderCompactDocument } from '../core/recs/compact-writer.ts';
import { standInResponse } from './warm-up-stand-ins.ts';
import { MAX_REPORTED_INCLUDES } from '../core/esi/esi-limits.ts';
import { RUN } from '../core/esi/run-text.ts';

/** Signs the sample visitor's cookies during the warm-up; a constant, not a secret. */
export const SAMPLE_KEY = 'warm-up-sample-key-not-a-secret';

/** One sample page view: whether the visitor sends a `sess` cookie, and whether device detection knows their browser. */
export interface SampleVisit {
  path: string;
  session: boolean;
  knownDevice: boolean;
  /** No cookie at all: the visitor most pages serve, answered from the page cache once stored. */
  anonymous?: true;
}

const PRODUCT = '/product/running/sku-1001?utm_source=warm-up';
const CATEGORY = '/category/running?sort=price';
/**
 * A page whose template the edge already holds (a cache hit), so the core reads it whole
 * (template-source.ts), and which holds more includes than a page fetches (see manyIncludes).
 */
const CACHED_TEMPLATE = '/warm-up/cached-template';

/**
 * The warm-up's page views, in order, chosen to cover the branches real views take: a page with no
 * category; a visitor without `sess` (the page signs one); a browser device detection does not
 * know (the user-agent fallback); pages seen again, which the warm-up's cache then answers
 * from (a cached profile, a stored page or its pass marker, a stored variation); and a visitor
 * without cookies, whose second view is a stored page; and a template the edge holds (read whole,
 * not streamed: the path of every warm demo page), with includes past the page's limit.
 */
export const SAMPLE_VISITS: readonly SampleVisit[] = [
  { path: PRODUCT, session: true, knownDevice: true },
  { path: CATEGORY, session: true, knownDevice: true },
  { path: '/', session: false, knownDevice: false },
  { path: PRODUCT, session: true, knownDevice: true },
  { path: CATEGORY, session: false, knownDevice: false },
  { path: '/', session: false, knownDevice: true, anonymous: true },
  { path: '/', session: false, knownDevice: true, anonymous: true },
  { path: CACHED_TEMPLATE, session: true, knownDevice: true },
];

/** A phone's user agent (device detection knows it in the warm-up) and one it does not know. */
export const KNOWN_DEVICE_AGENT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)';
export const UNKNOWN_DEVICE_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) Warm-up';

const CONFIG: Record<ConfigKey, string> = {
  settings: JSON.stringify({
    consentMode: 'opt-in', profileTimeoutMs: 50, fragmentTimeoutMs: 150, pageDeadlineMs: 400, maxIncludes: 16,
    includeHosts: ['www.example.com'], routes: [{ prefix: '/fragments/', backend: 'fragments' }],
    debugHeaders: true, logSampleRate: 1, locales: ['en-US', 'en-GB', 'de-DE'], passPrefixes: ['/cart'],
  }),
  segments: JSON.stringify({
    version: 1, default: 'general',
    rules: [
      { segment: 'vip', when: { 'profile.tier': { in: ['platinum'] } } },
      { segment: 'runner', when: { 'profile.affinities.running': { gte: 0.6 } } },
      { segment: 'runner', when: { 'session.categories': { contains: 'running' } } },
      { segment: 'mobile-visitor', when: { device: { eq: 'mobile' } } },
    ],
  }),
  experiments: JSON.stringify([
    { id: 'hero-copy', variants: [{ id: 'control', weight: 50 }, { id: 'bold', weight: 50 }], rollout: 100, segments: ['general', 'runner'] },
    { id: 'recs-layout', variants: [{ id: 'control', weight: 50 }, { id: 'grid', weight: 50 }], rollout: 100, segments: [] },
  ]),
};

export function sampleConfig(key: ConfigKey): string {
  return CONFIG[key];
}

const TEMPLATE = `<!doctype html><html lang="en"><head><title>Sample</title></head><body>
<esi:comment text="sample"/>
<esi:include src="/fragments/promo?region=$(GEO{region})" onerror="continue"/>
<section><esi:include src="/fragments/hero?seg=$(SEGMENT)&amp;v=$(VARIANT{hero-copy})" alt="/fragments/hero?seg=general" timeout="150"/></section>
<esi:try><esi:attempt><esi:include src="/fragments/recs/candidates?seg=$(SEGMENT)" rank="visitor" count="4" exclude="sku-1001"/></esi:attempt>
<esi:except><p>none</p></esi:except></esi:try>
<esi:include src="/fragments/recs/candidates?seg=$(SEGMENT)&amp;format=json" rank="visitor" count="4" onerror="continue"/>
<esi:choose><esi:when test="$(QUERY_STRING{sort}) == 'price'">by price</esi:when><esi:otherwise>by popularity</esi:otherwise></esi:choose>
<!--esi <esi:vars><p data-locale="$(LOCALE)">$(DEVICE)</p></esi:vars> -->
<esi:remove><p>fallback</p></esi:remove>
<script>var s = "$(not esi)";</script>
<esi:vars><template data-decision="$(DECISION)"></template></esi:vars>
</body></html>`;

const CATEGORIES = ['running', 'hiking', 'cycling', 'swimming'];
const ITEMS = Array.from({ length: 24 }, (_, i) => ({ id: `sku-${1000 + i}`, category: CATEGORIES[i % 4] ?? '', score: 24 - i, html: `<li data-item="sku-${1000 + i}">Item ${i}</li>` }));
const CANDIDATES = JSON.stringify({ before: '<ul class="product-grid">', after: '</ul>', items: ITEMS });
// The format the fragments origin answers the edge with; `format=json` gets what other publishers send.
const COMPACT_CANDIDATES = new TextDecoder().decode(renderCompactDocument('<ul class="product-grid">', '</ul>', ITEMS));

function profile(id: string): string {
  return JSON.stringify({
    id, tier: 'gold', segments: ['runner'], affinities: { running: 0.9, hiking: 0.2 }, recentCategories: ['running', 'hiking'],
    recentItems: ['sku-1003'], purchased: ['sku-1005'], locale: 'en-GB', updatedAt: '2020-01-01T00:00:00Z',
  });
}

const HTML = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'max-age=60', 'surrogate-key': 'sample' };

/**
 * Includes past the page's include limit, and past the report's bound runs of them (tag-runs.ts):
 * without them the skip path ran first inside a request. Not past MAX_ESI_ELEMENTS: a hostile
 * template's drop path stays cold (+0.1–0.3 ms on its first request). A page view of its own with
 * 1,010 elements left 125 more 4 KB pages in the snapshot, which a fresh instance on the Node host
 * copies (~1.6 µs each): its garbage, and the GC nursery it grew from 768 KB to 1 MB (each minor
 * GC in the warm-up promotes more than 2 % and grows it by 256 KB; the views end ~85 KB short of
 * the third). Added to a view, these cost none of that.
 */
function manyIncludes(): string {
  return Array.from({ length: MAX_REPORTED_INCLUDES + 2 * RUN }, (_, i) => `<p>${i}</p><esi:include src="/fragments/f${i}"/>`).join('');
}

export function sampleBackend(backend: BackendName, url: string): Response {
  const path = new URL(url).pathname;
  if (backend === 'templates') {
    const headers = { ...HTML, 'surrogate-control': 'content="ESI/1.0"', ...(path === CACHED_TEMPLATE ? { age: '5' } : {}) };
    return standInResponse(path === CACHED_TEMPLATE ? TEMPLATE.replace('</body>', `${manyIncludes()}</body>`) : TEMPLATE, headers);
  }
  if (backend === 'profiles') {
    if (path.endsWith('/events')) return standInResponse('{}', { 'content-type': 'application/json' }, 202);
    return standInResponse(profile(decodeURIComponent(path.split('/').pop() ?? '')), { 'content-type': 'application/json' });
  }
  if (path.endsWith('/candidates') && url.includes('format=json')) return standInResponse(CANDIDATES, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
  if (path.endsWith('/candidates')) return standInResponse(COMPACT_CANDIDATES, { 'content-type': COMPACT_CANDIDATES_TYPE, 'cache-control': 'max-age=60' });
  return standInResponse('<p class="fragment">Sample fragment</p>', HTML);
}

/** The decision the warm-up's beacon carries, signed with SAMPLE_KEY; valid until 2100, so its whole check runs. */
export const SAMPLE_DECISION: PageDecision = { segment: 'runner', exposed: { 'hero-copy': { variant: 'bold', slots: ['hero'] }, 'recs-layout': { variant: 'grid', slots: ['recs'] } }, templatePath: '/', expires: 4_102_444_800, preview: false };

/** A click on a recommended item of another category than the visitor's session holds, from a product page. */
export function sampleBeacon(token: string): string {
  return JSON.stringify({ type: 'click', slot: 'recs', item: 'sku-1002', page: '/product/hiking/sku-1002', decision: token });
}
