/**
 * Drives the feedback loop through a running stack as a browser would: read the home page as a
 * consenting known visitor, click a few running items (beacons, without keeping the `sess` cookie
 * so only the profile can change the segment), then poll the account page (its "Picked for you" block reads the profile) until its segment changes.
 * Shared by the end-to-end test and the `profiles` benchmark.
 */
import { signedVid } from '../src/local-platform/signed-visitor.ts';
import type { LocalManifest } from '../src/local-platform/manifest.ts';

export interface PageState {
  segment: string | null;
  /** The visitor block's reason text, e.g. "jackets and shoes"; null without the block. */
  because: string | null;
}

export interface LoopResult {
  before: PageState;
  after: PageState;
  /** From the last click's 204 to the first page showing the new segment. */
  clickToChangedMs: number;
  beaconStatuses: number[];
}

const BECAUSE = /Because you have been looking at ([a-z ]+)\./;

export async function readHome(url: (path: string) => string, cookie: string): Promise<PageState> {
  const response = await fetch(url('/account'), { headers: { cookie } });
  const html = await response.text();
  const header = response.headers.get('x-personalization') ?? '';
  return { segment: /segment=([a-z-]+)/.exec(header)?.[1] ?? null, because: BECAUSE.exec(html)?.[1] ?? null };
}

export async function runFeedbackLoop(options: { url: (path: string) => string; manifest: LocalManifest; visitor: string; items: string[]; deadlineMs: number }): Promise<LoopResult> {
  const cookie = `consent=personalization,analytics; vid=${await signedVid(options.manifest, options.visitor)}`;
  const before = await readHome(options.url, cookie);
  const beaconStatuses: number[] = [];
  for (const item of options.items) {
    const response = await fetch(options.url('/__beacon'), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'click', slot: 'recs', item, page: '/' }),
    });
    await response.arrayBuffer();
    beaconStatuses.push(response.status);
  }
  const clicked = performance.now();
  let after = before;
  while (performance.now() - clicked < options.deadlineMs) {
    after = await readHome(options.url, cookie);
    if (after.segment !== before.segment) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { before, after, clickToChangedMs: performance.now() - clicked, beaconStatuses };
}
