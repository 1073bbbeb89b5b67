/**
 * The `cart` cookie: `<uuid>.<item count>`. The id keys the basket on the origin; the count lets
 * the page script show the header badge on shared, cached pages without asking the origin. It is
 * readable by scripts for that reason, and holds nothing but a random id and a number.
 */
import { randomUUID } from 'node:crypto';
import type { OriginRequest } from '../http/origin-response.ts';
import { requestCookie } from '../http/request-cookies.ts';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const THIRTY_DAYS_S = 30 * 24 * 3600;

/** The basket id from a valid cookie, else null (a forged or malformed value is ignored). */
export function cartIdOf(request: OriginRequest): string | null {
  const value = requestCookie(request, 'cart');
  const id = value?.split('.')[0] ?? '';
  return ID.test(id) ? id : null;
}

export function newCartId(): string {
  return randomUUID();
}

export function cartCookie(id: string, count: number): string {
  return `cart=${id}.${count}; Path=/; Max-Age=${THIRTY_DAYS_S}; SameSite=Lax`;
}
