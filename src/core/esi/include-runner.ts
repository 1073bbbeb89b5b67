/**
 * Runs includes (the ESI dialect of docs/contracts.md): resolves `src`, fetches each distinct URL
 * once, at most `maxIncludes` fetches (hard cap 24, alts included), each bounded by its timeout and
 * the page deadline, inserts at most MAX_INSERTED_BYTES in all (insert-budget.ts), falls back to
 * `alt`, one report entry per include; a failure adds no bytes. In the Wasm guest an include settled without
 * waiting (refused, skipped, past the deadline) returns its result at once, not a promise; one timer bounds the fetches.
 */
import type { FragmentReport } from './assembly-report.ts';
import type { FragmentResult } from './fragment-fetcher.ts';
import { MAX_REPORTED_INCLUDES } from './esi-limits.ts';
import type { Part, Rendered } from './rendered-part.ts';
import type { EsiVariables } from './esi-variables.ts';
import { rankedAttempt, type Hole } from './ranked-include.ts';
import type { IncludeSpec } from './include-spec.ts';
import { attemptOf, SharedFetches, type Attempt, type FetchesOptions, type Fetching, type Settled } from './shared-fetches.ts';
import { IncludeTargets, type IncludeTarget, type Read } from './include-targets.ts';
import { Later, thenDo, type Eventually } from '../later.ts';
import { failedPart, isTransient } from './include-failure.ts';
import { InsertBudget } from './insert-budget.ts';
import { WaitingIncludes, waitsAsPlain } from './waiting-includes.ts';
import { skipsAtOnce } from './include-skips.ts';
import { InsertedPart } from './fragment-facts.ts';

export interface IncludeRunnerOptions extends FetchesOptions {
  pageUrl: URL | string;
  vars: EsiVariables;
  problem: (message: string) => void;
}

export class IncludeRunner {
  readonly entries: FragmentReport[] = [];
  /** Read by the skips too (include-skips.ts), which are functions over these parts, not an object per page. */
  readonly targets: IncludeTargets;
  readonly fetches: SharedFetches;
  readonly budget = new InsertBudget();
  /** The runner is its own `Ranking` (ranked-include.ts): the ranked outputs' holes, and whether one could not be a hole. */
  forVisitor = false;
  holes: Map<Uint8Array, Hole> | null = null;
  private readonly unreported: FragmentReport = { src: '', outcome: 'error', ms: 0, cache: 'PASS' };
  /** Plain includes past the report's bound waiting on a pending fetch (waiting-includes.ts). */
  private readonly waiting = new WaitingIncludes(this.budget);

  constructor(readonly options: IncludeRunnerOptions) {
    this.targets = new IncludeTargets(options);
    this.fetches = new SharedFetches(options);
  }

  /** Whether any include may be skipped at once (include-skips.ts): the fetch cap is reached or the budget closed. */
  get skipsAny(): boolean {
    return this.fetches.full || this.budget.closed;
  }

  /** Some include's src or alt used $(VISITOR), or a ranked output could not be a hole. */
  get perVisitor(): boolean {
    return this.targets.perVisitor || this.forVisitor;
  }

  /**
   * At the page's root, the part of an include of `src` alone when others of it wait on its fetch past the report's
   * bound (waiting-includes.ts), or null: no spec, entry or exposure record for it.
   */
  waitingPart(attributes: ReadonlyMap<string, string> | null): Part | null {
    if (this.entries.length < MAX_REPORTED_INCLUDES || attributes === null || attributes.size !== 1 || this.skipsAny) return null;
    const src = attributes.get('src');
    return src === undefined ? null : this.waiting.part(src);
  }

  run(spec: IncludeSpec): Part {
    if (this.skipsAny && spec.src !== null && !spec.rank && skipsAtOnce(this, spec.src, spec.timeoutMs)) return failedPart(spec.continueOnError, false);
    // Past the report's bound an include's entry is written and dropped: one object for all of them.
    const reported = this.entries.length < MAX_REPORTED_INCLUDES;
    const waiting = reported || spec.src === null || !waitsAsPlain(spec) ? null : this.waiting.part(spec.src);
    if (waiting !== null) return waiting;
    const entry: FragmentReport = reported ? { src: '', outcome: 'error', ms: 0, cache: 'PASS' } : this.unreported;
    if (reported) this.entries.push(entry);
    // One clock read per include (each is a hostcall in the guest): an include settled at once took 0 ms.
    const started = this.options.now();
    if (spec.src !== null) return this.fetchedOrAtOnce(spec, entry, started, spec.src);
    const first = this.attempt(spec, spec.src, started);
    if (!(first instanceof Later)) return this.afterFirst(spec, entry, started, first);
    return thenDo(first, (attempt) => this.afterFirst(spec, entry, started, attempt, true));
  }

  /**
   * An include with a `src`: its fetch's result goes through one listener and one `Later` to the part (ranked there if
   * asked), not a `Later` per step; a body fetched for a plain include makes its part without the steps an alt needs.
   */
  private fetchedOrAtOnce(spec: IncludeSpec, entry: FragmentReport, started: number, src: string): Part {
    const target = this.targets.resolve(src);
    if (!target.ok) return this.afterFirst(spec, entry, started, this.refused(target));
    const rank = spec.rank ?? null;
    const fetching = this.fetches.attempt(target, spec.timeoutMs, started, rank !== null);
    if (!(fetching instanceof Later)) return this.afterFirst(spec, entry, started, rank === null ? fetching : rankedAttempt(fetching, rank, this.options, this));
    if (entry === this.unreported && waitsAsPlain(spec)) return this.waiting.first(src, fetching, target, spec);
    const out = new Later<Rendered>();
    fetching.on((settled: Settled) => {
      if (rank === null && typeof settled === 'object' && settled.ok) return out.set(this.inserted(spec, entry, started, settled, target, 'ok', false));
      const attempt = attemptOf(settled, target);
      const rendered = this.afterFirst(spec, entry, started, rank === null ? attempt : rankedAttempt(attempt, rank, this.options, this), true);
      if (rendered instanceof Later) rendered.on((value) => out.set(value));
      else out.set(rendered);
    });
    return out;
  }

  private afterFirst(spec: IncludeSpec, entry: FragmentReport, started: number, first: Attempt, waited = false): Eventually<Rendered> {
    entry.src = first.path;
    if (first.ok || first.outcome === 'skipped' || spec.alt === null) return this.finish(spec, entry, waited ? started : null, first, null);
    const second = this.attempt(spec, spec.alt, waited ? this.options.now() : started);
    if (!(second instanceof Later)) return this.finish(spec, entry, waited ? started : null, first, second);
    return thenDo(second, (attempt) => this.finish(spec, entry, started, first, attempt));
  }

  private attempt(spec: IncludeSpec, value: string | null, now: number): Eventually<Attempt> {
    if (value === null) return { ok: false, outcome: 'refused', cache: 'PASS', path: '' };
    const target = this.targets.resolve(value);
    if (!target.ok) return this.refused(target);
    const fetching: Fetching = this.fetches.attempt(target, spec.timeoutMs, now, spec.rank !== null);
    const attempt = fetching instanceof Later ? thenDo(fetching, (settled) => attemptOf(settled, target)) : fetching;
    const rank = spec.rank;
    return rank ? thenDo(attempt, (done) => rankedAttempt(done, rank, this.options, this)) : attempt;
  }

  private refused(target: Extract<IncludeTarget, { ok: false }>): Attempt {
    this.options.problem(`include refused: ${target.reason}`);
    return { ok: false, outcome: 'refused', cache: 'PASS', path: target.path };
  }

  /** `started` is null when nothing was waited for. */
  private finish(spec: IncludeSpec, entry: FragmentReport, started: number | null, first: Attempt, second: Attempt | null): Rendered {
    const used = first.ok ? first : second?.ok ? second : null;
    const transient = isTransient(first) || (second !== null && isTransient(second));
    if (used !== null && used.ok) return this.inserted(spec, entry, started, used.result, used, first.ok ? 'ok' : 'alt', transient);
    entry.ms = started === null || entry === this.unreported ? 0 : this.options.now() - started;
    if (!first.ok) ({ outcome: entry.outcome, cache: entry.cache } = first);
    return failedPart(spec.continueOnError, transient);
  }

  /** The part a fetched body makes, its entry filled in (`entry.src` is the first attempt's, set already unless `used` is it); past the page's inserted bytes a failure (insert-budget.ts). */
  private inserted(spec: IncludeSpec, entry: FragmentReport, started: number | null, result: Extract<FragmentResult, { ok: true }>, used: { path: string; reads: readonly Read[] }, outcome: 'ok' | 'alt', transient: boolean): Rendered {
    if (outcome === 'ok') entry.src = used.path;
    entry.ms = started === null || entry === this.unreported ? 0 : this.options.now() - started;
    entry.cache = result.cache;
    if (!this.budget.takesInclude(result.body.length, entry, outcome)) return failedPart(spec.continueOnError, true);
    const exposure = spec.exposure;
    if (exposure) exposure.tracker.recordInclude(used.reads, exposure.slot, used.path, exposure.guards);
    // Its TTL and keys are read from the result only if the page is stored (fragment-facts.ts).
    return new InsertedPart(result, transient);
  }
}
