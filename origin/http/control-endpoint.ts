/**
 * `/__origin/*` on every backend: fault control (`GET|POST|DELETE /__origin/faults`), the request
 * log (`GET|DELETE /__origin/requests`), `GET /__origin/health`, and on the fragments backend the
 * recommendation lists (`GET|PUT /__origin/recs`, see recs/candidate-store.ts). Never faulted,
 * never logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BackendName } from '../backend-name.ts';
import type { FaultController } from '../faults/fault-controller.ts';
import { parseFault } from '../faults/parse-fault.ts';
import { sendWhole } from '../faults/send-with-fault.ts';
import type { RequestLog } from '../request-log.ts';
import { parseLists, type CandidateStore } from '../recs/candidate-store.ts';
import { jsonResponse, methodNotAllowed, type OriginResponse } from './origin-response.ts';

export interface ControlContext {
  backend: BackendName;
  faults: FaultController;
  requests: RequestLog;
  /** Only on the fragments backend. */
  candidates?: CandidateStore;
}

const MAX_BODY_BYTES = 4096;
const MAX_LISTS_BYTES = 512 * 1024;
const NO_STORE = { 'cache-control': 'no-store' };

async function readJson(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) return { ok: false, error: `body over ${maxBytes} bytes` };
    chunks.push(buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, error: 'body is not valid JSON' };
  }
}

async function faultsRoute(req: IncomingMessage, context: ControlContext): Promise<OriginResponse> {
  const { backend, faults } = context;
  switch (req.method) {
    case 'GET': return jsonResponse(200, { backend, fault: faults.get(backend) }, NO_STORE);
    case 'DELETE':
      faults.clear(backend);
      return jsonResponse(200, { backend, fault: null }, NO_STORE);
    case 'POST': {
      const body = await readJson(req);
      const parsed = body.ok ? parseFault(body.value) : body;
      if (!parsed.ok) return jsonResponse(400, { error: parsed.error }, NO_STORE);
      faults.set(backend, parsed.fault);
      return jsonResponse(200, { backend, fault: parsed.fault }, NO_STORE);
    }
    default: return methodNotAllowed('GET, POST, DELETE');
  }
}

function requestsRoute(req: IncomingMessage, context: ControlContext): OriginResponse {
  if (req.method === 'GET') return jsonResponse(200, { backend: context.backend, requests: context.requests.all(context.backend) }, NO_STORE);
  if (req.method !== 'DELETE') return methodNotAllowed('GET, DELETE');
  context.requests.clear(context.backend);
  return jsonResponse(200, { backend: context.backend, requests: [] }, NO_STORE);
}

async function recsRoute(req: IncomingMessage, store: CandidateStore | undefined): Promise<OriginResponse> {
  if (!store) return jsonResponse(404, { error: 'recommendation lists live on the fragments backend' }, NO_STORE);
  if (req.method === 'GET') {
    const { generation, publishedAt, source, lists } = store.current();
    return jsonResponse(200, { generation, publishedAt, source, segments: Object.keys(lists) }, NO_STORE);
  }
  if (req.method !== 'PUT') return methodNotAllowed('GET, PUT');
  const body = await readJson(req, MAX_LISTS_BYTES);
  const parsed = body.ok ? parseLists(body.value) : body;
  if (!parsed.ok) return jsonResponse(400, { error: parsed.error }, NO_STORE);
  const source = typeof req.headers['x-recs-source'] === 'string' ? req.headers['x-recs-source'].slice(0, 64) : 'api';
  const { generation, publishedAt } = store.publish(parsed.lists, source);
  return jsonResponse(200, { generation, publishedAt, segments: Object.keys(parsed.lists) }, NO_STORE);
}

async function route(req: IncomingMessage, pathname: string, context: ControlContext): Promise<OriginResponse> {
  switch (pathname) {
    case '/__origin/faults': return faultsRoute(req, context);
    case '/__origin/requests': return requestsRoute(req, context);
    case '/__origin/recs': return recsRoute(req, context.candidates);
    case '/__origin/health': return jsonResponse(200, { backend: context.backend, ok: true }, NO_STORE);
    default: return jsonResponse(404, { error: 'unknown control endpoint' }, NO_STORE);
  }
}

export async function handleControl(req: IncomingMessage, res: ServerResponse, pathname: string, context: ControlContext): Promise<void> {
  sendWhole(res, await route(req, pathname, context));
}
