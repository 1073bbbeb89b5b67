/**
 * The warm-up's dropped buffers are zeroed when it ends, the allocator's large free blocks and then
 * the nursery overwritten with NUL strings after that (warm-up-spent.ts), so the snapshot does not keep their content; the page
 * views themselves still answer 200 (warm-up.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { spentLater, zeroFreeBlocks, zeroNursery, zeroSpent } from '../../src/fastly/warm-up-spent.ts';
import { warmUp } from '../../src/fastly/warm-up.ts';
import { SAMPLE_VISITS } from '../../src/fastly/warm-up-samples.ts';

/** Every string a `TextDecoder` made while the warm-up ran, in order. */
async function decodedDuringWarmUp(): Promise<string[]> {
  const decoded: string[] = [];
  const decode = TextDecoder.prototype.decode;
  TextDecoder.prototype.decode = function (input?: AllowSharedBufferSource, options?: TextDecodeOptions) {
    const text = decode.call(this, input, options);
    decoded.push(text);
    return text;
  };
  try {
    await warmUp();
  } finally {
    TextDecoder.prototype.decode = decode;
  }
  return decoded;
}

describe('warm-up spent buffers', () => {
  it('zeroes each buffer handed over, once, and forgets it', () => {
    const first = spentLater(new Uint8Array([1, 2, 3]));
    zeroSpent();
    expect([...first]).toEqual([0, 0, 0]);
    first.set([4, 5, 6]);
    zeroSpent();
    expect([...first]).toEqual([4, 5, 6]);
  });

  it('zeroes the sample bodies the stand-ins and the warm-up cache made, after every page view answered', async () => {
    const made: Uint8Array[] = [];
    const encode = TextEncoder.prototype.encode;
    TextEncoder.prototype.encode = function (text?: string) {
      const bytes = encode.call(this, text);
      made.push(bytes);
      return bytes;
    };
    try {
      expect(await warmUp()).toEqual([...SAMPLE_VISITS.map(() => 200), 204]);
    } finally {
      TextEncoder.prototype.encode = encode;
    }
    const template = made.find((bytes) => bytes.byteLength > 1000 && bytes.every((byte) => byte === 0));
    expect(template).toBeDefined();
  });

  it('makes NUL strings of hundreds of KB, over a megabyte held at once, before the nursery step', async () => {
    expect(zeroFreeBlocks()).toBeGreaterThan(1024 * 1024);
    const decoded = await decodedDuringWarmUp();
    const large = decoded.flatMap((text, at) => (text.length >= 128 * 1024 ? [at] : []));
    expect(large.length).toBeGreaterThanOrEqual(4);
    expect(large.every((at) => /^\0+$/.test(decoded[at]!))).toBe(true);
    expect(Math.max(...large)).toBeLessThan(decoded.length - 1);
  });

  it('makes NUL strings for more than twice a 1 MB nursery, as the last thing the warm-up does', async () => {
    expect(zeroNursery()).toBeGreaterThan(2 * 1024 * 1024);
    const decoded = await decodedDuringWarmUp();
    const last = decoded.at(-1) ?? '';
    expect(last.length).toBeGreaterThan(512);
    expect(/^\0+$/.test(last)).toBe(true);
  });
});
