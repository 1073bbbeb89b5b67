/**
 * `POST /__beacon` (docs/contracts.md#beacon): a strictly validated impression or click from a page becomes one
 * `clickstream` event. Segment, variants, consent and pseudonym are recomputed here from the
 * visitor's own cookies and the platform's context, never taken from the body. Beacon segments are
 * contextual (context + session, no profile lookup): a beacon must stay cheap and never wait on the
 * profile store. Without consent the event is still logged, anonymously (`visitor: null`, control
 * variants). A recommendation click also moves its category to the front of the `sess` cookie.
 */
import type { Deps, RequestContext } from '../ports.ts';
import { jsonResponse } from '../http/json-response.ts';
import { planVisitor } from '../page/page-plan.ts';
import { decide } from '../decision/decide.ts';
import { readBeaconRequest } from '../beacon/read-beacon-request.ts';
import { parseBeaconBody } from '../beacon/beacon-body.ts';
import { sessionAfterBeacon } from '../beacon/beacon-session.ts';
import { serializeClickstreamEvent } from '../beacon/clickstream-event.ts';
import { forwardBeacon } from '../feedback/beacon-feedback.ts';
import { loggedPath } from '../log/logged-path.ts';
import { parseSettings, readSettings } from '../config/settings.ts';

export async function handleBeacon(request: Request, deps: Deps, context: RequestContext): Promise<Response> {
  // Fetch Metadata (W3C): a browser marks requests another site makes; those are not this site's clicks.
  if (request.headers.get('sec-fetch-site') === 'cross-site') {
    await request.body?.cancel().catch(() => undefined);
    return jsonResponse(403, { error: 'cross-site beacon refused' });
  }
  const settings = parseSettings(readSettings(deps)).value;
  if (deps.overRateLimit(`beacon:${context.clientAddress}`, settings.beaconRatePerSecond, 10)) {
    await request.body?.cancel().catch(() => undefined);
    return jsonResponse(429, { error: 'too many beacons' }, { 'retry-after': '60' });
  }
  const body = await readBeaconRequest(request);
  if (!body.ok) return jsonResponse(body.status, { error: body.error });
  const parsed = parseBeaconBody(body.text);
  if (!parsed.ok) return jsonResponse(400, { error: parsed.error });
  const { beacon } = parsed;

  const plan = await planVisitor(request, deps, context);
  // A beacon never mints a visitor id: without a valid `vid` the visitor is anonymous here.
  const minted = plan.context.mintedVisitorId;
  const visitorContext = minted ? { ...plan.context, visitorId: null, mintedVisitorId: false } : plan.context;
  const decision = decide(visitorContext, null, plan.config);
  const session = await sessionAfterBeacon(beacon, visitorContext, plan.signingKey);

  const ts = new Date().toISOString();
  forwardBeacon({ beacon, visitor: visitorContext, cacheId: minted ? null : plan.visitor }, deps, context, (profileWrite) => deps.emit(
    'clickstream',
    serializeClickstreamEvent({
      v: 1,
      ts,
      requestId: context.requestId,
      type: beacon.type,
      slot: beacon.slot,
      item: beacon.item,
      page: loggedPath(beacon.page, plan.config.settings.logPaths),
      segment: decision.segment,
      variants: { ...decision.variants },
      consent: visitorContext.consent,
      visitor: minted ? null : plan.visitor,
      profileWrite,
    }),
  ));
  const headers = new Headers({ 'cache-control': 'no-store' });
  if (session.cookie !== null) headers.append('set-cookie', session.cookie);
  return new Response(null, { status: 204, headers });
}
