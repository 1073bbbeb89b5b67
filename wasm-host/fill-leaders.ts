/**
 * Request collapsing's bookkeeping, shared by the host's two cache stores: which keys have an
 * instance obliged to fill them (each obligation is a token), and who waits for each. Releasing a
 * token wakes every waiter of its key; they look again, and one of them may become the next leader.
 */
export class FillLeaders {
  private readonly waiting = new Map<string, (() => void)[]>();
  private readonly tokens = new Map<number, string>();
  private nextToken = 1;

  isLed(key: string): boolean {
    return this.waiting.has(key);
  }

  /** Resolves when the key's current obligation is released (at once when there is none). */
  released(key: string): Promise<void> {
    const waiters = this.waiting.get(key);
    return waiters ? new Promise<void>((resolve) => waiters.push(resolve)) : Promise.resolve();
  }

  lead(key: string): number {
    const token = this.nextToken++;
    this.tokens.set(token, key);
    this.waiting.set(key, []);
    return token;
  }

  /** The key a live token fills, or undefined once it was released. */
  keyOf(token: number): string | undefined {
    return this.tokens.get(token);
  }

  /** Ends an obligation; unknown or already released tokens are ignored. */
  release(token: number): void {
    const key = this.tokens.get(token);
    if (key === undefined) return;
    this.tokens.delete(token);
    const waiters = this.waiting.get(key) ?? [];
    this.waiting.delete(key);
    for (const wake of waiters) wake();
  }
}
