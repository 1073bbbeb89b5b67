/** The value of one cookie in a request's Cookie header(s); the first occurrence wins. */
import type { OriginRequest } from './origin-response.ts';

export function requestCookie(request: OriginRequest, name: string): string | undefined {
  const header = request.headers.cookie ?? '';
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq !== -1 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
