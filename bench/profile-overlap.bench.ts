/**
 * `npm run bench -- profile-overlap`: time to first byte of the home page, whose key needs the
 * decision, for a consented visitor whose profile is not in the edge cache, with the profile store
 * slow but inside its budget (issue #11 item 4: the template fetch runs beside the store call, so
 * a page-cache miss waits for the slower of the two, not both). Through the real local stack (origin
 * + Node host, in this process), one request at a time, a fresh visitor each. Rows: the template
 * purged before each request (a publish: the page and the template tier are dropped, the page's
 * variation stays, so the template comes from the origin, itself slowed), the template tier warm
 * (only its read to overlap), and the hot path (the profile in the edge cache, the page stored:
 * no template request at all). profile-latency.bench.ts has the store's faults past the budget.
 */
import { startLocalStack, type LocalStack } from '../support/local-stack.ts';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { signedVid } from '../src/local-platform/signed-visitor.ts';
import type { BenchSection } from './bench-section.ts';
import { spread } from './bench-stats.ts';

const REQUESTS = 40;
const STORE_MS = 40;
const TEMPLATE_MS = 30;
const PATH = '/';

interface Scenario {
  name: string;
  /** Before each request (not timed): what makes the row's case. */
  prepare(stack: LocalStack): Promise<void>;
  /** The visitor of request `i`. */
  visitor(i: number): string;
}

const purge = async (stack: LocalStack): Promise<void> => void (await (await fetch(stack.url('/__local/purge?key=template-home'), { method: 'POST' })).arrayBuffer());
const nothing = (): Promise<void> => Promise.resolve();
let fresh = 0;
const SCENARIOS: Scenario[] = [
  { name: `store ${STORE_MS} ms, template purged (origin ${TEMPLATE_MS} ms)`, prepare: purge, visitor: () => `u${String(fresh++).padStart(5, '0')}` },
  { name: `store ${STORE_MS} ms, template tier warm`, prepare: nothing, visitor: () => `u${String(fresh++).padStart(5, '0')}` },
  { name: 'profile in the edge cache, page stored', prepare: nothing, visitor: (i) => `u0900${i % 2}` },
];

async function cookieFor(id: string): Promise<string> {
  return `consent=personalization; vid=${await signedVid(loadManifest('fastly.toml'), id)}`;
}

/** Head and whole-page times (ms) of one request, and what the page cache did. */
async function once(stack: LocalStack, id: string): Promise<{ head: number; whole: number; cache: string }> {
  const headers = { cookie: await cookieFor(id) };
  const started = performance.now();
  const response = await fetch(stack.url(PATH), { headers });
  const head = performance.now() - started;
  await response.arrayBuffer();
  const whole = performance.now() - started;
  await stack.edge.settled();
  return { head, whole, cache: /cache=(\w+)/.exec(response.headers.get('x-personalization') ?? '')?.[1] ?? '?' };
}

async function row(scenario: Scenario): Promise<Record<string, string | number>> {
  const stack = await startLocalStack({ config: { settings: JSON.stringify({ debugHeaders: true }) } });
  try {
    // Warm-up: JIT, sockets, the fragment tier, the page's variation, and the hot row's two visitors.
    for (let i = 0; i < 20; i++) await once(stack, i < 10 ? `u0800${i}` : `u0900${i % 2}`);
    stack.origin.faults.set('profiles', { kind: 'latency', ms: STORE_MS });
    stack.origin.faults.set('templates', { kind: 'latency', ms: TEMPLATE_MS });
    const heads: number[] = [];
    const wholes: number[] = [];
    const caches = new Map<string, number>();
    const templatesBefore = stack.origin.requests.count('templates');
    for (let i = 0; i < REQUESTS; i++) {
      await scenario.prepare(stack);
      const { head, whole, cache } = await once(stack, scenario.visitor(i));
      heads.push(head);
      wholes.push(whole);
      caches.set(cache, (caches.get(cache) ?? 0) + 1);
    }
    const h = spread(heads);
    return {
      scenario: scenario.name,
      'page cache': [...caches].map(([cache, count]) => `${cache} ${count}`).join(', '),
      'template origin requests': stack.origin.requests.count('templates') - templatesBefore,
      'head p50 ms': h.median.toFixed(1),
      'head min-max ms': `${h.min.toFixed(1)}-${h.max.toFixed(1)}`,
      'whole p50 ms': spread(wholes).median.toFixed(1),
    };
  } finally {
    stack.origin.faults.clear();
    await stack.close();
  }
}

export async function run(): Promise<BenchSection> {
  const rows: BenchSection['rows'] = [];
  for (const scenario of SCENARIOS) rows.push(await row(scenario));
  return {
    name: `Time to first byte of ${PATH} with the profile store slow inside its budget (${REQUESTS} pages each, one at a time)`,
    rows,
    summary: { 'store latency (ms)': STORE_MS, 'template origin latency (ms)': TEMPLATE_MS },
  };
}
