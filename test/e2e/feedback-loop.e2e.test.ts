import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/local-platform/manifest.ts';
import { signedVid } from '../../src/local-platform/signed-visitor.ts';
import { useLocalStack } from './use-local-stack.ts';
import { readHome, runFeedbackLoop } from '../../support/feedback-loop.ts';

const RUNNING_ITEMS = ['sku-1001', 'sku-1002', 'sku-1003', 'sku-1004'];
const stack = useLocalStack();
const manifest = loadManifest('fastly.toml');

function clickstream(): Array<Record<string, unknown>> {
  return stack.lines().filter((line) => line.startsWith('clickstream :: ')).map((line) => JSON.parse(line.slice('clickstream :: '.length)) as Record<string, unknown>);
}

describe('the feedback loop on the local stack', () => {
  it('a few clicks on running items change the next page\'s segment and the visitor block\'s reason', async () => {
    // u00001 starts with jackets 0.84 and shoes 0.41 at the top, running 0.35: segment general.
    const result = await runFeedbackLoop({ url: stack.url, manifest, visitor: 'u00001', items: RUNNING_ITEMS, deadlineMs: 10_000 });
    expect(result.beaconStatuses).toEqual([204, 204, 204, 204]);
    expect(result.before).toEqual({ segment: 'general', because: 'jackets and shoes' });
    expect(result.after).toEqual({ segment: 'runner', because: 'running and jackets' });
    await stack.edge.settled();
    const writes = clickstream().slice(-4).map((event) => (event.profileWrite as { outcome: string } | null)?.outcome);
    expect(writes).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('leaves the clicked items in the store, most recent first, each once', async () => {
    const profile = await (await fetch(new URL('/profiles/u00001', stack.origin.urls.profiles))).json() as { recentItems: string[] };
    expect(profile.recentItems.slice(0, 4)).toEqual([...RUNNING_ITEMS].reverse());
    expect(new Set(profile.recentItems).size).toBe(profile.recentItems.length);
  });

  it('writes nothing for a visitor under GPC, and the beacon still answers 204', async () => {
    stack.origin.requests.clear();
    const cookie = `consent=personalization; vid=${await signedVid(manifest, 'u00002')}`;
    const response = await fetch(stack.url('/__beacon'), {
      method: 'POST',
      headers: { cookie, 'sec-gpc': '1', 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'click', slot: 'recs', item: 'sku-1001', page: '/' }),
    });
    expect(response.status).toBe(204);
    await (await fetch(stack.url('/category/running'), { headers: { cookie, 'sec-gpc': '1' } })).arrayBuffer();
    await stack.edge.settled();
    expect(stack.origin.requests.all('profiles')).toEqual([]);
  });

  it('keeps beacons and pages fast and whole while the profile store hangs, counting the write as failed', async () => {
    const cookie = `consent=personalization; vid=${await signedVid(manifest, 'u00003')}`;
    stack.origin.faults.set('profiles', { kind: 'hang' });
    try {
      const beacon = await fetch(stack.url('/__beacon'), {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'click', slot: 'recs', item: 'sku-1001', page: '/' }),
        signal: AbortSignal.timeout(5_000),
      });
      expect(beacon.status).toBe(204);
      const page = await readHome(stack.url, cookie);
      expect(page.segment).not.toBeNull();
      await stack.edge.settled();
      // The backend's own first-byte timeout may fire before the write's deadline: either is a failure.
      expect(['timeout', 'error']).toContain((clickstream().at(-1)?.profileWrite as { outcome: string } | undefined)?.outcome);
    } finally {
      stack.origin.faults.clear('profiles');
    }
  });
});
