/**
 * Fastly's HTTPS logging endpoint validation (RFC 8615 well-known path): before sending logs,
 * Fastly GETs `/.well-known/fastly/logging/challenge` and expects a 200 whose body has, on its own
 * line, the hex SHA-256 of its service id, or a line `*` to accept any service.
 */
import { createHash } from 'node:crypto';

export const CHALLENGE_PATH = '/.well-known/fastly/logging/challenge';

/** One line per configured service id; `*` when none is configured. */
export function challengeBody(serviceIds: readonly string[]): string {
  if (serviceIds.length === 0) return '*\n';
  return serviceIds.map((id) => (id === '*' ? '*' : createHash('sha256').update(id).digest('hex'))).join('\n') + '\n';
}
