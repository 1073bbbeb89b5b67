/**
 * Reads one batch a Fastly HTTPS logging endpoint posts, under a byte cap, and splits it into log
 * lines. Fastly's `json_format` decides the shape: `2` newline-delimited JSON (the recommended
 * setting, sent as application/x-ndjson), `1` one JSON array per batch, `0` raw lines. A gzip
 * body (the endpoint's `compression_codec`) is inflated within the same cap.
 */
import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/** Fastly's default `request_max_bytes` is 100 MB; a local collector takes batches up to 16 MiB. */
export const DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;

export type IngestBody = { ok: true; lines: string[] } | { ok: false; status: number; error: string };

export async function readIngestBody(request: IncomingMessage, maxBytes: number): Promise<IngestBody> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > maxBytes) return { ok: false, status: 413, error: `batch over ${maxBytes} bytes` };
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') return { ok: false, status: 415, error: 'content-encoding must be gzip or identity' };
  const source: Readable = encoding === 'gzip' ? request.pipe(createGunzip()) : request;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source) {
      const buffer = chunk as Buffer;
      total += buffer.byteLength;
      if (total > maxBytes) {
        request.resume();
        return { ok: false, status: 413, error: `batch over ${maxBytes} bytes` };
      }
      chunks.push(buffer);
    }
  } catch {
    return { ok: false, status: 400, error: 'body could not be read' };
  }
  return { ok: true, lines: splitBatch(Buffer.concat(chunks, total).toString('utf8')) };
}

/** A batch that parses as one JSON array (json_format 1) gives one line per element. */
export function splitBatch(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const items: unknown = JSON.parse(trimmed);
      if (Array.isArray(items)) return items.map((item) => JSON.stringify(item));
    } catch {
      // Not one array: read it line by line like any other batch.
    }
  }
  return text.split('\n');
}
