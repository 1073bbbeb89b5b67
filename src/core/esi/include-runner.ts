/**
 * Runs includes (DESIGN §5.3 "Failure semantics", "Timeouts", "Fetching"): substitutes and
 * resolves `src`, fetches each distinct final URL once, at most `maxIncludes` distinct fetches
 * (hard cap 24, alt fetches included), bounds each by its timeout and by the page deadline, falls
 * back to `alt`, and records one report entry per include. A failed fragment contributes no bytes.
 */
import type { Settings } from '../config/settings.ts';
import { MAX_INCLUDES_HARD_CAP } from '../config/settings.ts';
import { startDeadline, TIMED_OUT } from '../backend/deadline.ts';
import type { FragmentOutcome, FragmentReport } from './assembly-report.ts';
import type { FragmentCache, FragmentFetcher, FragmentResult } from './fragment-fetcher.ts';
import { resolveInclude } from './include-resolver.ts';
import { MAX_REPORTED_INCLUDES } from './esi-limits.ts';
import type { Rendered } from './rendered-part.ts';
import type { EsiVariables } from './esi-variables.ts';
import { substituteInUri, withReadListener } from './esi-variables.ts';
import { rankedForVisitor, rankFragment, type RankSpec } from './ranked-include.ts';
import { slotOfPath, type ExposureTracker, type Guard } from '../experiments/exposure.ts';

export interface IncludeSpec {
  /** Null when the tag's attributes did not parse (the include fails as refused). */
  src: string | null;
  alt: string | null;
  continueOnError: boolean;
  timeoutMs: number | null;
  /** `rank="visitor"`: the body is a candidate document, ranked instead of inserted verbatim. */
  rank?: RankSpec | null;
  /** Where the variables of the URL whose body is inserted are recorded (experiment exposure). */
  exposure?: { tracker: ExposureTracker; guards: readonly Guard[]; slot: string | null };
}

type Read = [name: string, key: string | null];

export interface IncludeRunnerOptions {
  pageUrl: URL;
  vars: EsiVariables;
  settings: Settings;
  fetchFragment: FragmentFetcher;
  now: () => number;
  problem: (message: string) => void;
}

type Attempt =
  | { ok: true; result: Extract<FragmentResult, { ok: true }>; path: string; reads: Read[] }
  | { ok: false; outcome: Exclude<FragmentOutcome, 'ok' | 'alt'>; cache: FragmentCache; path: string };

export class IncludeRunner {
  readonly entries: FragmentReport[] = [];
  perVisitor = false;
  private readonly fetches = new Map<string, Promise<FragmentResult>>();
  private readonly cap: number;
  private readonly deadlineAt: number;

  constructor(private readonly options: IncludeRunnerOptions) {
    this.cap = Math.min(options.settings.maxIncludes, MAX_INCLUDES_HARD_CAP);
    this.deadlineAt = options.now() + options.settings.pageDeadlineMs;
  }

  get fetchCount(): number {
    return this.fetches.size;
  }

  async run(spec: IncludeSpec): Promise<Rendered> {
    const entry: FragmentReport = { src: '', outcome: 'error', ms: 0, cache: 'PASS' };
    if (this.entries.length < MAX_REPORTED_INCLUDES) this.entries.push(entry);
    const started = this.options.now();
    const first = this.ranked(spec, await this.attempt(spec.src, spec));
    entry.src = first.path;
    const second = !first.ok && first.outcome !== 'skipped' && spec.alt !== null ? this.ranked(spec, await this.attempt(spec.alt, spec)) : null;
    entry.ms = this.options.now() - started;
    const used = first.ok ? first : second?.ok ? second : null;
    const transient = isTransient(first) || (second !== null && isTransient(second));
    if (used !== null && used.ok) {
      entry.outcome = first.ok ? 'ok' : 'alt';
      entry.cache = used.result.cache;
      const exposure = spec.exposure;
      if (exposure) for (const [name, key] of used.reads) exposure.tracker.record(name, key, exposure.slot ?? slotOfPath(used.path), exposure.guards);
      const ttlMs = transient ? null : used.result.ttlMs;
      return { chunks: [used.result.body], failed: false, ttlMs, surrogateKeys: used.result.surrogateKeys };
    }
    if (!first.ok) {
      entry.outcome = first.outcome;
      entry.cache = first.cache;
    }
    const ttlMs = transient ? null : Number.POSITIVE_INFINITY;
    return { chunks: [], failed: !spec.continueOnError, ttlMs, surrogateKeys: [] };
  }

  /** A ranked include's body goes through the ranking; a candidate document that does not parse fails. */
  private ranked(spec: IncludeSpec, attempt: Attempt): Attempt {
    if (!spec.rank || !attempt.ok) return attempt;
    this.perVisitor ||= rankedForVisitor(this.options.vars);
    const ranked = rankFragment(attempt.result.body, spec.rank, this.options.vars, this.options.settings);
    if (ranked.ok) return { ...attempt, result: { ...attempt.result, body: ranked.body } };
    this.options.problem(`ranked include failed: ${ranked.reason}`);
    return { ok: false, outcome: 'error', cache: attempt.result.cache, path: attempt.path };
  }

  private async attempt(value: string | null, spec: IncludeSpec): Promise<Attempt> {
    if (value === null) return { ok: false, outcome: 'refused', cache: 'PASS', path: '' };
    const reads: Read[] = [];
    const substituted = withReadListener(this.options.vars, (name, key) => void reads.push([name, key]), () => substituteInUri(value, this.options.vars));
    this.perVisitor ||= substituted.usesVisitor;
    const shape = substituted.hasVariables ? substituted.shape : null;
    const target = resolveInclude(substituted.text, this.options.pageUrl, this.options.settings, shape);
    if (!target.ok) {
      this.options.problem(`include refused: ${target.reason}`);
      return { ok: false, outcome: 'refused', cache: 'PASS', path: target.path };
    }
    const path = target.url.pathname;
    const remaining = this.deadlineAt - this.options.now();
    const timeoutMs = Math.min(spec.timeoutMs ?? this.options.settings.fragmentTimeoutMs, remaining);
    if (timeoutMs <= 0) return { ok: false, outcome: 'timeout', cache: 'PASS', path };
    const candidates = spec.rank !== null;
    const key = `${substituted.usesVisitor ? 'visitor' : 'shared'}${candidates ? ' candidates' : ''} ${target.url.href}`;
    let fetch = this.fetches.get(key);
    if (fetch === undefined) {
      if (this.fetches.size >= this.cap) return { ok: false, outcome: 'skipped', cache: 'PASS', path };
      const request = { url: target.url, backend: target.backend, perVisitor: substituted.usesVisitor, timeoutMs, candidates };
      fetch = this.options.fetchFragment(request).catch((): FragmentResult => ({ ok: false, reason: 'error', cache: 'PASS' }));
      this.fetches.set(key, fetch);
    }
    const deadline = startDeadline(timeoutMs);
    const result = await deadline.race(fetch);
    deadline.clear();
    if (result === TIMED_OUT) return { ok: false, outcome: 'timeout', cache: 'PASS', path };
    if (result.ok) return { ok: true, result, path, reads };
    return { ok: false, outcome: result.reason === 'timeout' ? 'timeout' : 'error', cache: result.cache, path };
  }
}

/** A failure that may not happen next time: a page showing its fallback must not be cached. */
function isTransient(attempt: Attempt): boolean {
  return !attempt.ok && (attempt.outcome === 'timeout' || attempt.outcome === 'error');
}
