/**
 * One guest instance's backend sends and the bodies it reads, as the main thread holds them: a send
 * is pending until its response head (or its error) is in, then its body is read by id. The
 * client's request body is body 0; a backend's count from 1.
 */
import type { HostServices } from './host-services.ts';
import { IncomingBody } from './incoming-body.ts';
import type { HeaderPairs, OutgoingRequest, ReadReply, WaitReply } from './rpc-messages.ts';
import { fetchOutgoing, sendErrorTag } from './session-fetch.ts';

/** The id under which a session holds the client's request body (backend bodies count from 1). */
export const REQUEST_BODY_ID = 0;

export class SessionSends {
  private readonly pendings = new Map<number, WaitReply | null>();
  private readonly bodies = new Map<number, IncomingBody>();
  private nextBody = 1;

  constructor(
    private readonly services: Pick<HostServices, 'deps' | 'backends'>,
    /** Called when a send answers or a body has bytes, so a blocked call can re-check. */
    private readonly changed: () => void,
    requestBody: ReadableStream<Uint8Array> | null,
  ) {
    if (requestBody) this.bodies.set(REQUEST_BODY_ID, new IncomingBody(requestBody, changed));
  }

  send(request: OutgoingRequest): void {
    this.pendings.set(request.pending, null);
    fetchOutgoing(this.services, request, (id) => this.body(id)).then(
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

  /** A send's answer, once; null while it is pending. */
  take(pending: number): WaitReply | null {
    const result = this.pendings.get(pending);
    if (!result) return null;
    this.pendings.delete(pending);
    return result;
  }

  /** Up to `max` bytes of a body, once it has some (or has ended); null until then. An unknown body is ended. */
  read(id: number, max: number): ReadReply | null {
    const body = this.bodies.get(id);
    if (body && !body.ready) return null;
    const bytes = body?.take(max) ?? new Uint8Array(0);
    return { bytes, done: body?.finished ?? true, error: bytes.byteLength > 0 ? null : (body?.error ?? null) };
  }

  sendReady(pending: number): boolean {
    return Boolean(this.pendings.get(pending));
  }

  bodyReady(id: number): boolean {
    return this.bodies.get(id)?.ready ?? true;
  }

  /** The body held under `id`; an unknown one reads as empty and ended. */
  body(id: number): IncomingBody {
    return this.bodies.get(id) ?? new IncomingBody(null, () => undefined);
  }

  discard(id: number): void {
    this.bodies.get(id)?.cancel();
    this.bodies.delete(id);
  }

  cancelAll(): void {
    for (const body of this.bodies.values()) body.cancel();
  }
}
