import { describe, expect, it } from 'vitest';
import { beaconJson, makeDeps, postBeacon, signedVid } from './make-deps.ts';

const CANARY_ID = 'CanaryVisitor4242';
const CANARY_EMAIL = 'canary.person@example.com';
const CANARY_UA = 'CanaryAgent/9.9';

describe('beacon PII canary', () => {
  it('writes no raw id, cookie, query, user agent or address into the clickstream line', async () => {
    const deps = makeDeps();
    const vid = await signedVid(CANARY_ID);
    const response = await postBeacon(deps, {
      body: beaconJson({ page: `/product/shoes/sku-1?email=${encodeURIComponent(CANARY_EMAIL)}#${CANARY_EMAIL}` }),
      cookie: `consent=personalization; vid=${vid}; session_token=${CANARY_EMAIL}`,
      headers: { 'user-agent': CANARY_UA, 'x-forwarded-for': '203.0.113.99', referer: `https://shop.example/?email=${CANARY_EMAIL}` },
    });
    expect(response.status).toBe(204);
    const [line] = deps.lines.map((l) => l.line);
    expect(line).toBeDefined();
    for (const canary of [CANARY_ID, vid, CANARY_EMAIL, encodeURIComponent(CANARY_EMAIL), 'canary', CANARY_UA, '203.0.113.99', '192.0.2.7', 'email']) {
      expect(line!.toLowerCase()).not.toContain(canary.toLowerCase());
    }
  });
});
