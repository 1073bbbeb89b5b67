/**
 * The body of the downstream response as a web ReadableStream: guest writes, backend bodies piped
 * in (pass-through) and the end arrive as posts and are applied strictly in order.
 */
import type { IncomingBody } from './incoming-body.ts';

export class DownstreamBody {
  readonly stream: ReadableStream<Uint8Array>;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor() {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
    });
  }

  write(bytes: Uint8Array): void {
    this.then(() => this.controller?.enqueue(bytes));
  }

  pipe(body: IncomingBody): void {
    this.then(async () => {
      for await (const chunk of body.drain()) this.controller?.enqueue(chunk);
    });
  }

  end(): void {
    this.then(() => this.close(null));
  }

  fail(reason: string): void {
    this.then(() => this.close(reason));
  }

  private close(reason: string | null): void {
    if (this.closed) return;
    this.closed = true;
    if (reason === null) this.controller?.close();
    else this.controller?.error(new Error(reason));
  }

  private then(step: () => void | Promise<void>): void {
    this.queue = this.queue.then(step).catch((error: unknown) => this.close(error instanceof Error ? error.message : 'body failed'));
  }
}
