/**
 * Parses the CLI's `--fault backend=kind[:param][@/path-prefix]`, e.g. `profiles=hang`,
 * `fragments=latency:300@/fragments/recs`, `templates=status:503`, `fragments=drip:50`. The
 * param is the kind's main number: latency ms, jitter mean ms, status code, oversized bytes, drip interval ms.
 */
import { BACKEND_NAMES, isBackendName } from '../backend-name.ts';
import type { FaultSpec } from './fault.ts';
import { parseFault } from './parse-fault.ts';

export type ParsedFaultFlag = { ok: true; spec: FaultSpec } | { ok: false; error: string };

const PARAM_FIELD: Readonly<Record<string, string>> = { latency: 'ms', jitter: 'ms', status: 'status', oversized: 'bytes', drip: 'intervalMs' };

export function parseFaultFlag(flag: string): ParsedFaultFlag {
  const equals = flag.indexOf('=');
  if (equals === -1) return { ok: false, error: `--fault "${flag}" must look like backend=kind[:param]` };
  const backend = flag.slice(0, equals);
  if (!isBackendName(backend)) return { ok: false, error: `--fault backend "${backend}" must be one of ${BACKEND_NAMES.join(', ')}` };
  let rest = flag.slice(equals + 1);
  const document: Record<string, unknown> = {};
  const at = rest.indexOf('@');
  if (at !== -1) {
    document.pathPrefix = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.indexOf(':');
  const kind = colon === -1 ? rest : rest.slice(0, colon);
  document.kind = kind;
  if (colon !== -1) {
    const field = PARAM_FIELD[kind];
    if (!field) return { ok: false, error: `--fault ${kind} takes no parameter` };
    const param = rest.slice(colon + 1);
    if (!/^\d{1,10}$/.test(param)) return { ok: false, error: `--fault ${kind} parameter "${param}" must be a whole number` };
    document[field] = Number(param);
  }
  const parsed = parseFault(document);
  if (!parsed.ok) return { ok: false, error: `--fault ${flag}: ${parsed.error}` };
  return { ok: true, spec: { ...parsed.fault, backend } };
}
