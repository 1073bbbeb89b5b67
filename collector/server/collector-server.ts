/**
 * The collector: an HTTP receiver for Fastly HTTPS logging endpoints (and the in-process feed of
 * `npm start`), keeping running aggregates, appending accepted events to a file, and serving the
 * live dashboard. Routes:
 *   POST /ingest, /ingest/{endpoint}, /  a batch of log lines (NDJSON, a JSON array, or stdout lines)
 *   GET  /.well-known/fastly/logging/challenge  Fastly's endpoint validation
 *   GET  /  /dashboard.js /charts.js /dashboard.css  the dashboard
 *   GET  /api/aggregates  the snapshot as JSON;  GET /api/stream  snapshots as Server-Sent Events
 *   GET  /api/experiments  per-visitor experiment results (rates, lift, p-values, SRM) as JSON
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AggregateSnapshot } from '../aggregates/aggregate-snapshot.ts';
import { createLineIngestor } from '../events/line-ingestor.ts';
import { CLICKSTREAM_ENDPOINT, DECISION_ENDPOINT, type EventEndpoint } from '../events/parse-log-line.ts';
import { openEventFile } from './event-file.ts';
import { createSseHub } from './sse-hub.ts';
import { CHALLENGE_PATH, challengeBody } from './fastly-challenge.ts';
import { DEFAULT_MAX_BATCH_BYTES, readIngestBody } from './ingest-body.ts';
import { loadDashboardFiles } from './dashboard-files.ts';
import type { ExperimentSpec } from '../experiments/experiment-specs.ts';
import { experimentsDocument } from '../experiments/experiment-results.ts';

export const DEFAULT_COLLECTOR_PORT = 7680;
export const DEFAULT_OUT_FILE = '.collector/events.ndjson';

export interface CollectorOptions {
  port: number;
  host: string;
  /** Accepted events are appended here; null writes nothing. Default `.collector/events.ndjson`. */
  outFile?: string | null;
  /** Service ids answered by the Fastly challenge; `*` (any service) when empty. */
  serviceIds?: readonly string[];
  maxBatchBytes?: number;
  /** Milliseconds between live dashboard pushes. */
  pushIntervalMs?: number;
  /** The experiments whose results /api/experiments reports (weights and slots); none by default. */
  experiments?: readonly ExperimentSpec[];
}

export interface RunningCollector {
  url: string;
  /** Feeds one log line (either format); returns true when it was an accepted event. */
  ingestLine(line: string): boolean;
  aggregates(): AggregateSnapshot;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

export async function startCollector(options: CollectorOptions): Promise<RunningCollector> {
  const outFile = options.outFile === undefined ? DEFAULT_OUT_FILE : options.outFile;
  const file = outFile === null ? null : openEventFile(outFile);
  const files = loadDashboardFiles();
  const maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  const challenge = challengeBody(options.serviceIds ?? []);
  let hub: ReturnType<typeof createSseHub> | null = null;
  const ingestor = createLineIngestor((event) => file?.append(event.endpoint, event.json), undefined, options.experiments);
  hub = createSseHub(() => ingestor.aggregates.snapshot(), options.pushIntervalMs);
  const ingest = (line: string, hint: EventEndpoint | null): boolean => {
    const accepted = ingestor.ingestLine(line, hint);
    hub?.changed();
    return accepted;
  };

  const server = createServer((request, response) => {
    void handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, 'application/json', JSON.stringify({ error: 'internal error' }));
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method === 'POST') {
      const hint = endpointOf(path);
      if (hint === undefined) return send(response, 404, 'application/json', JSON.stringify({ error: 'unknown ingest path' }));
      const body = await readIngestBody(request, maxBatchBytes);
      if (!body.ok) return send(response, body.status, 'application/json', JSON.stringify({ error: body.error }));
      let accepted = 0;
      let rejected = 0;
      for (const line of body.lines) {
        if (line.trim().length === 0) continue;
        if (ingest(line, hint)) accepted++;
        else rejected++;
      }
      return send(response, 200, 'application/json', JSON.stringify({ accepted, rejected }));
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'application/json', JSON.stringify({ error: 'method not allowed' }));
    if (path === CHALLENGE_PATH) return send(response, 200, 'text/plain; charset=utf-8', challenge);
    if (path === '/api/aggregates') return send(response, 200, 'application/json', JSON.stringify(ingestor.aggregates.snapshot()));
    if (path === '/api/stream') return hub?.add(response);
    if (path === '/api/experiments') return send(response, 200, 'application/json', JSON.stringify(experimentsDocument(ingestor.experiments.counts())));
    const file = files.get(path);
    if (file) return send(response, 200, file.contentType, file.body);
    return send(response, 404, 'application/json', JSON.stringify({ error: 'not found' }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    ingestLine: (line) => ingest(line, null),
    aggregates: () => ingestor.aggregates.snapshot(),
    async close() {
      hub?.close();
      hub = null;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await file?.close();
    },
  };
}

/** undefined: not an ingest path; null: auto-detect the kind per line. */
function endpointOf(path: string): EventEndpoint | null | undefined {
  if (path === '/' || path === '/ingest') return null;
  if (path === `/ingest/${DECISION_ENDPOINT}`) return DECISION_ENDPOINT;
  if (path === `/ingest/${CLICKSTREAM_ENDPOINT}`) return CLICKSTREAM_ENDPOINT;
  return undefined;
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...SECURITY_HEADERS });
  response.end(body);
}
