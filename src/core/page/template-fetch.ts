/**
 * Fetches the page template from the `templates` backend. The request is built from scratch with
 * headers the edge sets (nothing copied from the client), for the normalized URL that was keyed,
 * and it goes through the readthrough cache under the template-tier key. When the origin is down
 * (network error, timeout or a 5xx) the last good copy stands in, reported as STALE.
 *
 * A shared breaker (template-breaker.ts) keeps a hanging origin from costing every request its
 * first-byte timeout: while it is open the last good copy (or the fallback) answers at once. It is
 * read where the origin would be asked (the port's `OriginGate`: a readthrough miss), so a page
 * whose template the edge holds (most pages) reads no breaker.
 */
import type { CacheState, Deps, EdgeGet, OriginGate, RequestContext } from '../ports.ts';
import type { NormalizedUrl } from '../cache-key/url-normalize.ts';
import { standIn } from './stale-template.ts';
import { callBackend, type BackendCall } from '../backend/backend-call.ts';
import { NOTHING_TO_RECORD, type Admission, type Admitted } from '../backend/circuit-breaker.ts';
import { admitTemplateTo, probeTemplateOrigin, recordTemplateCall } from './template-breaker.ts';
import { HearsOrigin } from './template-revalidation.ts';

export interface FetchedTemplate {
  ok: true;
  response: Response;
  cache: CacheState;
  ms: number;
  /** Where the last good copy of this template is kept (stale-template.ts). */
  staleKey: string;
}

export type TemplateFailure = 'network' | 'timeout' | 'status' | 'breaker-open';

export type TemplateFetch = FetchedTemplate | { ok: false; reason: TemplateFailure; ms: number };

/**
 * `templateKey` is the template-tier key of `url` (cache-key.ts). Not an async function: the fetch
 * is settled from the backend call's reaction (its `next`), not adopted through awaits: in the Wasm
 * guest each of those would be a promise job more (~10 µs and two clock reads), and every page that
 * is not a stored copy fetches its template.
 */
export function fetchTemplate(deps: Deps, context: Pick<RequestContext, 'waitUntil'>, url: NormalizedUrl, locale: string, templateKey: string): Promise<TemplateFetch> {
  const call = new TemplateCall({ deps, context, url, locale, templateKey });
  return callBackend(deps, { backend: 'templates', request: call.request(), cacheKey: templateKey, timeoutMs: null, gate: call }, answered, call);
}

interface TemplateTarget {
  deps: Deps;
  context: Pick<RequestContext, 'waitUntil'>;
  url: NormalizedUrl;
  locale: string;
  templateKey: string;
}

/** One template fetch on its way: admitted by the breaker if it reaches the origin, recorded, settled. */
class TemplateCall extends HearsOrigin implements OriginGate, Admitted {
  private readonly started: number;
  /** The last good copy is kept per locale: it stands in without asking the origin about Vary. */
  private readonly staleKey: string;
  /** What the breaker said when the origin was to be asked; never asked (a readthrough hit): nothing to record. */
  private admission: Admission = NOT_ASKED;
  /** The breaker kept the origin unasked: open, or half-open with this request holding the probe. */
  private refused: Admission | null = null;
  /** The call has its answer: a background revalidation may still ask the breaker after it. */
  private answered = false;
  private probed: ((probe: Promise<void>) => void) | null = null; // the work `claims` kept
  private asked = false; // the port asked the gate: the origin is to be asked, now or in the background

  constructor(private readonly at: TemplateTarget) {
    super();
    this.started = at.deps.now();
    this.staleKey = `${at.templateKey}|${at.locale}`;
  }

  /** The port is about to ask the origin: the breaker's read, its admission in the read's own reaction. */
  beforeOrigin(): Promise<void> {
    this.asked = true;
    return admitTemplateTo(this.at.deps.cache, this);
  }

  /**
   * A call already answered (a revalidation whose breaker read settled after the response, as on
   * Compute) is the half-open probe itself: its record's work was kept while the event was active,
   * and `waitUntil` may throw now. Else the probe is kept now, unanswered, and starts on the answer.
   */
  claims(): boolean {
    if (this.answered) return this.keepsRevalidation();
    this.at.context.waitUntil(new Promise<void>((settle) => (this.probed = settle)));
    return true;
  }

  /** Throws to keep the origin unasked: the port fails the origin request with it (`OriginGate`). */
  admitted(admission: Admission): void {
    if (admission.allowed && (!admission.probe || this.probed === null)) {
      this.admission = admission;
      // Let through after the call answered: a stale copy's revalidation (the probe, if it claimed it), recorded apart.
      if (this.answered) this.revalidates(this.at, admission);
      return;
    }
    this.refused = admission;
    if (this.answered) this.probe();
    throw new Error('template breaker open: the origin is not asked');
  }

  called(call: BackendCall): TemplateFetch | Promise<TemplateFetch> {
    this.answered = true;
    if (this.refused !== null) {
      // Answered at once (a copy the edge held, or the stand-in); a claimed probe runs after the answer.
      this.probe();
      return this.outcome(call, 'breaker-open');
    }
    // A stale copy answered: the request the gate was asked for is its revalidation, recorded apart.
    if (call.ok && call.cache === 'STALE' && this.asked) {
      this.staleAnswered(this.at, this.admission === NOT_ASKED ? null : this.admission);
      return this.outcome(call);
    }
    // Before answering: the next request must already see a breaker this failure opened. An
    // uneventful success (or a hit, which asked no breaker) writes nothing: no cost on the common path.
    const recording = recordTemplateCall(this.at.deps.cache, this.admission, call);
    return recording === NOTHING_TO_RECORD ? this.outcome(call) : recording.then(() => this.outcome(call));
  }

  /** The half-open probe this request claimed before its answer, once it has it (it never holds it up); a revalidation refused after it has nothing to keep. */
  private probe(): void {
    this.refusedRevalidation();
    if (this.refused?.allowed) this.probed?.(probeTemplateOrigin(this.at.deps, this.refused, this.request()));
  }

  private outcome(call: BackendCall, failure?: TemplateFailure): TemplateFetch | Promise<TemplateFetch> {
    const { deps } = this.at;
    if (call.ok && call.response.status < 500) return { ok: true, response: call.response, cache: call.cache, ms: deps.now() - this.started, staleKey: this.staleKey };
    const reason = call.ok ? call.discard('status' as const) : call.reason;
    return standIn(deps, this.staleKey, failure ?? reason, this.started);
  }

  /**
   * A plain GET, not a `Request`: cheaper in the Wasm guest (ports.ts `EdgeGet`). The locale goes
   * as Accept-Language, not a key part: a template that differs by it says `Vary: Accept-Language`,
   * which the readthrough honours (RFC 9110 §12.5.5); others keep one copy per URL.
   */
  request(): EdgeGet {
    return { url: this.at.url.href, headers: { accept: 'text/html,*/*;q=0.8', 'accept-encoding': 'identity', 'accept-language': this.at.locale } };
  }
}

/** The backend call's `next`: a plain function, so a call makes no closure for it. */
function answered(call: BackendCall, at: TemplateCall): TemplateFetch | Promise<TemplateFetch> {
  return at.called(call);
}

/** A call that never reached the origin: nothing to record. */
const NOT_ASKED: Admission = { allowed: false, reason: 'breaker-open' };

