/**
 * Hostile requests answer exactly as before on the Node host (the same core code the guest runs,
 * test/wasm-host/hostile-requests.e2e.test.ts): a client's query of special characters written
 * into `<esi:vars>` twice and into three include URLs, a beacon `Content-Type` of 3,000 parameters
 * (Node's 16 KB of headers; Compute's 69 KB in the guest test), an `Accept-Language` of 12 KB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockStack, type MockStack } from './support/mock-stack.ts';
import { get } from './support/http-client.ts';
import { BEACON_BODY, CONNECTION_NAMED, echoFragments, forwardedClientHeaders, echoedQuery, escapedValue, hostileTemplates, hostileValue, manyParameters, passedAsMeant, passHeaders } from './support/hostile-requests.ts';

let stack: MockStack;
beforeAll(async () => {
  stack = await startMockStack({ handlers: { templates: hostileTemplates, fragments: echoFragments } });
});
afterAll(async () => {
  await stack.close();
});

describe('hostile requests on the Node host', () => {
  it('escapes a query value of every special character into a vars body, byte for byte', async () => {
    const response = await get(stack.url(`/h/vars?q=${encodeURIComponent(hostileValue(6000))}`));
    expect(response.status).toBe(200);
    const escaped = Buffer.from(escapedValue(6000), 'utf8').toString('latin1');
    expect(response.body).toContain(`">${escaped}|${escaped}</p>`);
  });

  it('sends each include the query normalized, 1,300 `<\'` each', async () => {
    const response = await get(stack.url(`/h/includes?q=${encodeURIComponent(`<'`.repeat(1300))}`));
    expect(response.status).toBe(200);
    expect(response.body).toBe(`<main>${[0, 1, 2].map((i) => `[/fragments/echo-${i}?${echoedQuery(1300)}]`).join('')}</main>`);
  });

  it('reads a beacon Content-Type of 3,000 parameters: UTF-8 accepted, latin1 refused', async () => {
    const cookie = await stack.visitorCookie('hostile-beacon');
    const accepted = await get(stack.url('/__beacon'), { cookie, 'content-type': manyParameters(3000, 'UTF-8') }, 'POST', BEACON_BODY);
    const refused = await get(stack.url('/__beacon'), { cookie, 'content-type': manyParameters(3000, 'latin1') }, 'POST', BEACON_BODY);
    expect(accepted.status).toBe(204);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toEqual({ error: 'charset must be UTF-8' });
  });

  it('negotiates the locale of a 12 KB Accept-Language as of none', async () => {
    const plain = await get(stack.url('/h/vars?q=x'));
    const long = await get(stack.url('/h/vars?q=x'), { 'accept-language': 'xx-'.repeat(4000) });
    expect(long.status).toBe(200);
    expect(long.body).toBe(plain.body);
  });
  it('passes a cart POST of 900 headers on with its body and without its hop-by-hop headers', async () => {
    const response = await get(stack.url('/cart/h'), passHeaders(900), 'POST', 'sku=1');
    expect(response.status).toBe(200);
    expect(response.body).toBe('taken sku=1');
    expect(passedAsMeant(stack.origins.templates.requests.at(-1)!, 900)).toBe(true);
  }, 30_000);

  it('drops what the client\'s Connection names from a pass, as the Wasm host does', async () => {
    const response = await get(stack.url('/cart/h'), CONNECTION_NAMED);
    expect(response.status).toBe(200);
    expect(forwardedClientHeaders(stack.origins.templates.requests.at(-1)!)).toEqual(['x-kept']);
  });
});
