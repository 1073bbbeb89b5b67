/**
 * Fetches the page template from the `templates` backend. The request is built from scratch with
 * headers the edge sets (nothing copied from the client), for the normalized URL that was keyed,
 * and it goes through the readthrough cache under the template-tier key. When the origin is down
 * (network error, timeout or a 5xx) the last good copy stands in, reported as STALE.
 *
 * A shared breaker (template-breaker.ts) keeps a hanging origin from costing every request its
 * first-byte timeout: while it is open the last good copy (or the fallback) answers at once.
 */
import type { CacheState, Deps, EdgeGet, RequestContext } from '../ports.ts';
import type { NormalizedUrl } from '../cache-key/url-normalize.ts';
import { readStaleTemplate } from './stale-template.ts';
import { callBackend, type BackendCall } from '../backend/backend-call.ts';
import { NOTHING_TO_RECORD, type Admission, type Admitted } from '../backend/circuit-breaker.ts';
import { admitTemplateTo, probeTemplateOrigin, recordTemplateCall } from './template-breaker.ts';

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
 * `templateKey` is the template-tier key of `url` (cache-key.ts). Not an async function: the call
 * starts in the breaker read's own reaction and the fetch is settled from the backend call's (its
 * `next`), not adopted through awaits: in the Wasm guest each of those would be a promise job more
 * (~10 µs and two clock reads), and every page that is not a stored copy fetches its template.
 */
export function fetchTemplate(deps: Deps, context: Pick<RequestContext, 'waitUntil'>, url: NormalizedUrl, locale: string, templateKey: string): Promise<TemplateFetch> {
  return new Promise((resolve, reject) => {
    const call = new TemplateCall({ deps, context, url, locale, templateKey }, resolve, reject);
    void admitTemplateTo(deps.cache, call);
  });
}

interface TemplateTarget {
  deps: Deps;
  context: Pick<RequestContext, 'waitUntil'>;
  url: NormalizedUrl;
  locale: string;
  templateKey: string;
}

/** One template fetch on its way: admitted by the breaker, sent, recorded, settled. */
class TemplateCall implements Admitted {
  private readonly started: number;
  /** The last good copy is kept per locale: it stands in without asking the origin about Vary. */
  private readonly staleKey: string;
  private admission: Admission = NOT_ASKED;

  constructor(
    private readonly at: TemplateTarget,
    private readonly resolve: (fetch: TemplateFetch | Promise<TemplateFetch>) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.started = at.deps.now();
    this.staleKey = `${at.templateKey}|${at.locale}`;
  }

  admitted(admission: Admission): void {
    try {
      const { deps, context, templateKey } = this.at;
      if (!admission.allowed || admission.probe) {
        // Open, or half-open with this request holding the probe: the probe runs after the answer.
        if (admission.allowed) context.waitUntil(probeTemplateOrigin(deps, admission, this.request(), templateKey));
        this.resolve(standIn(deps, this.staleKey, 'breaker-open', this.started));
        return;
      }
      this.admission = admission;
      void callBackend(deps, { backend: 'templates', request: this.request(), cacheKey: templateKey, timeoutMs: null }, answered, this);
    } catch (error) {
      this.reject(error);
    }
  }

  called(call: BackendCall): void {
    try {
      // Before answering: the next request must already see a breaker this failure opened. An
      // uneventful success writes nothing, so this costs nothing on the common path.
      const recording = recordTemplateCall(this.at.deps.cache, this.admission, call);
      this.resolve(recording === NOTHING_TO_RECORD ? this.outcome(call) : recording.then(() => this.outcome(call)));
    } catch (error) {
      this.reject(error);
    }
  }

  private outcome(call: BackendCall): TemplateFetch | Promise<TemplateFetch> {
    const { deps } = this.at;
    if (call.ok && call.response.status < 500) return { ok: true, response: call.response, cache: call.cache, ms: deps.now() - this.started, staleKey: this.staleKey };
    return standIn(deps, this.staleKey, call.ok ? call.discard('status' as const) : call.reason, this.started);
  }

  /**
   * A plain GET, not a `Request`: cheaper in the Wasm guest (ports.ts `EdgeGet`). The locale goes to
   * the origin as Accept-Language, but is not a key part: an origin whose template differs by
   * language says so with `Vary: Accept-Language`, which the readthrough cache honours (RFC 9110
   * §12.5.5), so templates that do not vary keep one copy per URL.
   */
  private request(): EdgeGet {
    return { url: this.at.url.href, headers: { accept: 'text/html,*/*;q=0.8', 'accept-encoding': 'identity', 'accept-language': this.at.locale } };
  }
}

/** The backend call's `next`: a plain function, so a call makes no closure for it. */
function answered(call: BackendCall, at: TemplateCall): void {
  at.called(call);
}

/** Never read: `called` runs only after `admitted` has set the admission. */
const NOT_ASKED: Admission = { allowed: false, reason: 'breaker-open' };

/** The last good copy, or the failure when there is none. */
async function standIn(deps: Deps, staleKey: string, failure: TemplateFailure, started: number): Promise<TemplateFetch> {
  const stale = await readStaleTemplate(deps.cache, staleKey);
  if (stale) return { ok: true, response: stale, cache: 'STALE', ms: deps.now() - started, staleKey };
  return { ok: false, reason: failure, ms: deps.now() - started };
}

/** A stored page answered after all: the template fetched alongside the profile is not needed. */
export async function discardTemplate(fetching: Promise<TemplateFetch> | null): Promise<void> {
  const template = await fetching;
  if (template?.ok) await template.response.body?.cancel().catch(() => undefined);
}
