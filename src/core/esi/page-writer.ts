/**
 * The assembled page's way out: writes each output chunk to the response stream and to the copy
 * the edge keeps (`tap`), closes both when the page is done, and remembers that the client went
 * away, so nothing more is written and neither copy is kept (a cancelled page is not whole).
 * Enqueue failing means the consumer cancelled: the same answer as a `cancel` call.
 */
import type { ByteTap } from './template-reader.ts';

export class PageWriter {
  cancelled = false;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;

  constructor(
    private readonly tap: ByteTap | undefined,
    private readonly templateTap: ByteTap | undefined,
  ) {}

  /** The response stream, once it has started. */
  open(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.controller = controller;
  }

  write(bytes: Uint8Array): void {
    if (this.cancelled) return;
    try {
      this.tap?.add(bytes);
      this.controller!.enqueue(bytes);
    } catch {
      this.cancel();
    }
  }

  close(): void {
    if (this.cancelled) return;
    this.controller!.close();
    this.tap?.end();
  }

  cancel(): void {
    this.cancelled = true;
    this.tap?.fail();
    this.templateTap?.fail();
  }
}
