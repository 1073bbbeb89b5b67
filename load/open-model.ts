/**
 * A constant-arrival-rate (open model) load generator: request i is due at start + i/rate whatever
 * happened to earlier requests, latency is measured from the due time (so a stalled server cannot
 * hide its queueing: no coordinated omission), a send that starts more than one interval late is
 * counted late, and one that finds `maxInFlight` requests outstanding is dropped, not queued.
 */

export interface OpenModelOptions {
  /** Requests per second. */
  rate: number;
  durationMs: number;
  /** Outstanding requests beyond which a due request is dropped. */
  maxInFlight: number;
  /** Sends request `index`; resolves with whether it succeeded. Never rejects. */
  send: (index: number) => Promise<boolean>;
}

export interface OpenModelResult {
  scheduled: number;
  completed: number;
  errors: number;
  late: number;
  dropped: number;
  /** Due-time-to-completion latencies of completed requests, ms. */
  latenciesMs: number[];
  elapsedMs: number;
}

export async function runOpenModel(options: OpenModelOptions): Promise<OpenModelResult> {
  const intervalMs = 1000 / options.rate;
  const total = Math.max(1, Math.floor((options.durationMs / 1000) * options.rate));
  const result: OpenModelResult = { scheduled: total, completed: 0, errors: 0, late: 0, dropped: 0, latenciesMs: [], elapsedMs: 0 };
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  for (let index = 0; index < total; index++) {
    const due = start + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (performance.now() - due > intervalMs) result.late++;
    if (inFlight.size >= options.maxInFlight) {
      result.dropped++;
      continue;
    }
    const request = options.send(index).then((ok) => {
      result.completed++;
      if (!ok) result.errors++;
      result.latenciesMs.push(performance.now() - due);
    });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }
  await Promise.all(inFlight);
  result.elapsedMs = performance.now() - start;
  return result;
}

/** The value at quantile `q` (0..1) of `values`, nearest-rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
