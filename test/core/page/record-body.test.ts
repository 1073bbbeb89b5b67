import { describe, expect, it } from 'vitest';
import { BodyCopy } from '../../../src/core/page/record-body.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe('BodyCopy', () => {
  it('keeps a complete copy of the chunks it is told once the body ends', async () => {
    const copy = new BodyCopy(10);
    copy.add(encoder.encode('ab'));
    copy.add(encoder.encode('cd'));
    copy.end();
    expect(decoder.decode((await copy.copy) ?? undefined)).toBe('abcd');
  });

  it('keeps its own bytes, not views of chunks their consumer may reuse', async () => {
    const copy = new BodyCopy(10);
    const chunk = encoder.encode('ab');
    copy.add(chunk);
    chunk.fill(0x7a);
    copy.end();
    expect(decoder.decode((await copy.copy) ?? undefined)).toBe('ab');
  });

  it('keeps only the bytes a chunk views, not the rest of the buffer it is a view of', async () => {
    const copy = new BodyCopy(10);
    const buffer = encoder.encode('xxabyy');
    copy.add(buffer.subarray(2, 4));
    buffer.fill(0x7a);
    copy.end();
    const bytes = await copy.copy;
    expect(decoder.decode(bytes ?? undefined)).toBe('ab');
    expect(bytes?.buffer.byteLength).toBe(2);
  });

  it('gives up the copy as soon as the body passes the cap, before the body ends', async () => {
    const copy = new BodyCopy(5);
    copy.add(encoder.encode('abc'));
    copy.add(encoder.encode('def'));
    expect(await copy.copy).toBeNull();
    copy.add(encoder.encode('ghi'));
    copy.end();
    expect(await copy.copy).toBeNull();
  });

  it('settles with no copy when told the body will never be whole', async () => {
    const copy = new BodyCopy(100);
    copy.add(encoder.encode('a'));
    copy.fail();
    expect(await copy.copy).toBeNull();
  });

  it('settles a copy asked for before the body ends once it ends', async () => {
    const copy = new BodyCopy(10);
    const asked = copy.copy;
    copy.add(encoder.encode('ab'));
    copy.end();
    expect(decoder.decode((await asked) ?? undefined)).toBe('ab');
    expect(copy.copy).toBe(asked);
  });

  it('keeps nothing told after it gave up, and stays given up once ended', async () => {
    const copy = new BodyCopy(100);
    copy.fail();
    copy.add(encoder.encode('a'));
    copy.end();
    expect(await copy.copy).toBeNull();
  });
});
