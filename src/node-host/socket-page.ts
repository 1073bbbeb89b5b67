/**
 * The Node host's way out for an assembled page (the `pageBody` port of the request context, see
 * src/core/esi/page-writer.ts): the ESI writer's bytes go to the socket without a web stream. On
 * Node 20 making a web stream (`makeTransferable`) and reading it cost more than assembling a small
 * page. The page starts writing before the core has built the response's head, so its bytes wait
 * here until the head has been written; after that each chunk goes straight to the socket. A
 * client that goes away cancels the page; a HEAD answer writes no body and cancels it.
 */
import type { ServerResponse } from 'node:http';
import type { PageBodies, PageSink, WritingPage } from '../core/esi/page-writer.ts';
import { pageStream } from '../core/esi/page-writer.ts';
import { setHead, writeWebResponse } from '../local-platform/write-response.ts';

export class SocketPage implements PageSink {
  private page: WritingPage<unknown> | null = null;
  private waiting: Uint8Array[] | null = [];
  private outgoing: ServerResponse | null = null;
  private closed = false;
  private gone = false;
  private settle: () => void = () => undefined;

  /** The port: the first page of the request writes here and has no body; any other gets a stream. */
  readonly open: PageBodies = (start) => {
    if (this.page !== null) return pageStream(start);
    const page = start(this);
    this.page = page;
    return { body: null, report: page.report };
  };

  write(bytes: Uint8Array): void {
    if (this.gone) throw new Error('client went away');
    if (this.waiting !== null) this.waiting.push(bytes);
    else this.outgoing!.write(bytes);
  }

  /** Several chunks: corked, so the socket sends them in one write. */
  writeParts(parts: readonly Uint8Array[]): void {
    if (this.gone) throw new Error('client went away');
    if (this.waiting !== null) return void this.waiting.push(...parts);
    const outgoing = this.outgoing!;
    outgoing.cork();
    for (let i = 0; i < parts.length; i++) outgoing.write(parts[i]);
    outgoing.uncork();
  }

  close(): void {
    this.closed = true;
    if (this.waiting === null) this.end();
  }

  /** Writes `response`: its head and this page's bytes when the page is its body, else the response as it is. */
  send(response: Response, outgoing: ServerResponse, isHead: boolean): Promise<void> {
    if (this.page === null || response.body !== null) {
      this.cancel('the response has a body of its own');
      return writeWebResponse(response, outgoing, isHead);
    }
    setHead(response, outgoing, isHead);
    return this.pipe(outgoing, isHead);
  }

  /** Sends the page's bytes after the head set on `outgoing`; settles when the page ends or the client leaves. */
  private pipe(outgoing: ServerResponse, isHead: boolean): Promise<void> {
    if (isHead || outgoing.destroyed) {
      this.cancel('no body is sent');
      if (!outgoing.destroyed) outgoing.end();
      return Promise.resolve();
    }
    this.outgoing = outgoing;
    const done = new Promise<void>((resolve) => (this.settle = resolve));
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) this.cancel('client went away');
    });
    const waiting = this.waiting!;
    this.waiting = null;
    if (waiting.length > 0) outgoing.cork();
    for (let i = 0; i < waiting.length; i++) outgoing.write(waiting[i]);
    if (waiting.length > 0) outgoing.uncork();
    if (this.closed) this.end();
    return done;
  }

  /** The response will not carry the page (an error, no socket): stop it. */
  cancel(reason: string): void {
    if (this.gone || this.closed) return this.settle();
    this.gone = true;
    this.waiting = null;
    this.page?.cancel(reason);
    this.settle();
  }

  private end(): void {
    this.outgoing!.end();
    this.settle();
  }
}
