/**
 * What an include's `src` or `alt` value points at, after variable substitution: a target to fetch
 * or a refusal. A value is worked out once per page (the variables do not change while a page is
 * assembled), and a plain path on the page's host skips the URL parser, which inside the Wasm
 * guest costs tens of microseconds per include.
 */
import type { Settings } from '../config/settings.ts';
import type { EsiVariables } from './esi-variables.ts';
import { substituteInUri, uriShape } from './variable-substitution.ts';
import { arePlainPaths, isPlainPath, resolveInclude, resolvePlainPath, type PageOrigin } from './include-resolver.ts';
import type { FragmentUrl } from './fragment-fetcher.ts';
import type { QueryMemo } from '../cache-key/query-normalize.ts';

/** A variable the value read, as (name, key). */
export type Read = readonly [name: string, key: string | null];

/**
 * `key` names the fetch an include shares: per visitor or shared, and the URL. The backend is not
 * here: it is looked up (`routeFor`) only for an include that starts a fetch, so an include
 * skipped past the fetch cap does not pay for it.
 */
export type IncludeTarget =
  | { ok: true; href: string; key: string; path: string; usesVisitor: boolean; reads: readonly Read[]; url: FragmentUrl }
  | { ok: false; reason: string; path: string; usesVisitor: boolean };

const NO_READS: readonly Read[] = [];
/** An http(s) href's protocol and host (no `@`: a userinfo part is not in the origin). */
const HTTP_HREF = /^(https?:)\/\/([^/@?#]+)\//;

export class IncludeTargets {
  /** Some value used $(VISITOR). */
  perVisitor = false;
  private readonly memo = new Map<string, IncludeTarget>();
  /** The page's origin when plain paths can be joined to it (and the page's query memo); null sends every value to the URL parser. */
  private readonly page: (PageOrigin & QueryMemo) | null;
  private readonly origin: string | null;
  /** The page URL parsed, once a value needs the URL parser (most pages' includes are plain paths and never do). */
  private parsed: URL | null;
  private readonly href: string;

  constructor(private readonly options: { pageUrl: URL | string; vars: EsiVariables; settings: Settings }) {
    const { pageUrl } = options;
    this.parsed = typeof pageUrl === 'string' ? null : pageUrl;
    this.href = typeof pageUrl === 'string' ? pageUrl : pageUrl.href;
    // One native match, not three getters (~9 µs each in the guest): an http(s) href without
    // userinfo is `protocol//host/…`, and its origin is `protocol//host`.
    const match = HTTP_HREF.exec(this.href);
    if (match !== null) {
      // The memo's two fields live here, on an object the page makes anyway (query-normalize.ts).
      this.page = { origin: `${match[1]!}//${match[2]!}`, protocol: match[1]!, host: match[2]!, lastSearch: '', lastNormal: '' };
    } else {
      const { protocol, origin, host } = this.pageUrl();
      this.page = protocol === 'https:' || protocol === 'http:' ? { origin, protocol, host, lastSearch: '', lastNormal: '' } : null;
    }
    this.origin = this.page?.origin ?? null;
  }

  resolve(value: string): IncludeTarget {
    let target = this.memo.get(value);
    if (target === undefined) {
      target = this.compute(value);
      this.memo.set(value, target);
    }
    this.perVisitor ||= target.usesVisitor;
    return target;
  }

  /**
   * What every `plainKey(value)` of `lines` (values each ended by `\n`) starts with, when each is
   * a plain path (one native test for all of them); null otherwise.
   */
  plainKeyPrefix(lines: string): string | null {
    return this.origin !== null && arePlainPaths(lines) ? `shared ${this.origin}` : null;
  }

  /**
   * The fetch key `resolve(value)` would give, when that needs no URL parser and no variables
   * (a plain path on the page's host), without building or keeping a target; null otherwise.
   */
  plainKey(value: string): string | null {
    return this.origin !== null && isPlainPath(value) ? `shared ${this.origin}${value}` : null;
  }

  private compute(value: string): IncludeTarget {
    if (!value.includes('$(')) return this.target(value, value, NO_READS);
    const reads: Array<readonly [string, string | null]> = [];
    const text = substituteInUri(value, this.options.vars, reads);
    return this.target(value, text, reads.length === 0 ? NO_READS : reads);
  }

  /** `value` as written, `text` with its variables substituted (which `reads` lists). */
  private target(value: string, text: string, reads: readonly Read[]): IncludeTarget {
    const usesVisitor = readsVisitor(reads);
    const url = this.page === null ? null : resolvePlainPath(text, this.page, this.page);
    const prefix = usesVisitor ? 'visitor ' : 'shared ';
    if (url !== null) return { ok: true, href: url.href, key: prefix + url.href, path: url.pathname, usesVisitor, reads, url };
    const resolved = resolveInclude(text, this.pageUrl(), this.options.settings, reads.length === 0 ? null : uriShape(value));
    if (!resolved.ok) return { ok: false, reason: resolved.reason, path: resolved.path, usesVisitor };
    const href = resolved.url.href;
    return { ok: true, href, key: prefix + href, path: resolved.url.pathname, usesVisitor, reads, url: resolved.url };
  }

  private pageUrl(): URL {
    return (this.parsed ??= new URL(this.href));
  }
}

/** Whether a value read `$(VISITOR)`: an indexed loop over its few reads, no `some` callback. */
function readsVisitor(reads: readonly Read[]): boolean {
  for (let i = 0; i < reads.length; i++) if (reads[i]![0] === 'VISITOR') return true;
  return false;
}
