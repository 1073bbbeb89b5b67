/**
 * A guest instance's backend sends, performed on the main thread for its session (session-sends.ts):
 * the request built from what the guest posted, its body streamed on from the client's upload when
 * the guest forwards it, and a failure's message mapped to the send error the guest sees.
 */
import { BACKEND_NAMES } from '../src/core/ports.ts';
import type { BackendName, BackendResponse } from '../src/core/ports.ts';
import { sendToBackend } from '../src/local-platform/backend-client.ts';
import { SendErrorTag } from './abi.ts';
import type { HostServices } from './host-services.ts';
import type { IncomingBody } from './incoming-body.ts';
import type { OutgoingRequest } from './rpc-messages.ts';

/** Sends the guest's request to a backend: a service backend through the readthrough cache, any other directly. */
export async function fetchOutgoing(services: Pick<HostServices, 'deps' | 'backends'>, outgoing: OutgoingRequest, body: (id: number) => IncomingBody): Promise<BackendResponse> {
  const init: RequestInit & { duplex?: 'half' } = { method: outgoing.method, headers: outgoing.headers };
  if (outgoing.bodyTail) {
    init.body = streamedBody(outgoing.body, body(outgoing.bodyTail.id));
    init.duplex = 'half';
  } else if (outgoing.body) {
    init.body = new Blob([new Uint8Array(outgoing.body)]);
  }
  const request = new Request(outgoing.url, init);
  const name = outgoing.backend;
  if (isBackendName(name)) {
    return services.deps.fetchBackend(name, request, { pass: outgoing.pass, ...(outgoing.cacheKey ? { cacheKey: outgoing.cacheKey } : {}) });
  }
  const backend = services.backends.get(name);
  if (!backend) throw new Error(`backend "${name}" is not defined`);
  return { response: await sendToBackend(backend, request), cache: 'PASS' };
}

/** The guest's bytes, then the rest of a remote body (the client's upload) as it arrives. */
function streamedBody(head: Uint8Array | null, source: IncomingBody): ReadableStream<Uint8Array> {
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

function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/** The `fastly_http_req.send` error a failed backend send reports to the guest. */
export function sendErrorTag(message: string): number {
  if (/timeout/i.test(message)) return SendErrorTag.httpResponseTimeout;
  if (/ECONNREFUSED/.test(message)) return SendErrorTag.connectionRefused;
  if (/not defined/.test(message)) return SendErrorTag.destinationNotFound;
  if (/ECONNRESET|socket hang up/.test(message)) return SendErrorTag.connectionTerminated;
  return SendErrorTag.internalError;
}
