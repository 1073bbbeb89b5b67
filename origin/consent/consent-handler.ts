/**
 * `POST /consent`: the consent banner's form, for browsers without JavaScript (with it, the page
 * writes the same cookie itself). Accept all grants both purposes; reject all writes `none`;
 * "save choices" grants exactly the boxes ticked, and `none` when none is. Nothing is granted
 * without one of these explicit choices. Answers `303` back to the page it came from.
 */
import { readFormBody } from '../cart/form-body.ts';
import { jsonResponse, respond, type OriginRequest, type OriginResponse } from '../http/origin-response.ts';

const ONE_YEAR_S = 365 * 24 * 3600;
export const PURPOSES = ['personalization', 'analytics'] as const;

export type ConsentChoice = { ok: true; value: string; back: string } | { ok: false; error: string };

export function readConsentChoice(fields: ReadonlyMap<string, string>): ConsentChoice {
  const choice = fields.get('choice');
  const back = returnPath(fields.get('return'));
  if (back === null) return { ok: false, error: 'return must be a path on this site' };
  for (const name of fields.keys()) {
    if (!['choice', 'return', ...PURPOSES].includes(name)) return { ok: false, error: `unknown field "${name.slice(0, 32)}"` };
  }
  for (const purpose of PURPOSES) {
    const box = fields.get(purpose);
    if (box !== undefined && box !== 'on') return { ok: false, error: `${purpose} must be "on" when present` };
  }
  if (choice === 'all') return { ok: true, value: PURPOSES.join(','), back };
  if (choice === 'none') return { ok: true, value: 'none', back };
  if (choice !== 'custom') return { ok: false, error: 'choice must be "all", "none" or "custom"' };
  const chosen = PURPOSES.filter((purpose) => fields.get(purpose) === 'on');
  return { ok: true, value: chosen.length === 0 ? 'none' : chosen.join(','), back };
}

/** A same-site path only, so the form cannot be used as an open redirect. */
function returnPath(value: string | undefined): string | null {
  if (value === undefined || value === '') return '/';
  if (value.length > 512 || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return null;
  }
  return value;
}

export function consentHandler(request: OriginRequest): OriginResponse {
  if (request.method !== 'POST') return jsonResponse(405, { error: 'method not allowed' }, { allow: 'POST', 'cache-control': 'no-store' });
  const body = readFormBody(request);
  const choice = body.ok ? readConsentChoice(body.fields) : body;
  if (!choice.ok) return jsonResponse(400, { error: choice.error }, { 'cache-control': 'no-store' });
  return respond(303, 'text/plain; charset=utf-8', 'saved\n', {
    location: choice.back,
    'cache-control': 'no-store',
    'set-cookie': `consent=${choice.value}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Lax`,
  });
}
