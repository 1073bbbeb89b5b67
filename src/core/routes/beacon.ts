/**
 * `POST /__beacon` (docs/contracts.md#beacon): a strictly validated impression, click or conversion from a page
 * becomes one `clickstream` event (schema v2). Segment and variants are those of the page the
 * beacon came from, read from its signed decision token (never recomputed here, where there is no
 * profile); consent and pseudonym come from the visitor's own cookies. Without consent the event is
 * still logged, anonymously (`visitor: null`, no variants). A recommendation click also moves its
 * category to the front of the `sess` cookie.
 */
import type { Deps, RequestContext } from '../ports.ts';
import { jsonResponse } from '../http/json-response.ts';
import { planVisitor } from '../page/visitor-plan.ts';
import { consentedId } from '../visitor/identity.ts';
import { readBeaconRequest } from '../beacon/read-beacon-request.ts';
import { parseBeaconBody, type Beacon } from '../beacon/beacon-body.ts';
import { sessionAfterBeacon } from '../beacon/beacon-session.ts';
import { serializeClickstreamEventV2 } from '../beacon/clickstream-event.ts';
import { forwardBeacon } from '../feedback/beacon-feedback.ts';
import { attributeBeacon, type BeaconAttribution } from '../experiments/beacon-attribution.ts';
import type { ProfileWriteReport } from '../feedback/profile-writer.ts';
import type { ConsentState } from '../log/vocabulary.ts';
import { loggedPath } from '../log/logged-path.ts';
import { parseSettings, readSettings } from '../config/settings.ts';

export async function handleBeacon(request: Request, deps: Deps, context: RequestContext): Promise<Response> {
  const admitted = await admitBeacon(request, deps, context);
  if (!admitted.ok) return admitted.refusal;
  const { beacon } = admitted;
  const plan = await planVisitor(request, deps, context);
  // A beacon never mints a visitor id: without a valid `vid` the visitor is anonymous here.
  const { identity } = plan.facts;
  const minted = identity.consent === 'granted' && identity.minted;
  const known = minted ? { ...identity, id: null, minted: false } : identity;
  const attributed = await attributeBeacon({
    key: plan.previewKey, token: beacon.decision, nowMs: Date.now(), slot: beacon.slot,
    visitorId: consentedId(known), experiments: plan.config.experiments,
  });
  const session = await sessionAfterBeacon(beacon, known, plan.signingKey);
  const ts = new Date().toISOString();
  const visitor = minted ? null : plan.loggedPseudonym;
  forwardBeacon({ beacon, identity: known, pseudonym: minted ? null : plan.pseudonym }, deps, context, (profileWrite) => deps.emit(
    'clickstream',
    clickstreamLine({ beacon, attributed, ts, requestId: context.requestId, consent: identity.consent, visitor, logPaths: plan.config.settings.logPaths, profileWrite }),
  ));
  const headers = new Headers({ 'cache-control': 'no-store' });
  if (session.cookie !== null) headers.append('set-cookie', session.cookie);
  return new Response(null, { status: 204, headers });
}

/** The refusals that need neither the visitor nor the page: another site, too many, a bad body. */
async function admitBeacon(request: Request, deps: Deps, context: RequestContext): Promise<{ ok: true; beacon: Beacon } | { ok: false; refusal: Response }> {
  // Fetch Metadata (W3C): a browser marks requests another site makes; those are not this site's clicks.
  if (request.headers.get('sec-fetch-site') === 'cross-site') {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false, refusal: jsonResponse(403, { error: 'cross-site beacon refused' }) };
  }
  const settings = parseSettings(readSettings(deps)).value;
  if (deps.overRateLimit(`beacon:${context.clientAddress}`, settings.beaconRatePerSecond, 10)) {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false, refusal: jsonResponse(429, { error: 'too many beacons' }, { 'retry-after': '60' }) };
  }
  const body = await readBeaconRequest(request);
  if (!body.ok) return { ok: false, refusal: jsonResponse(body.status, { error: body.error }) };
  const parsed = parseBeaconBody(body.text);
  return parsed.ok ? { ok: true, beacon: parsed.beacon } : { ok: false, refusal: jsonResponse(400, { error: parsed.error }) };
}

interface ClickstreamFacts {
  beacon: Beacon;
  attributed: BeaconAttribution;
  ts: string;
  requestId: string;
  consent: ConsentState;
  /** The logged pseudonym: null without the analytics purpose or a known id. */
  visitor: string | null;
  logPaths: readonly string[];
  profileWrite: ProfileWriteReport | null;
}

function clickstreamLine(facts: ClickstreamFacts): string {
  const { beacon, attributed } = facts;
  return serializeClickstreamEventV2({
    v: 2,
    ts: facts.ts,
    requestId: facts.requestId,
    type: beacon.type,
    slot: beacon.slot,
    item: beacon.item,
    page: loggedPath(beacon.page, facts.logPaths),
    segment: attributed.segment,
    variants: attributed.variants,
    consent: facts.consent,
    visitor: facts.visitor,
    attribution: attributed.attribution,
    exposed: attributed.exposed,
    shaped: attributed.shaped,
    ...(attributed.preview ? { preview: true as const } : {}),
    ...(beacon.value === null ? {} : { value: beacon.value }),
    profileWrite: facts.profileWrite,
  });
}
