/**
 * A template read whole (a cached copy, template-reader.ts) assembles to the same bytes as the
 * same template streamed, on both search ports; its first 64 KiB leave before the rest is parsed;
 * the byte cap and a failed read end the page as they do for a stream.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { processEsi } from '../../../src/core/esi/esi-processor.ts';
import { MAX_TEMPLATE_BYTES } from '../../../src/core/esi/esi-limits.ts';
import type { FragmentResult } from '../../../src/core/esi/fragment-fetcher.ts';
import { assemble, decoder, encoder, fakeFetcher, ok, PAGE_URL, readAll, SETTINGS, VARS, VIEWS } from './esi-test-kit.ts';
import { ENCODINGS, FRAGMENT, INCLUDE_SRC, withIncludes } from './byte-exact-cases.ts';

const FIRST_PART = 64 * 1024;
const padding = (length: number): Uint8Array => new Uint8Array(length).fill(0x78);

function padded(length: number, tail: Uint8Array): Uint8Array {
  const out = padding(length + tail.length);
  out.set(tail, length);
  return out;
}

describe.each(VIEWS)('with %s', (_name, views) => {
  it.each(ENCODINGS)('stitches a whole %s template byte for byte wherever the first part ends', async (_encoding, text) => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 2, maxLength: 3 }), async (pieces) => {
        const { body, expected } = withIncludes(pieces);
        // The first part's end lands at every byte of the interesting tail, tags and characters included.
        for (let cut = 0; cut <= body.length; cut++) {
          const out = await assemble([padded(FIRST_PART - cut, body)], fakeFetcher({ [INCLUDE_SRC]: FRAGMENT }), { views, whole: true });
          expect([...out.bytes.subarray(FIRST_PART - cut)]).toEqual([...expected]);
        }
      }),
      { numRuns: 3 },
    );
  });

  // A whole template within its first part is one chunk marked whole: the guest's views read it as latin1 at once.
  it.each(ENCODINGS)('stitches a small whole %s template byte for byte', async (_encoding, text) => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 2, maxLength: 4 }), async (pieces) => {
        const { body, expected } = withIncludes(pieces);
        const out = await assemble([body], fakeFetcher({ [INCLUDE_SRC]: FRAGMENT }), { views, whole: true });
        expect([...out.bytes]).toEqual([...expected]);
      }),
      { numRuns: 40 },
    );
  });
});

async function chunksOf(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const chunks: string[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(decoder.decode(next.value));
  return chunks;
}

const start = (whole: Promise<Uint8Array>, fetchFragment = fakeFetcher({}), problems: string[] = []) =>
  processEsi({ body: { whole }, pageUrl: PAGE_URL, vars: VARS, settings: SETTINGS, fetchFragment, now: () => performance.now(), onProblem: (p) => problems.push(p) });

it('writes the first 64 KiB of a whole template before the rest', async () => {
  const page = `${'a'.repeat(FIRST_PART)}${'b'.repeat(1000)}`;
  expect(await chunksOf(start(Promise.resolve(encoder.encode(page))).body)).toEqual(['a'.repeat(FIRST_PART), 'b'.repeat(1000)]);
});

it('streams the bytes before a pending include of a whole template before it resolves', async () => {
  let release: (result: FragmentResult) => void = () => undefined;
  const pending = new Promise<FragmentResult>((resolve) => (release = resolve));
  const { body } = processEsi({
    body: { whole: Promise.resolve(encoder.encode('<p>before</p><esi:include src="/fragments/slow"/><p>after</p>')) },
    pageUrl: PAGE_URL, vars: VARS, settings: { ...SETTINGS, fragmentTimeoutMs: 10_000, pageDeadlineMs: 10_000 },
    fetchFragment: () => pending, now: () => performance.now(),
  });
  const reader = body.getReader();
  expect(decoder.decode((await reader.read()).value)).toBe('<p>before</p>');
  release(ok('SLOW'));
  let rest = '';
  for (let step = await reader.read(); !step.done; step = await reader.read()) rest += decoder.decode(step.value);
  expect(rest).toBe('SLOW<p>after</p>');
});

it('ends a whole template at the byte cap and says so', async () => {
  const problems: string[] = [];
  const { body, report } = start(Promise.resolve(padding(MAX_TEMPLATE_BYTES + 10)), fakeFetcher({}), problems);
  expect((await readAll(body)).length).toBe(MAX_TEMPLATE_BYTES);
  await report;
  expect(problems.join()).toContain(`template over ${MAX_TEMPLATE_BYTES} bytes`);
});

it('ends the page with nothing when the whole read fails, and says so', async () => {
  const problems: string[] = [];
  const { body, report } = start(Promise.reject(new Error('reset')), fakeFetcher({}), problems);
  expect((await readAll(body)).length).toBe(0);
  await report;
  expect(problems.join()).toContain('template read failed');
});

it('tells the tap every chunk written and then the end', async () => {
  const told: string[] = [];
  const tap = { add: (bytes: Uint8Array) => told.push(decoder.decode(bytes)), end: () => told.push('end'), fail: () => told.push('fail') };
  const { body } = processEsi({ body: { whole: Promise.resolve(encoder.encode('a<esi:include src="/fragments/f"/>b')) }, pageUrl: PAGE_URL, vars: VARS, settings: SETTINGS, fetchFragment: fakeFetcher({ '/fragments/f': 'F' }), now: () => performance.now(), tap });
  const written = await chunksOf(body);
  expect(told).toEqual([...written, 'end']);
  expect(written.join('')).toBe('aFb');
});

it('tells the tap the page will not be whole when the consumer cancels', async () => {
  const told: string[] = [];
  const tap = { add: () => told.push('add'), end: () => told.push('end'), fail: () => told.push('fail') };
  const never = new Promise<FragmentResult>(() => undefined);
  const { body } = processEsi({ body: { whole: Promise.resolve(encoder.encode('a<esi:include src="/fragments/f"/>b')) }, pageUrl: PAGE_URL, vars: VARS, settings: { ...SETTINGS, fragmentTimeoutMs: 10_000, pageDeadlineMs: 10_000 }, fetchFragment: () => never, now: () => performance.now(), tap });
  const reader = body.getReader();
  await reader.read();
  await reader.cancel('client went away');
  expect(told).toEqual(['add', 'fail']);
});

describe('the template tap', () => {
  const taps = () => {
    const told: string[] = [];
    return { told, tap: { add: (bytes: Uint8Array) => told.push(decoder.decode(bytes)), end: () => told.push('end'), fail: () => told.push('fail') } };
  };
  const streamed = (chunks: string[], fail = false) => {
    let next = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[next++];
        if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
        else if (fail) controller.error(new Error('reset'));
        else controller.close();
      },
    });
  };
  const run = async (body: ReadableStream<Uint8Array> | { whole: Promise<Uint8Array> }, templateTap: { add(b: Uint8Array): void; end(): void; fail(): void }) => {
    const { body: out, report } = processEsi({ body, pageUrl: PAGE_URL, vars: VARS, settings: SETTINGS, fetchFragment: fakeFetcher({ '/fragments/f': 'F' }), now: () => performance.now(), templateTap });
    const bytes = await readAll(out);
    await report;
    return decoder.decode(bytes);
  };

  it('is told the template bytes as read, tags included, then the end', async () => {
    const { told, tap } = taps();
    expect(await run(streamed(['a<esi:include src="/fragme', 'nts/f"/>b']), tap)).toBe('aFb');
    expect(told).toEqual(['a<esi:include src="/fragme', 'nts/f"/>b', 'end']);
  });

  it('is told the template cannot be copied when its read fails', async () => {
    const { told, tap } = taps();
    await run(streamed(['a'], true), tap);
    expect(told).toEqual(['a', 'fail']);
  });

  it('is told the template cannot be copied when it passes the byte cap', async () => {
    const { told, tap } = taps();
    await run({ whole: Promise.resolve(padding(MAX_TEMPLATE_BYTES + 1)) }, tap);
    expect(told.at(-1)).toBe('fail');
    expect(told).not.toContain('end');
  });

  it('is told the template cannot be copied when the consumer cancels', async () => {
    const { told, tap } = taps();
    const never = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(encoder.encode('a<esi:include src="/fragments/f"/>')) });
    const { body } = processEsi({ body: never, pageUrl: PAGE_URL, vars: VARS, settings: SETTINGS, fetchFragment: fakeFetcher({ '/fragments/f': 'F' }), now: () => performance.now(), templateTap: tap });
    const reader = body.getReader();
    await reader.read();
    await reader.cancel('client went away');
    expect(told).toEqual(['a<esi:include src="/fragments/f"/>', 'fail']);
  });
});
