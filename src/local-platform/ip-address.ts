/**
 * Canonical IP address text for geolocation lookups: IPv6 compressed and lowercased, and
 * IPv4-mapped IPv6 (`::ffff:127.0.0.1`, as Node reports dual-stack sockets) turned back into IPv4.
 */
import { isIP } from 'node:net';

/** The canonical form of an IP address, or null when `text` is not one. */
export function canonicalAddress(text: string): string | null {
  const kind = isIP(text);
  if (kind === 4) return text;
  if (kind !== 6) return null;
  const compressed = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (!mapped) return compressed;
  const high = Number.parseInt(mapped[1] ?? '0', 16);
  const low = Number.parseInt(mapped[2] ?? '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** True for 127.0.0.0/8 and ::1 (after canonicalization). */
export function isLoopback(canonical: string): boolean {
  return canonical === '::1' || (isIP(canonical) === 4 && canonical.startsWith('127.'));
}
