/**
 * What a backend route answers, as data: the server writes it, possibly through a fault. Route
 * handlers are plain functions of the request, which keeps them easy to test and to fault.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface OriginRequest {
  method: string;
  /** Path and query exactly as received, e.g. `/fragments/hero?seg=vip&v=bold`. */
  path: string;
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The request body (empty for GET), read up to the backend's cap (MAX_ORIGIN_BODY_BYTES by default). */
  body?: Buffer;
}

/** Forms and JSON the demo store accepts are tiny; past this the server answers 413 without calling the route. */
export const MAX_ORIGIN_BODY_BYTES = 16 * 1024;

export interface OriginResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type RouteHandler = (request: OriginRequest) => OriginResponse | Promise<OriginResponse>;

export const HTML = 'text/html; charset=utf-8';

export function respond(status: number, contentType: string, body: string, headers: Record<string, string> = {}): OriginResponse {
  return { status, headers: { 'content-type': contentType, ...headers }, body: Buffer.from(body, 'utf8') };
}

export function htmlResponse(status: number, body: string, headers: Record<string, string> = {}): OriginResponse {
  return respond(status, HTML, body, headers);
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): OriginResponse {
  return respond(status, 'application/json', JSON.stringify(value), headers);
}

export function methodNotAllowed(allow: string, headers: Record<string, string> = {}): OriginResponse {
  return respond(405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow, 'cache-control': 'no-store', ...headers });
}
