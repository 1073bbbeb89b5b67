/**
 * One guest instance's downstream response: its body as the guest writes, pipes or streams it,
 * written to the client with the Node host's response writer. An instance that ends without
 * responding answers a plain 502 (500 when it failed).
 */
import type { ServerResponse } from 'node:http';
import { writeWebResponse } from '../src/local-platform/write-response.ts';
import { DownstreamBody } from './downstream-body.ts';
import type { IncomingBody } from './incoming-body.ts';
import type { HeaderPairs, ResponseBody } from './rpc-messages.ts';

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export class SessionResponse {
  private downstream: DownstreamBody | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly outgoing: ServerResponse,
    private readonly isHead: boolean,
    /** A body the session holds, to pipe from. */
    private readonly remote: (id: number) => IncomingBody,
  ) {}

  /** The body the guest streams into, once it has responded. */
  get body(): DownstreamBody | null {
    return this.downstream;
  }

  respond(status: number, headers: HeaderPairs, body: ResponseBody): void {
    this.downstream = new DownstreamBody();
    if (body.kind === 'bytes') {
      this.downstream.write(body.bytes);
      this.downstream.end();
    } else if (body.kind === 'remote') {
      this.downstream.pipe(this.remote(body.id));
      this.downstream.end();
    }
    const response = new Response(NULL_BODY_STATUSES.has(status) ? null : this.downstream.stream, { status, headers: new Headers(headers) });
    this.writing = writeWebResponse(response, this.outgoing, this.isHead);
  }

  /** The instance has returned (with `error` if it failed): the body ends; resolves once written. */
  finish(error: string | null): Promise<void> {
    if (!this.downstream) {
      this.respond(error ? 500 : 502, [['content-type', 'text/plain']], { kind: 'bytes', bytes: new TextEncoder().encode('guest produced no response\n') });
    } else if (error) {
      this.downstream.fail(error);
    } else {
      this.downstream.end();
    }
    return this.writing;
  }
}
