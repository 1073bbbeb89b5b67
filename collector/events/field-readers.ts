/**
 * Small total readers for untrusted JSON fields: each returns the typed value or throws a
 * `SchemaError` naming the field, so an event parser reads like the schema it enforces.
 */

export class SchemaError extends Error {}

export type Json = Record<string, unknown>;

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const PSEUDONYM = /^[A-Za-z0-9_-]{22}$/;

export function record(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SchemaError(`${field} must be an object`);
  return value as Json;
}

export function boundedString(value: unknown, field: string, maxChars: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxChars) throw new SchemaError(`${field} must be a string of 1-${maxChars} characters`);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) throw new SchemaError(`${field} holds a control character`);
  }
  return value;
}

export function token(value: unknown, field: string): string {
  if (typeof value !== 'string' || !TOKEN.test(value)) throw new SchemaError(`${field} must match [A-Za-z0-9_-]{1,64}`);
  return value;
}

export function path(value: unknown, field: string, maxChars: number): string {
  const text = boundedString(value, field, maxChars);
  if (!text.startsWith('/')) throw new SchemaError(`${field} must start with /`);
  return text;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw new SchemaError(`${field} must be one of ${allowed.join('|')}`);
  return value as T;
}

/** A finite, non-negative duration in ms (at most a day: anything longer is garbage). */
export function duration(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 86_400_000) throw new SchemaError(`${field} must be a duration in ms`);
  return value;
}

export function integerIn(value: unknown, min: number, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new SchemaError(`${field} must be an integer from ${min} to ${max}`);
  return value;
}

export function timestamp(value: unknown, field: string): string {
  const text = boundedString(value, field, 40);
  if (Number.isNaN(Date.parse(text))) throw new SchemaError(`${field} must be an ISO 8601 timestamp`);
  return text;
}

export function pseudonymOrNull(value: unknown, field: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !PSEUDONYM.test(value)) throw new SchemaError(`${field} must be a 22-character pseudonym or null`);
  return value;
}

/** experiment id → variant id, both tokens, at most 32 experiments. */
export function variants(value: unknown, field: string): Record<string, string> {
  const raw = record(value, field);
  const keys = Object.keys(raw);
  if (keys.length > 32) throw new SchemaError(`${field} has more than 32 experiments`);
  const out: Record<string, string> = {};
  for (const key of keys) out[token(key, `${field} key`)] = token(raw[key], `${field}.${key}`);
  return out;
}

/** A list of distinct tokens (experiment ids), at most `max`. */
export function tokenList(value: unknown, field: string, max = 32): string[] {
  if (!Array.isArray(value) || value.length > max) throw new SchemaError(`${field} must be an array of at most ${max} names`);
  const out = value.map((item, i) => token(item, `${field}[${i}]`));
  if (new Set(out).size !== out.length) throw new SchemaError(`${field} must not repeat a name`);
  return out;
}

/** An optional `true` flag: absent or false is false; anything else is not a flag. */
export function flag(value: unknown, field: string): boolean {
  if (value === undefined || value === false) return false;
  if (value === true) return true;
  throw new SchemaError(`${field} must be true or absent`);
}

/** A money amount: finite, non-negative, under a billion (a beacon's `value`). */
export function amount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1e9) throw new SchemaError(`${field} must be an amount from 0 to 1e9`);
  return value;
}
