/**
 * The main thread's side of one guest instance: performs the backend sends it posts (through the
 * Node host's readthrough cache emulation, session-sends.ts), answers its blocking calls (wait,
 * select, read, cache lookup; blocked-call.ts) and writes its downstream response to the client
 * (session-response.ts).
 */
import type { ServerResponse } from 'node:http';
import { formatLogLine } from '../src/local-platform/log-line.ts';
import { BlockedCall } from './blocked-call.ts';
import type { HostServices, SessionResult } from './host-services.ts';
import type { GuestCall, GuestPost, SelectItem } from './rpc-messages.ts';
import { SessionHttpCache } from './session-http-cache.ts';
import { SessionResponse } from './session-response.ts';
import { SessionSends } from './session-sends.ts';
import { SessionTransactions } from './session-transactions.ts';

export class HostSession {
  private readonly calls: BlockedCall;
  private readonly sends: SessionSends;
  private readonly response: SessionResponse;
  private readonly transactions: SessionTransactions;
  /** Fill obligations this instance holds in the HTTP cache, released if it ends without settling them. */
  private readonly httpCache: SessionHttpCache;
  private resolveFinished: (result: SessionResult) => void = () => undefined;
  private resolveGuestDone: () => void = () => undefined;
  /** Resolves once the response has been written to the client. */
  readonly finished = new Promise<SessionResult>((resolve) => (this.resolveFinished = resolve));
  /** Resolves when the guest instance has returned (its worker is free again). */
  readonly guestDone = new Promise<void>((resolve) => (this.resolveGuestDone = resolve));

  constructor(
    private readonly services: HostServices,
    outgoing: ServerResponse,
    isHead: boolean,
    private readonly reply: (value: unknown) => void,
    requestBody: ReadableStream<Uint8Array> | null = null,
  ) {
    this.calls = new BlockedCall(reply);
    const changed = (): void => this.calls.changed();
    this.transactions = new SessionTransactions(services.coreCache, changed);
    this.sends = new SessionSends(services, changed, requestBody);
    this.response = new SessionResponse(outgoing, isHead, (id) => this.sends.body(id));
    this.httpCache = new SessionHttpCache(services.httpCache);
  }

  handlePost(message: GuestPost): void {
    switch (message.op) {
      case 'send':
        return this.sends.send(message.request);
      case 'respond':
        return this.response.respond(message.status, message.headers, message.body);
      case 'stream-write':
        return this.response.body?.write(message.bytes);
      case 'stream-pipe':
        return this.response.body?.pipe(this.sends.body(message.id));
      case 'stream-end':
        return this.response.body?.end();
      case 'discard':
        return this.sends.discard(message.id);
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
      case 'http-cache-update':
      case 'http-cache-pass':
      case 'http-cache-release':
        return this.httpCache.settle(message);
      case 'done':
        return this.finish(message.error, { vcpuMs: message.vcpuMs, startMs: message.startMs, hostMs: message.hostMs, hostAtVcpuReads: message.hostAtVcpuReads, memoryBytes: message.memoryBytes ?? 0, memoryMs: message.memoryMs ?? null });
    }
  }

  handleCall(message: GuestCall): void {
    switch (message.op) {
      case 'wait':
        return this.calls.block(() => this.answer(this.sends.take(message.pending)), null);
      case 'read':
        return this.calls.block(() => this.answer(this.sends.read(message.id, message.max)), null);
      case 'select':
        return this.calls.block(() => {
          const ready = message.items.findIndex((item) => this.isReady(item));
          return ready >= 0 && this.answer({ ready });
        }, message.timeoutMs);
      case 'cache-tx-wait':
        return this.calls.block(() => this.answer(this.transactions.take(message.id)), null);
      case 'cache-lookup':
        void this.services.coreStore.answer(message.key).then(
          (reply) => this.reply(reply),
          () => this.reply({ found: false }),
        );
        return;
      case 'http-cache-lookup':
        return this.httpCache.lookup(message.key, message.headers, (found) => this.reply(found));
    }
  }

  /** Replies with `value` unless it is null (not ready yet); says whether it replied. */
  private answer(value: unknown): boolean {
    if (value === null) return false;
    this.reply(value);
    return true;
  }

  private isReady(item: SelectItem): boolean {
    if (item.kind === 'pending') return this.sends.sendReady(item.id);
    if (item.kind === 'cache-busy') return this.transactions.ready(item.id);
    return this.sends.bodyReady(item.id);
  }

  private finish(error: string | null, measured: Omit<SessionResult, 'error'>): void {
    this.resolveGuestDone();
    this.httpCache.releaseAll();
    this.transactions.releaseAll();
    const written = this.response.finish(error);
    this.sends.cancelAll();
    void written.finally(() => this.resolveFinished({ error, ...measured }));
  }
}
