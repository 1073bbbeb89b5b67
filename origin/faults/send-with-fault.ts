/**
 * Writes a route's response to the socket, through the backend's fault if one applies. Every wait
 * listens to `signal` (the client went away or the origin is closing), so nothing outlives
 * `close()`: a hanging or dripping response is cut off when the signal fires.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { OriginResponse } from '../http/origin-response.ts';
import type { Fault } from './fault.ts';

const STREAM_CHUNK_BYTES = 64 * 1024;
const GARBAGE_BYTES = 2048;

function withoutLength(headers: Record<string, string>): Record<string, string> {
  const { ['content-length']: _dropped, ...rest } = headers;
  return rest;
}

export function sendWhole(res: ServerResponse, response: OriginResponse): void {
  const bodiless = response.status === 204 || response.status === 304;
  const headers = bodiless ? withoutLength(response.headers) : { ...response.headers, 'content-length': String(response.body.length) };
  res.writeHead(response.status, headers);
  res.end(bodiless ? undefined : response.body);
}

/** Random bytes that are neither valid UTF-8 JSON nor HTML: the first byte is never valid UTF-8. */
function garbage(response: OriginResponse): OriginResponse {
  const body = randomBytes(GARBAGE_BYTES);
  body[0] = 0xff;
  return { status: 200, headers: response.headers, body };
}

function statusFault(status: number): OriginResponse {
  const body = Buffer.from(`origin fault: status ${status}\n`, 'utf8');
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, body };
}

function fillerChunk(contentType: string): Buffer {
  const line = contentType.startsWith('text/html') ? '<p class="filler">oversized response filler text</p>\n' : 'x'.repeat(63) + '\n';
  return Buffer.from(line.repeat(Math.ceil(STREAM_CHUNK_BYTES / line.length)).slice(0, STREAM_CHUNK_BYTES), 'utf8');
}

async function write(res: ServerResponse, chunk: Buffer, signal: AbortSignal): Promise<void> {
  if (!res.write(chunk)) await once(res, 'drain', { signal });
}

/** Exactly `bytes` bytes of filler, streamed without a Content-Length so only counting reveals the size. */
async function sendOversized(res: ServerResponse, response: OriginResponse, bytes: number, signal: AbortSignal): Promise<void> {
  res.writeHead(200, withoutLength(response.headers));
  const chunk = fillerChunk(response.headers['content-type'] ?? '');
  for (let remaining = bytes; remaining > 0; remaining -= chunk.length) {
    signal.throwIfAborted();
    await write(res, remaining >= chunk.length ? chunk : chunk.subarray(0, remaining), signal);
  }
  res.end();
}

async function sendDrip(res: ServerResponse, response: OriginResponse, fault: { intervalMs: number; chunkBytes: number }, signal: AbortSignal): Promise<void> {
  res.writeHead(response.status, { ...response.headers, 'content-length': String(response.body.length) });
  res.flushHeaders();
  for (let offset = 0; offset < response.body.length; offset += fault.chunkBytes) {
    if (offset > 0) await delay(fault.intervalMs, undefined, { signal });
    await write(res, response.body.subarray(offset, offset + fault.chunkBytes), signal);
  }
  res.end();
}

/** Exponential with mean `mean`, capped at `max`: most requests are quick, a few are slow. */
export function jitterMs(mean: number, max: number, random: () => number = Math.random): number {
  return Math.min(max, Math.max(0, Math.round(-Math.log(1 - random()) * mean)));
}

async function applyFault(res: ServerResponse, response: OriginResponse, fault: Fault, signal: AbortSignal): Promise<void> {
  switch (fault.kind) {
    case 'latency':
      await delay(fault.ms, undefined, { signal });
      return sendWhole(res, response);
    case 'jitter':
      await delay(jitterMs(fault.ms, fault.maxMs), undefined, { signal });
      return sendWhole(res, response);
    case 'status': return sendWhole(res, statusFault(fault.status));
    case 'garbage': return sendWhole(res, garbage(response));
    case 'hang': return; // Never answers: the socket stays open until the client gives up or close() destroys it.
    case 'oversized': return sendOversized(res, response, fault.bytes, signal);
    case 'drip': return sendDrip(res, response, fault, signal);
  }
}

export async function sendWithFault(res: ServerResponse, response: OriginResponse, fault: Fault | null, signal: AbortSignal): Promise<void> {
  if (!fault) return sendWhole(res, response);
  try {
    await applyFault(res, response, fault, signal);
  } catch (error) {
    if (!signal.aborted) throw error;
    res.destroy();
  }
}
