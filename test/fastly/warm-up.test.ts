/**
 * The build-time warm-up of the Wasm guest (src/fastly/warm-up.ts): it must take the sample pages
 * down the whole page path (a 200 each, not an early error), and leave the runtime's own
 * `Request`, `Response` and timers in place afterwards, also when it fails.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { warmUp } from '../../src/fastly/warm-up.ts';
import { SAMPLE_VISITS } from '../../src/fastly/warm-up-samples.ts';
import { webCrypto } from '../../src/core/crypto/web-crypto.ts';

const builtins = () => ({ Request: globalThis.Request, Response: globalThis.Response, setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout });

describe('build-time warm-up', () => {
  afterEach(() => vi.restoreAllMocks());

  it('serves every sample page through the real handler', async () => {
    expect(await warmUp()).toEqual(SAMPLE_VISITS.map(() => 200));
  });

  it('puts the runtime builtins back once it is done', async () => {
    const before = builtins();
    await warmUp();
    expect(builtins()).toEqual(before);
  });

  it('resolves, with the builtins back, when a step fails', async () => {
    const before = builtins();
    vi.spyOn(webCrypto, 'hmacKey').mockRejectedValue(new Error('no crypto at build time'));
    expect(await warmUp()).toEqual([]);
    expect(builtins()).toEqual(before);
  });
});
