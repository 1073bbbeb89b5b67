import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DECISION_TTL_SECONDS, signDecision, signPageDecision, verifyDecision, type PageDecision, type RenderedPage } from '../../../src/core/experiments/decision-token.ts';
import { webCrypto } from '../../../src/core/crypto/web-crypto.ts';
import { nodeCrypto } from '../../../src/node-host/node-crypto.ts';

const SECRET = 'decision-token-test-key-0123456789';
const web = await webCrypto.hmacKey(SECRET);
const node = await nodeCrypto.hmacKey(SECRET);

const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);

const signed = (page: RenderedPage, key = web): Promise<string | null> => new Promise((resolve) => signPageDecision(key, page, resolve));

/** The decision the token should name: each exposed experiment that has a variant, its slots as exposed. */
function expected(page: RenderedPage): PageDecision {
  const exposed: Record<string, { variant: string; slots: readonly string[] }> = {};
  for (const [experiment, slots] of Object.entries(page.exposure)) {
    const variant = Object.hasOwn(page.variants, experiment) ? page.variants[experiment] : undefined;
    if (variant !== undefined) exposed[experiment] = { variant, slots };
  }
  return { segment: page.segment, exposed, templatePath: page.templatePath, expires: Math.floor(page.nowMs / 1000) + DECISION_TTL_SECONDS, preview: page.preview };
}

describe('signPageDecision', () => {
  it('signs the token signDecision signs for the same decision, which verifies back to it', async () => {
    const page = fc.record({
      segment: name,
      variants: fc.dictionary(name, name, { maxKeys: 4 }),
      exposure: fc.dictionary(name, fc.uniqueArray(name, { maxLength: 3 }), { maxKeys: 4 }),
      templatePath: fc.constantFrom('/', '/category/running', '/p/é'),
      nowMs: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
      preview: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(page, async (rendered) => {
        const token = await signed(rendered);
        expect(token).toBe(await signDecision(web, expected(rendered)));
        expect(await signed(rendered, node)).toBe(token);
        expect(await verifyDecision(web, token!, rendered.nowMs)).toEqual(expected(rendered));
      }),
      { numRuns: 150 },
    );
  });

  it('hands null to done when the key cannot sign', async () => {
    const broken = { sign: () => Promise.reject(new Error('no key')), verify: () => Promise.resolve(false) };
    const page = { segment: 'vip', variants: {}, exposure: {}, templatePath: '/', nowMs: 1_800_000_000_000, preview: false };
    expect(await signed(page, broken)).toBeNull();
  });
});
