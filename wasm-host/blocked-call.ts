/**
 * A guest instance's blocking call (wait, read, select, cache transaction wait) while the main
 * thread cannot answer it yet: its check runs again whenever the session's state changes, and a
 * select with a timeout answers `{ready: null}` when it expires. An instance blocks on one call at a time.
 */
export class BlockedCall {
  private blocked: (() => boolean) | null = null;

  constructor(private readonly reply: (value: unknown) => void) {}

  /** Answers now if `check` can; otherwise when state changes, or `{ready: null}` after the timeout. */
  block(check: () => boolean, timeoutMs: number | null): void {
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

  changed(): void {
    if (this.blocked?.()) this.blocked = null;
  }
}
