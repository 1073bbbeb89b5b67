/**
 * The Node host's stand-in for Fastly's Edge Rate Limiter: a per-entry counter over fixed
 * one-second buckets, averaged over the window, plus a penalty box that keeps an entry limited for
 * a minute once it goes over. Entries are bounded (oldest dropped first), so a flood of distinct
 * addresses cannot grow memory without limit.
 */
const PENALTY_MS = 60_000;
const MAX_ENTRIES = 50_000;

interface Entry {
  /** Counts per second, keyed by the second they fell in. */
  buckets: Map<number, number>;
  penaltyUntil: number;
}

export class RateLimiter {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: () => number = Date.now) {}

  overRateLimit(name: string, perSecond: number, windowSeconds: number): boolean {
    const now = this.clock();
    const entry = this.entry(name);
    if (entry.penaltyUntil > now) return true;
    const second = Math.floor(now / 1000);
    entry.buckets.set(second, (entry.buckets.get(second) ?? 0) + 1);
    let total = 0;
    for (const [at, count] of entry.buckets) {
      if (at <= second - windowSeconds) entry.buckets.delete(at);
      else total += count;
    }
    if (total / windowSeconds <= perSecond) return false;
    entry.penaltyUntil = now + PENALTY_MS;
    return true;
  }

  private entry(name: string): Entry {
    let entry = this.entries.get(name);
    if (entry) {
      // Re-inserting keeps the map in least-recently-used order.
      this.entries.delete(name);
    } else {
      entry = { buckets: new Map(), penaltyUntil: 0 };
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value ?? '');
    }
    this.entries.set(name, entry);
    return entry;
  }
}
