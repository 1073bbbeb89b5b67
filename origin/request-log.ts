/**
 * Every request the origin's backends received (control requests to `/__origin/*` excluded), so
 * tests can assert what reached the origin: which paths, how often, and with which headers.
 * Keeps the most recent `capacity` entries so long benchmark runs cannot exhaust memory.
 */
import type { BackendName } from './backend-name.ts';

export interface LoggedRequest {
  backend: BackendName;
  method: string;
  /** Path and query as received. */
  path: string;
  pathname: string;
  /** Lowercased names; repeated headers joined with ", ". */
  headers: Readonly<Record<string, string>>;
  receivedAt: number;
}

export class RequestLog {
  readonly #entries: LoggedRequest[] = [];
  readonly #capacity: number;

  constructor(capacity = 50_000) {
    this.#capacity = capacity;
  }

  record(entry: LoggedRequest): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) this.#entries.shift();
  }

  /** All retained requests in arrival order, optionally for one backend. */
  all(backend?: BackendName): LoggedRequest[] {
    return this.#entries.filter((entry) => backend === undefined || entry.backend === backend);
  }

  /**
   * How many requests reached `backend`. With `path`: a path with a query must match exactly;
   * a path without one matches the pathname, whatever the query (`'/fragments/hero'`).
   */
  count(backend?: BackendName, path?: string): number {
    return this.all(backend).filter((entry) => path === undefined || (path.includes('?') ? entry.path === path : entry.pathname === path)).length;
  }

  last(backend?: BackendName): LoggedRequest | undefined {
    return this.all(backend).at(-1);
  }

  clear(backend?: BackendName): void {
    if (backend === undefined) {
      this.#entries.length = 0;
      return;
    }
    const kept = this.#entries.filter((entry) => entry.backend !== backend);
    this.#entries.splice(0, this.#entries.length, ...kept);
  }
}

/** Request headers from Node's raw list, lowercased, repeated names joined in order. */
export function headersFromRaw(rawHeaders: readonly string[]): Record<string, string> {
  const headers = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return Object.fromEntries(headers);
}
