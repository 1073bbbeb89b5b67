/**
 * Faults the local origin can inject per backend, to exercise the edge's failure policy
 * (docs/contracts.md#failure-policy). A fault may be scoped to a path prefix; `/__origin/*` is never faulted.
 */
import type { BackendName } from '../backend-name.ts';

export const FAULT_KINDS = ['latency', 'status', 'garbage', 'hang', 'oversized', 'drip', 'jitter'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value);
}

interface Scoped {
  /** Only requests whose path starts with this prefix are faulted (default: all). */
  pathPrefix?: string;
}

export type Fault = Scoped &
  (
    | { kind: 'latency'; ms: number }
    /** A random delay per request: exponential with mean `ms`, capped at `maxMs` (a long tail, for load tests). */
    | { kind: 'jitter'; ms: number; maxMs: number }
    | { kind: 'status'; status: number }
    | { kind: 'garbage' }
    | { kind: 'hang' }
    | { kind: 'oversized'; bytes: number }
    | { kind: 'drip'; intervalMs: number; chunkBytes: number }
  );

/** A fault together with the backend it applies to, as given to `startOrigin({ faults })`. */
export type FaultSpec = Fault & { backend: BackendName };

export const FAULT_DEFAULTS = {
  latencyMs: 1000,
  jitterMs: 10,
  status: 503,
  oversizedBytes: 10 * 1024 * 1024,
  dripIntervalMs: 100,
  dripChunkBytes: 256,
} as const;

export function describeFault(fault: Fault): string {
  const scope = fault.pathPrefix ? ` on ${fault.pathPrefix}*` : '';
  switch (fault.kind) {
    case 'latency': return `latency ${fault.ms} ms${scope}`;
    case 'jitter': return `jitter mean ${fault.ms} ms, max ${fault.maxMs} ms${scope}`;
    case 'status': return `status ${fault.status}${scope}`;
    case 'oversized': return `oversized ${fault.bytes} bytes${scope}`;
    case 'drip': return `drip ${fault.chunkBytes} bytes every ${fault.intervalMs} ms${scope}`;
    default: return `${fault.kind}${scope}`;
  }
}
