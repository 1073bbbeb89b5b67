/**
 * Stand-ins for the builtins js-compute-runtime refuses outside request handling (`Request`,
 * `Response`, `setTimeout`, `fetch`), installed only while the build-time warm-up runs (warm-up.ts) and
 * removed before it ends. They carry what the core reads (url, method, headers, status, body) and
 * nothing more: the warm-up's backends answer at once, so its timers never need to fire.
 */

import { spentLater } from './warm-up-spent.ts';

type BodySource = ReadableStream<Uint8Array> | Uint8Array | string | null | undefined;

const encoder = new TextEncoder();

function bytesOf(body: BodySource): ReadableStream<Uint8Array> | Uint8Array | null {
  if (body === null || body === undefined) return null;
  return typeof body === 'string' ? spentLater(encoder.encode(body)) : body;
}

function streamOf(bytes: ReadableStream<Uint8Array> | Uint8Array | null): ReadableStream<Uint8Array> | null {
  if (bytes === null || bytes instanceof ReadableStream) return bytes;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

class StandInResponse {
  readonly status: number;
  readonly statusText = '';
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
  readonly #bytes: ReadableStream<Uint8Array> | Uint8Array | null;

  constructor(body?: BodySource, init: { status?: number; headers?: HeadersInit } = {}) {
    this.status = init.status ?? 200;
    this.headers = new Headers(init.headers);
    this.#bytes = bytesOf(body);
    this.body = streamOf(this.#bytes);
  }

  /** The whole body at once, as the core reads a template the edge already holds (template-source.ts). */
  arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#bytes instanceof Uint8Array ? this.#bytes : new Uint8Array(0);
    return Promise.resolve(spentLater(bytes.slice()).buffer);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
}

class StandInRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  /** The warm-up's beacon sends one (its bytes zeroed when the warm-up ends). */
  readonly body: ReadableStream<Uint8Array> | null;

  constructor(url: string, init: { method?: string; headers?: HeadersInit; body?: BodySource } = {}) {
    this.url = url;
    this.method = init.method ?? 'GET';
    this.headers = new Headers(init.headers);
    this.body = streamOf(bytesOf(init.body));
  }
}

const NAMES = ['Request', 'Response', 'setTimeout', 'clearTimeout', 'fetch'] as const;

/** What the warm-up's `fetch` answers: a backend's response to a URL (the request's `backend` option names it). */
export type StandInFetch = (backend: string, url: string) => Response;

/**
 * Installs the stand-ins; the returned function puts the runtime's own builtins back. `answer`
 * serves `fetch`, so the service's own backend adapter can run in the warm-up.
 */
export function installStandIns(answer: StandInFetch): () => void {
  const scope = globalThis as unknown as Record<(typeof NAMES)[number], unknown>;
  const saved = NAMES.map((name) => scope[name]);
  scope.Request = StandInRequest;
  scope.Response = StandInResponse;
  scope.setTimeout = () => 0;
  scope.clearTimeout = () => undefined;
  scope.fetch = (target: string | StandInRequest, init: { backend?: string } = {}) =>
    Promise.resolve(answer(init.backend ?? '', typeof target === 'string' ? target : target.url));
  return () => NAMES.forEach((name, i) => (scope[name] = saved[i]));
}

/** A response the warm-up's backends answer with (built with the stand-in while it is installed). */
export function standInResponse(body: string, headers: Record<string, string>, status = 200): Response {
  // A declared length, as origins send: the answer's and the template's length checks (a RegExp
  // each, whose first run would otherwise fall in every request) run here too.
  return new Response(body, { status, headers: { ...headers, 'content-length': String(encoder.encode(body).length) } });
}
