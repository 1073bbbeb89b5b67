/**
 * Validates a fault document (the JSON of `POST /__origin/faults`, or an in-process spec) into a
 * total `Fault`, or a one-line reason. Unknown fields are rejected so typos do not pass silently.
 */
import { FAULT_DEFAULTS, FAULT_KINDS, isFaultKind, type Fault, type FaultKind } from './fault.ts';

export type ParsedFault = { ok: true; fault: Fault } | { ok: false; error: string };

const FIELDS: Record<FaultKind, readonly string[]> = {
  latency: ['ms'],
  jitter: ['ms', 'maxMs'],
  status: ['status'],
  garbage: [],
  hang: [],
  oversized: ['bytes'],
  drip: ['intervalMs', 'chunkBytes'],
};

class FaultError extends Error {}

function integer(source: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const value = source[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultError(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function build(kind: FaultKind, source: Record<string, unknown>): Fault {
  switch (kind) {
    case 'latency': return { kind, ms: integer(source, 'ms', FAULT_DEFAULTS.latencyMs, 0, 600_000) };
    case 'jitter': {
      const ms = integer(source, 'ms', FAULT_DEFAULTS.jitterMs, 0, 600_000);
      return { kind, ms, maxMs: integer(source, 'maxMs', ms * 10, ms, 600_000) };
    }
    case 'status': return { kind, status: integer(source, 'status', FAULT_DEFAULTS.status, 200, 599) };
    case 'oversized': return { kind, bytes: integer(source, 'bytes', FAULT_DEFAULTS.oversizedBytes, 1, 1024 ** 3) };
    case 'drip':
      return {
        kind,
        intervalMs: integer(source, 'intervalMs', FAULT_DEFAULTS.dripIntervalMs, 1, 60_000),
        chunkBytes: integer(source, 'chunkBytes', FAULT_DEFAULTS.dripChunkBytes, 1, 65_536),
      };
    default: return { kind };
  }
}

function pathPrefix(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > 1024) {
    throw new FaultError('pathPrefix must be a path starting with /');
  }
  return value;
}

export function parseFault(value: unknown): ParsedFault {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'a fault must be a JSON object' };
  const source = value as Record<string, unknown>;
  const faultKind = source.kind;
  if (!isFaultKind(faultKind)) return { ok: false, error: `kind must be one of ${FAULT_KINDS.join(', ')}` };
  const allowed = new Set(['kind', 'pathPrefix', 'backend', ...FIELDS[faultKind]]);
  const unknown = Object.keys(source).find((key) => !allowed.has(key));
  if (unknown !== undefined) return { ok: false, error: `unknown field "${unknown}" for a ${faultKind} fault` };
  try {
    const fault = build(faultKind, source);
    const prefix = pathPrefix(source.pathPrefix);
    return { ok: true, fault: prefix === undefined ? fault : { ...fault, pathPrefix: prefix } };
  } catch (error) {
    if (error instanceof FaultError) return { ok: false, error: error.message };
    throw error;
  }
}
