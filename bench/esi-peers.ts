/**
 * The ESI engines the benchmark compares, each reading fragments from memory after an optional
 * delay: this service's `writeEsi` as the Node host runs it (the template whole, as the service
 * reads a template the edge has cached, template-source.ts, or streamed like the copy; the output
 * handed to a sink as the host hands it to its socket), `nodesi` (through its `httpClient` option)
 * and `esi` (which calls `http.get` itself, so `http.get` is replaced by a memory stub while it
 * runs; nothing else in the benchmark process uses it). All take the template as bytes and return
 * the assembled page as a string, so outputs can be compared before anything is timed.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { createRequire } from 'node:module';
import { DEFAULT_SETTINGS } from '../src/core/config/settings.ts';
import { writeEsi } from '../src/core/esi/esi-processor.ts';
import type { PageSink } from '../src/core/esi/page-writer.ts';
import { bufferViews } from '../src/node-host/buffer-views.ts';
import { tuneV8ForPages } from '../src/node-host/v8-heap.ts';

type EsiLibrary = (body: string, encoding?: string, vars?: Record<string, string>) => Promise<string>;
type NodesiClass = new (options: Record<string, unknown>) => { process(html: string): Promise<string> };

// The V8 setting the Node host starts with (v8-heap.ts); process-wide, so the peers run under it too.
tuneV8ForPages();

const require = createRequire(import.meta.url);
const esiLibrary = require('esi/src/esi.js') as EsiLibrary;
const Nodesi = require('nodesi') as NodesiClass;

export const CHUNK = 16 * 1024;
const settings = { ...DEFAULT_SETTINGS, maxIncludes: 24, fragmentTimeoutMs: 10_000, pageDeadlineMs: 10_000 };
const pageUrl = new URL('https://www.example.com/shop/page.html');
const vars = { segment: 'general', variants: {}, geo: { region: 'eu-west', country: 'GB' }, device: 'desktop', locale: 'en-GB', visitor: null, query: '' };
const decoder = new TextDecoder();
const now = (): number => performance.now();

/** `output` returns the page as text for the comparison; `run` is what is timed (bytes only where that is cheaper). */
export interface Engine {
  output(template: Uint8Array): Promise<string>;
  run(template: Uint8Array): Promise<unknown>;
}

const later = <T>(delayMs: number, value: T): Promise<T> => (delayMs > 0 ? new Promise((resolve) => setTimeout(() => resolve(value), delayMs)) : Promise.resolve(value));

export function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, (offset += CHUNK)));
    },
  });
}

async function drain(stream: ReadableStream<Uint8Array>, keep: boolean): Promise<string | number> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let step = await reader.read(); !step.done; step = await reader.read()) {
    total += step.value.length;
    if (keep) parts.push(step.value);
  }
  return keep ? decoder.decode(Buffer.concat(parts)) : total;
}

const both = (assemble: (template: Uint8Array, keep: boolean) => Promise<string | number>): Engine => ({
  output: async (template) => String(await assemble(template, true)),
  run: (template) => assemble(template, false),
});

/**
 * Our `writeEsi` as the Node host runs it: the ESI tokenizer on the host's search (bufferViews),
 * the page's bytes handed to a sink (the host's socket, here an array) rather than a web stream.
 * The template comes whole (a cached copy), or as the stream copy reads it (`streamed`).
 */
export function ours(fragment: Uint8Array, delayMs = 0, streamed = false): Engine {
  const fetchFragment = () => later(delayMs, { ok: true as const, body: fragment, cache: 'HIT' as const, ttlMs: 60_000, surrogateKeys: [] });
  return both(async (template, keep) => {
    const sink = new CollectingSink(keep);
    const page = writeEsi({ body: streamed ? chunked(template) : { whole: Promise.resolve(template) }, pageUrl, vars, settings, fetchFragment, now, views: bufferViews }, sink);
    await sink.closed;
    await page.report;
    return sink.result();
  });
}

/** Where a page's bytes go in the benchmark: counted, or kept for the comparison of outputs. */
class CollectingSink implements PageSink {
  readonly closed: Promise<void>;
  private parts: Uint8Array[] = [];
  private total = 0;
  private done!: () => void;

  constructor(private readonly keep: boolean) {
    this.closed = new Promise((resolve) => (this.done = resolve));
  }

  write(bytes: Uint8Array): void {
    this.total += bytes.length;
    if (this.keep) this.parts.push(bytes);
  }

  writeParts(parts: readonly Uint8Array[]): void {
    for (let i = 0; i < parts.length; i++) this.write(parts[i]!);
  }

  close(): void {
    this.done();
  }

  result(): string | number {
    return this.keep ? decoder.decode(Buffer.concat(this.parts)) : this.total;
  }
}

export function nodesi(fragment: Uint8Array, delayMs = 0): Engine {
  const text = decoder.decode(fragment);
  const engine = new Nodesi({ baseUrl: 'http://www.example.com', httpClient: () => later(delayMs, { status: 200, statusText: 'ok', text: () => Promise.resolve(text) }) });
  const run = (template: Uint8Array) => engine.process(decoder.decode(template));
  return { output: run, run };
}

/** `esi` resolves `src` itself with http.get; the stub answers every URL with the fragment. */
export function esi(fragment: Uint8Array, delayMs = 0): Engine {
  const text = decoder.decode(fragment);
  const memoryGet = ((_url: string, callback: (res: EventEmitter & { statusCode: number }) => void) => {
    const res = Object.assign(new EventEmitter(), { statusCode: 200 });
    void later(delayMs, null).then(() => {
      callback(res);
      res.emit('data', text);
      res.emit('end');
    });
    return new EventEmitter();
  }) as unknown as typeof http.get;
  const run = async (template: Uint8Array): Promise<string> => {
    const real = http.get;
    http.get = memoryGet;
    try {
      return await esiLibrary(decoder.decode(template));
    } finally {
      http.get = real;
    }
  };
  return { output: run, run };
}

/** A plain stream copy, the limit for any streaming engine (the in-guest bench's copy, bench/guest/measure-guest.ts). */
export const copy: Engine = both((template, keep) => drain(chunked(template).pipeThrough(new TransformStream()), keep));
