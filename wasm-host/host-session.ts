/**
 * The main thread's side of one guest instance: performs the backend sends it posts (through the
 * Node host's readthrough cache emulation), answers its blocking calls (wait, select, read, cache
 * lookup) and writes its downstream response to the client with the Node host's response writer.
 */
import type { ServerResponse } from 'node:http';
import { BACKEND_NAMES } from '../src/core/ports.ts';
import type { BackendName, BackendResponse } from '../src/core/ports.ts';
import { sendToBackend } from '../src/local-platform/backend-client.ts';
import { formatLogLine } from '../src/local-platform/log-line.ts';
import type { LineSink } from '../src/local-platform/log-line.ts';
import type { BackendConfig } from '../src/local-platform/manifest.ts';
import type { NodeDeps } from '../src/node-host/node-deps.ts';
import { writeWebResponse } from '../src/local-platform/write-response.ts';
import { SendErrorTag } from './abi.ts';
import { DownstreamBody } from './downstream-body.ts';
import type { CoreCacheTransactions } from './guest-core-cache.ts';
import type { GuestHttpCache } from './guest-http-cache.ts';
import { SessionTransactions } from './session-transactions.ts';
import { IncomingBody } from './incoming-body.ts';
import type { GuestCall, GuestPost, HeaderPairs, OutgoingRequest, SelectItem, WaitReply } from './rpc-messages.ts';

export interface HostServices {
  deps: NodeDeps;
  /** The store behind the guest's own HTTP cache transactions (`fastly_http_cache`). */
  httpCache: GuestHttpCache;
  /** Core cache transactions (`fastly_cache.transaction_*`) over the shared edge cache. */
  coreCache: CoreCacheTransactions;
  backends: Map<string, BackendConfig>;
  log: LineSink;
  stdio(fd: number, bytes: Uint8Array): void;
  unsupported(name: string): void;
}

export interface SessionResult {
  error: string | null;
  vcpuMs: number;
  /**
   * The part of `vcpuMs` spent instantiating the module. V8 copies the whole snapshot into the
   * instance's memory here; Wasmtime on Compute maps it copy-on-write, so this part grows with the
   * snapshot on this host only.
   */
  startMs: number;
  /**
   * Worker CPU spent making this instance's memory before its request (spare-memory.ts), outside
   * `vcpuMs`; null when the module makes its own memory inside the instance.
   */
  memoryMs: number | null;
  /** CPU inside hostcalls, when the host accounts it (GuestConfig.hostTime). */
  hostMs: number | null;
  /** With `hostMs`: its sum so far at each of the guest's `vCpuTime()` reads (hostcall-timeline.ts). */
  hostAtVcpuReads?: number[];
  /** The guest's linear memory when the instance ended (it only grows: the peak); 0 when unknown. */
  memoryBytes: number;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** The id under which a session holds the client's request body (backend bodies count from 1). */
export const REQUEST_BODY_ID = 0;

export class HostSession {
  private readonly pendings = new Map<number, WaitReply | null>();
  private readonly bodies = new Map<number, IncomingBody>();
  /** Fill obligations this instance holds in the HTTP cache, released if it ends without settling them. */
  private readonly cacheTokens = new Set<number>();
  private readonly transactions: SessionTransactions;
  private nextBody = 1;
  private blocked: (() => boolean) | null = null;
  private downstream: DownstreamBody | null = null;
  private writing: Promise<void> = Promise.resolve();
  private resolveFinished: (result: SessionResult) => void = () => undefined;
  private resolveGuestDone: () => void = () => undefined;
  /** Resolves once the response has been written to the client. */
  readonly finished = new Promise<SessionResult>((resolve) => (this.resolveFinished = resolve));
  /** Resolves when the guest instance has returned (its worker is free again). */
  readonly guestDone = new Promise<void>((resolve) => (this.resolveGuestDone = resolve));

  constructor(
    private readonly services: HostServices,
    private readonly outgoing: ServerResponse,
    private readonly isHead: boolean,
    private readonly reply: (value: unknown) => void,
    requestBody: ReadableStream<Uint8Array> | null = null,
  ) {
    this.transactions = new SessionTransactions(services.coreCache, () => this.changed());
    if (requestBody) this.bodies.set(REQUEST_BODY_ID, new IncomingBody(requestBody, () => this.changed()));
  }

  handlePost(message: GuestPost): void {
    switch (message.op) {
      case 'send':
        return this.send(message.request);
      case 'respond':
        return this.respond(message.status, message.headers, message.body);
      case 'stream-write':
        return this.downstream?.write(message.bytes);
      case 'stream-pipe':
        return this.downstream?.pipe(this.body(message.id));
      case 'stream-end':
        return this.downstream?.end();
      case 'discard':
        this.bodies.get(message.id)?.cancel();
        this.bodies.delete(message.id);
        return;
      case 'log':
        return this.services.log(formatLogLine(message.endpoint, message.message));
      case 'stdio':
        return this.services.stdio(message.fd, message.bytes);
      case 'unsupported':
        return this.services.unsupported(message.name);
      case 'cache-insert':
        void this.services.deps.cache.insert(message.key, message.body, message);
        return;
      case 'cache-tx-start':
        return this.transactions.start(message.id, message.key);
      case 'cache-tx-close-busy':
        return this.transactions.closeBusy(message.id);
      case 'cache-tx-insert':
        return this.transactions.insert(message.token, message.body, message);
      case 'cache-tx-release':
        return this.transactions.release(message.token);
      case 'purge':
        this.services.httpCache.purge(message.key, message.soft);
        void this.services.deps.purge(message.key, message.soft);
        return;
      case 'http-cache-insert':
        this.cacheTokens.delete(message.token);
        return this.services.httpCache.insert(message.token, message.key, message.requestHeaders, message.response, message.write);
      case 'http-cache-update':
        this.cacheTokens.delete(message.token);
        return this.services.httpCache.update(message.token, message.key, message.requestHeaders, message.head, message.write);
      case 'http-cache-pass':
        this.cacheTokens.delete(message.token);
        return this.services.httpCache.recordPass(message.token, message.key, message.requestHeaders, message.maxAgeMs);
      case 'http-cache-release':
        this.cacheTokens.delete(message.token);
        return this.services.httpCache.release(message.token);
      case 'done':
        return this.finish(message.error, { vcpuMs: message.vcpuMs, startMs: message.startMs, hostMs: message.hostMs, hostAtVcpuReads: message.hostAtVcpuReads, memoryBytes: message.memoryBytes ?? 0, memoryMs: message.memoryMs ?? null });
    }
  }

  handleCall(message: GuestCall): void {
    switch (message.op) {
      case 'wait':
        return this.block(() => {
          const result = this.pendings.get(message.pending);
          if (!result) return false;
          this.pendings.delete(message.pending);
          this.reply(result);
          return true;
        }, null);
      case 'read':
        return this.block(() => {
          const body = this.bodies.get(message.id);
          if (body && !body.ready) return false;
          const bytes = body?.take(message.max) ?? new Uint8Array(0);
          this.reply({ bytes, done: body?.finished ?? true, error: bytes.byteLength > 0 ? null : (body?.error ?? null) });
          return true;
        }, null);
      case 'select':
        return this.block(() => {
          const ready = message.items.findIndex((item) => this.isReady(item));
          if (ready < 0) return false;
          this.reply({ ready });
          return true;
        }, message.timeoutMs);
      case 'cache-tx-wait':
        return this.block(() => {
          const found = this.transactions.take(message.id);
          if (!found) return false;
          this.reply(found);
          return true;
        }, null);
      case 'cache-lookup':
        void this.services.deps.cache.lookup(message.key).then(
          (entry) => this.reply(entry ? { found: true, ...entry } : { found: false }),
          () => this.reply({ found: false }),
        );
        return;
      case 'http-cache-lookup':
        void this.services.httpCache.lookup(message.key, message.headers).then((found) => {
          if (found.token !== null) this.cacheTokens.add(found.token);
          this.reply(found);
        });
        return;
    }
  }

  private isReady(item: SelectItem): boolean {
    if (item.kind === 'pending') return Boolean(this.pendings.get(item.id));
    if (item.kind === 'cache-busy') return this.transactions.ready(item.id);
    return this.bodies.get(item.id)?.ready ?? true;
  }

  /** Answers now if `check` can; otherwise when state changes, or `{ready: null}` after the timeout. */
  private block(check: () => boolean, timeoutMs: number | null): void {
    if (check()) return;
    if (timeoutMs === 0) return this.reply({ ready: null });
    let timer: NodeJS.Timeout | undefined;
    this.blocked = () => {
      if (!check()) return false;
      clearTimeout(timer);
      return true;
    };
    if (timeoutMs !== null) {
      timer = setTimeout(() => {
        this.blocked = null;
        this.reply({ ready: null });
      }, timeoutMs);
    }
  }

  private changed(): void {
    if (this.blocked?.()) this.blocked = null;
  }

  private body(id: number): IncomingBody {
    return this.bodies.get(id) ?? new IncomingBody(null, () => undefined);
  }

  private send(request: OutgoingRequest): void {
    this.pendings.set(request.pending, null);
    this.fetch(request).then(
      ({ response, cache }) => {
        const id = this.nextBody++;
        this.bodies.set(id, new IncomingBody(response.body, () => this.changed()));
        const headers: HeaderPairs = [...response.headers].map(([name, value]) => [name, value]);
        this.pendings.set(request.pending, { ok: true, status: response.status, headers, body: id, cache });
        this.changed();
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.pendings.set(request.pending, { ok: false, tag: sendErrorTag(message), message });
        this.changed();
      },
    );
  }

  private async fetch(outgoing: OutgoingRequest): Promise<BackendResponse> {
    const init: RequestInit & { duplex?: 'half' } = { method: outgoing.method, headers: outgoing.headers };
    if (outgoing.bodyTail) {
      init.body = this.streamedBody(outgoing.body, outgoing.bodyTail);
      init.duplex = 'half';
    } else if (outgoing.body) {
      init.body = new Blob([new Uint8Array(outgoing.body)]);
    }
    const request = new Request(outgoing.url, init);
    const name = outgoing.backend;
    if (isBackendName(name)) {
      return this.services.deps.fetchBackend(name, request, { pass: outgoing.pass, ...(outgoing.cacheKey ? { cacheKey: outgoing.cacheKey } : {}) });
    }
    const backend = this.services.backends.get(name);
    if (!backend) throw new Error(`backend "${name}" is not defined`);
    return { response: await sendToBackend(backend, request), cache: 'PASS' };
  }

  /** The guest's bytes, then the rest of a remote body (the client's upload) as it arrives. */
  private streamedBody(head: Uint8Array | null, tail: { id: number }): ReadableStream<Uint8Array> {
    const source = this.body(tail.id);
    const prefix = head !== null && head.byteLength > 0 ? [head] : [];
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield* prefix;
      yield* source.drain();
    }
    const iterator = chunks();
    // Pulled: the next chunk is taken from the client only as fast as the backend accepts them.
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel() {
        source.cancel();
      },
    });
  }

  private respond(status: number, headers: HeaderPairs, body: { kind: 'bytes'; bytes: Uint8Array } | { kind: 'remote'; id: number } | { kind: 'stream' }): void {
    this.downstream = new DownstreamBody();
    if (body.kind === 'bytes') {
      this.downstream.write(body.bytes);
      this.downstream.end();
    } else if (body.kind === 'remote') {
      this.downstream.pipe(this.body(body.id));
      this.downstream.end();
    }
    const response = new Response(NULL_BODY_STATUSES.has(status) ? null : this.downstream.stream, { status, headers: new Headers(headers) });
    this.writing = writeWebResponse(response, this.outgoing, this.isHead);
  }

  private finish(error: string | null, measured: Omit<SessionResult, 'error'>): void {
    this.resolveGuestDone();
    for (const token of this.cacheTokens) this.services.httpCache.release(token);
    this.cacheTokens.clear();
    this.transactions.releaseAll();
    if (!this.downstream) {
      this.respond(error ? 500 : 502, [['content-type', 'text/plain']], { kind: 'bytes', bytes: new TextEncoder().encode('guest produced no response\n') });
    } else if (error) {
      this.downstream.fail(error);
    } else {
      this.downstream.end();
    }
    for (const body of this.bodies.values()) body.cancel();
    void this.writing.finally(() => this.resolveFinished({ error, ...measured }));
  }
}

function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

function sendErrorTag(message: string): number {
  if (/timeout/i.test(message)) return SendErrorTag.httpResponseTimeout;
  if (/ECONNREFUSED/.test(message)) return SendErrorTag.connectionRefused;
  if (/not defined/.test(message)) return SendErrorTag.destinationNotFound;
  if (/ECONNRESET|socket hang up/.test(message)) return SendErrorTag.connectionTerminated;
  return SendErrorTag.internalError;
}
