/**
 * `startWasmHost`: serves `bin/main.wasm` over HTTP through the Node implementation of the Compute
 * hostcall ABI, configured from a manifest's `[local_server]` tables like the Node host (and
 * reusing its backend client, readthrough cache, edge cache and log-line sink). Mirrors `startEdge`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stdoutSink } from '../src/local-platform/log-line.ts';
import type { LineSink } from '../src/local-platform/log-line.ts';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { guestConfig } from './guest-config.ts';
import { guestJob, guestUrl } from './guest-job.ts';
import { compileGuestModule, memoryPlanOf } from './module-compile.ts';
import { HostSession } from './host-session.ts';
import { REQUEST_BODY_ID } from './session-sends.ts';
import { hasRequestBody, requestBodyStream } from './request-body.ts';
import { serverServices } from './server-services.ts';
import { WorkerPool } from './worker-pool.ts';
import { answerVersionlessRequests } from '../src/node-host/versionless-request.ts';
import { answerLocalPurge, PURGE_PATH } from '../src/node-host/local-purge.ts';
import { answerUrlTooLong, urlTooLong } from '../src/node-host/url-limit.ts';

export const DEFAULT_WASM_PATH = 'bin/main.wasm';

export interface WasmHostOptions {
  manifestPath: string;
  host: string;
  port: number;
  wasmPath?: string;
  /** Receives log endpoint lines; stdout by default. */
  stdout?: LineSink;
  /** Guest workers (default 2). */
  workers?: number;
  /** Where guest stdout/stderr goes; the process's own by default. */
  guestOutput?: (fd: number, bytes: Uint8Array) => void;
  /** Print every hostcall (also WASM_HOST_TRACE=1). */
  trace?: boolean;
  /** Benchmarks only: `vCpuTime()` in the guest reads microseconds (see GuestConfig). */
  vcpuMicroseconds?: boolean;
  /** Print each guest instance's hostcall timeline to stderr (hostcall-timeline.ts). */
  timeline?: boolean;
  /** Benchmarks only: account each instance's CPU inside hostcalls (`hostMs`). */
  hostTime?: boolean;
  /** Benchmarks: every function optimized before the first request, as Compute runs it (module-compile.ts). */
  optimized?: boolean;
}

export interface RunningWasmHost {
  url: string;
  close(): Promise<void>;
  /** Resolves once every guest instance has finished (including its waitUntil work). */
  settled(): Promise<void>;
  /** Purges a surrogate key from the guest's HTTP cache and the edge cache (`soft`: mark stale). */
  purge(key: string, soft?: boolean): Promise<void>;
  /** Names of hostcalls the guest called that this host does not implement. */
  unsupported: ReadonlySet<string>;
  /** vCPU milliseconds of each finished guest instance, in order (bench). */
  vcpuMs: number[];
  /** The instantiation part of each `vcpuMs` (SessionResult.startMs), in order (bench). */
  startMs: number[];
  /** Worker CPU making each finished instance's memory before its request, outside its `vcpuMs`, in order (bench); 0 where the module makes its own, inside the instance. */
  memoryMs: number[];
  /** CPU inside hostcalls of each finished instance, in order; only with `hostTime` (bench). */
  hostMs: number[];
  /** With `hostTime`: for each finished instance, `hostMs` so far at each of its `vCpuTime()` reads. */
  hostAtVcpuReads: number[][];
  /** The guest's linear memory at the end of each finished instance (its peak), in order. */
  memoryBytes: number[];
}

export async function startWasmHost(options: WasmHostOptions): Promise<RunningWasmHost> {
  const manifest = loadManifest(options.manifestPath);
  const module = await compileGuestModule(options.wasmPath ?? DEFAULT_WASM_PATH, options.optimized ?? false);
  const stdio = options.guestOutput ?? ((fd: number, bytes: Uint8Array) => (fd === 2 ? process.stderr : process.stdout).write(bytes));
  const { services, shared, purge, unsupported } = serverServices(manifest, options.stdout ?? stdoutSink, stdio);
  const config = guestConfig(manifest, options.trace ?? process.env.WASM_HOST_TRACE === '1', options.vcpuMicroseconds ?? false, options.timeline ?? process.env.WASM_HOST_TIMELINE === '1');
  const pool = new WorkerPool(module, { ...config, hostTime: options.hostTime ?? false }, options.workers ?? 2, memoryPlanOf(module), shared);
  const sessions = new Set<Promise<unknown>>();
  const vcpuMs: number[] = [];
  const startMs: number[] = [];
  const memoryMs: number[] = [];
  const hostMs: number[] = [];
  const hostAtVcpuReads: number[][] = [];
  const memoryBytes: number[] = [];
  let listening = options.host;

  // Fastly documents a 69 KB request header limit (VCL constraints and limitations); Node's default is 16 KB.
  const server = createServer({ requireHostHeader: false, maxHeaderSize: 69 * 1024 }, (incoming, outgoing) => {
    const work = serve(incoming, outgoing).catch((error: unknown) => {
      console.error(`[wasm-host] request failed: ${error instanceof Error ? error.message : 'unknown error'}`);
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
      else outgoing.destroy();
    });
    sessions.add(work);
    void work.finally(() => sessions.delete(work));
  });

  const closePeeking = answerVersionlessRequests(server);

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const target = new URL(incoming.url ?? '/', 'http://local');
    if (target.pathname === PURGE_PATH) return answerLocalPurge(incoming.method, target, outgoing, purge);
    if (urlTooLong(guestUrl(incoming, listening))) return answerUrlTooLong(incoming, outgoing);
    // The body streams: the guest reads it on demand, and a pass-through pipes it to the backend.
    const body = hasRequestBody(incoming) ? requestBodyStream(incoming) : null;
    if (body === null) incoming.resume();
    const job = guestJob(incoming, body === null ? null : REQUEST_BODY_ID, listening);
    const session = await pool.run(job, (reply) => new HostSession(services, outgoing, incoming.method === 'HEAD', reply, body));
    const result = await session.finished;
    vcpuMs.push(result.vcpuMs);
    startMs.push(result.startMs);
    memoryMs.push(result.memoryMs ?? 0);
    memoryBytes.push(result.memoryBytes);
    if (result.hostMs !== null) hostMs.push(result.hostMs);
    if (result.hostAtVcpuReads) hostAtVcpuReads.push(result.hostAtVcpuReads);
    if (result.error) process.stderr.write(`[wasm-host] guest error: ${result.error}\n`);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // The guest workers keep the process alive: without this a taken port hangs `npm run wasm`.
    await pool.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  listening = address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
  const settled = async (): Promise<void> => {
    while (sessions.size > 0) await Promise.allSettled([...sessions]);
    await services.deps.idle();
  };
  return {
    url: `http://${listening}/`,
    purge: (key, soft = false) => purge(key, soft),
    unsupported,
    vcpuMs,
    startMs,
    memoryMs,
    hostMs,
    hostAtVcpuReads,
    memoryBytes,
    settled,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await settled();
      server.closeAllConnections();
      closePeeking();
      await closed;
      await pool.close();
    },
  };
}
