/**
 * Helpers shared by the ESI tests: byte streams from strings or chunks, a fake fragment fetcher
 * that serves fragments from memory and records its calls, and a one-call `assemble`.
 */
import type { Settings } from '../../../src/core/config/settings.ts';
import { DEFAULT_SETTINGS } from '../../../src/core/config/settings.ts';
import type { AssemblyReport } from '../../../src/core/esi/esi-processor.ts';
import { processEsi } from '../../../src/core/esi/esi-processor.ts';
import type { EsiVariables } from '../../../src/core/esi/esi-variables.ts';
import type { FragmentFetcher, FragmentRequest, FragmentResult } from '../../../src/core/esi/fragment-fetcher.ts';
import type { ChunkViews } from '../../../src/core/esi/chunk-view.ts';
import { byteViews, latin1Views, pairViews } from '../../../src/core/esi/runtime-views.ts';
import { bufferViews } from '../../../src/node-host/buffer-views.ts';

/** Every implementation of the tokenizer's search port: every contract test runs against each. */
export const VIEWS: ReadonlyArray<readonly [string, ChunkViews]> = [
  ['typed-array search (core default)', byteViews],
  ['latin1 string search (pair view fallback)', latin1Views],
  ['UTF-16 pair search (Wasm guest)', pairViews],
  ['Buffer search (Node host)', bufferViews],
];

export const encoder = new TextEncoder();
export const decoder = new TextDecoder();

export const PAGE_URL = new URL('https://www.example.com/shop/page.html?q=shoes&seg=x');

export const VARS: EsiVariables = {
  segment: 'runner',
  variants: { 'hero-copy': 'bold' },
  geo: { region: 'eu-west', country: 'GB' },
  device: 'mobile',
  locale: 'en-GB',
  visitor: 'u00042',
  query: 'q=running+shoes&q=second&x=%3Cb%3E',
};

/**
 * The shipped defaults with room in the deadlines: a page's deadline (400 ms) and an include's
 * (150 ms) run on the real clock, and on a busy machine a property test's long template can take
 * longer than that to parse, which would drop includes and fail a test about bytes. A test about
 * deadlines sets the ones it checks.
 */
export const SETTINGS: Settings = { ...DEFAULT_SETTINGS, includeHosts: ['cdn.example.com'], fragmentTimeoutMs: 10_000, pageDeadlineMs: 20_000 };

export function streamOf(chunks: ReadonlyArray<Uint8Array | string>): ReadableStream<Uint8Array> {
  const queue = chunks.map((chunk) => (typeof chunk === 'string' ? encoder.encode(chunk) : chunk));
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let step = await reader.read(); !step.done; step = await reader.read()) chunks.push(step.value);
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export type FragmentBehaviour = string | FragmentResult | { delayMs: number; body: string };

/** Serves fragments by URL path (+ query); unknown paths answer `status`. Records every call. */
export function fakeFetcher(fragments: Readonly<Record<string, FragmentBehaviour>>): FragmentFetcher & { calls: FragmentRequest[] } {
  const calls: FragmentRequest[] = [];
  const fetcher = async (request: FragmentRequest): Promise<FragmentResult> => {
    calls.push(request);
    const behaviour = fragments[request.url.pathname + request.url.search];
    if (behaviour === undefined) return { ok: false, reason: 'status', cache: 'MISS' };
    if (typeof behaviour === 'string') return ok(behaviour);
    if ('delayMs' in behaviour) {
      await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      return ok(behaviour.body);
    }
    return behaviour;
  };
  return Object.assign(fetcher, { calls });
}

export function ok(body: string, ttlMs: number | null = 60_000, surrogateKeys: string[] = []): FragmentResult {
  return { ok: true, body: encoder.encode(body), cache: 'MISS', ttlMs, surrogateKeys };
}

export interface Assembled {
  html: string;
  bytes: Uint8Array;
  report: AssemblyReport;
  problems: string[];
}

export async function assemble(
  template: string | ReadonlyArray<Uint8Array | string>,
  fetchFragment: FragmentFetcher,
  overrides: { settings?: Partial<Settings>; vars?: Partial<EsiVariables>; pageUrl?: URL; views?: ChunkViews; whole?: boolean } = {},
): Promise<Assembled> {
  const problems: string[] = [];
  const chunks = typeof template === 'string' ? [template] : template;
  const { body, report } = processEsi({
    // `whole`: the template's bytes in one piece, as a cached copy is read (template-reader.ts).
    body: overrides.whole === true ? { whole: readAll(streamOf(chunks)) } : streamOf(chunks),
    pageUrl: overrides.pageUrl ?? PAGE_URL,
    vars: { ...VARS, ...overrides.vars },
    settings: { ...SETTINGS, ...overrides.settings },
    fetchFragment,
    now: () => performance.now(),
    onProblem: (problem) => problems.push(problem),
    views: overrides.views,
  });
  const bytes = await readAll(body);
  return { html: decoder.decode(bytes), bytes, report: await report, problems };
}
