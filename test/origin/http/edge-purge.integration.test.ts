/**
 * The origin's purges at the edge: a deploy soft-purges every surrogate key a deploy may change,
 * and says which ones the edge did not confirm.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEPLOY_SURROGATE_KEYS, purgeDeployedContent, purgeEdge } from '../../../origin/http/edge-purge.ts';

let edge: Server | null = null;

afterEach(() => {
  edge?.close();
  edge = null;
});

/** A stand-in edge that records each purge and answers `status(key)`. */
async function fakeEdge(status: (key: string) => number): Promise<{ url: string; purges: string[] }> {
  const purges: string[] = [];
  const server = createServer((req, res) => {
    purges.push(`${req.method} ${req.url}`);
    res.statusCode = status(new URL(req.url ?? '/', 'http://edge').searchParams.get('key') ?? '');
    res.end('{}');
  });
  edge = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, purges };
}

describe('purging published content at the edge', () => {
  it('soft-purges templates and every shared fragment after a deploy', async () => {
    const { url, purges } = await fakeEdge(() => 200);
    expect(await purgeDeployedContent({ kind: 'local', url })).toEqual([]);
    expect(purges.sort()).toEqual(DEPLOY_SURROGATE_KEYS.map((key) => `POST /__local/purge?key=${key}&soft=1`).sort());
    expect(DEPLOY_SURROGATE_KEYS).toContain('template');
  });

  it('names the keys the edge refused', async () => {
    const { url } = await fakeEdge((key) => (key === 'frag-promo' ? 500 : 200));
    expect(await purgeDeployedContent({ kind: 'local', url })).toEqual(['frag-promo']);
  });

  it('reports every key when no edge answers', async () => {
    const { url } = await fakeEdge(() => 200);
    edge?.close();
    await new Promise((resolve) => edge?.once('close', resolve));
    expect(await purgeDeployedContent({ kind: 'local', url })).toEqual([...DEPLOY_SURROGATE_KEYS]);
  });

  it('purges one key hard unless told soft', async () => {
    const { url, purges } = await fakeEdge(() => 200);
    expect(await purgeEdge(url, 'recs-candidates')).toBe(true);
    expect(await purgeEdge(url, 'a key&soft=0', true)).toBe(true);
    expect(purges).toEqual(['POST /__local/purge?key=recs-candidates', 'POST /__local/purge?key=a+key%26soft%3D0&soft=1']);
  });
});
