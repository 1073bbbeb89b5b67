/**
 * Reads the small bodies the store's endpoints accept, HTML forms (`application/x-www-form-urlencoded`)
 * or JSON objects of strings and numbers, into one string map; anything else is a problem as data.
 */
import type { OriginRequest } from '../http/origin-response.ts';

export type FormBody = { ok: true; fields: ReadonlyMap<string, string> } | { ok: false; error: string };

const MAX_FIELDS = 16;

export function readFormBody(request: OriginRequest): FormBody {
  const text = (request.body ?? Buffer.alloc(0)).toString('utf8');
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (text.trim().length === 0) return { ok: true, fields: new Map() };
  if (type === 'application/json' || type === 'text/plain') return jsonFields(text);
  if (type === 'application/x-www-form-urlencoded') return limited([...new URLSearchParams(text).entries()]);
  return { ok: false, error: 'body must be a form (application/x-www-form-urlencoded) or JSON' };
}

function jsonFields(text: string): FormBody {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'body is not valid JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'body must be a JSON object' };
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') pairs.push([key, value]);
    else if (typeof value === 'number' && Number.isFinite(value)) pairs.push([key, String(value)]);
    else return { ok: false, error: `field "${key.slice(0, 32)}" must be a string or a number` };
  }
  return limited(pairs);
}

function limited(pairs: Array<[string, string]>): FormBody {
  if (pairs.length > MAX_FIELDS) return { ok: false, error: `at most ${MAX_FIELDS} fields` };
  const fields = new Map<string, string>();
  for (const [key, value] of pairs) {
    if (fields.has(key)) return { ok: false, error: `field "${key.slice(0, 32)}" is repeated` };
    fields.set(key, value);
  }
  return { ok: true, fields };
}
