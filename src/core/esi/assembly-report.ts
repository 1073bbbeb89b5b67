/**
 * What ESI assembly reports once the page is complete: one entry per include that was acted on
 * (document order), and the caching facts the page cache needs to store the page and key it
 * (docs/contracts.md, "Caching and keys"); made here once the page's output has drained.
 */
import type { FragmentCache } from './fragment-fetcher.ts';
import type { FragmentEventOutcome } from '../log/vocabulary.ts';
import type { DrainSummary } from './output-queue.ts';
import { ProblemTally } from './problem-tally.ts';
import type { EsiVariables } from './esi-variables.ts';
import { variablesRead } from './variable-reads.ts';
import { MAX_ESI_ELEMENTS, MAX_INSERTED_BYTES, MAX_VARIABLE_BYTES, MAX_VARIABLE_VALUES } from './esi-limits.ts';
import type { Later } from '../later.ts';

export type FragmentOutcome = FragmentEventOutcome;

export interface FragmentReport {
  /** The path of the include's final URL only, never its query. */
  src: string;
  outcome: FragmentOutcome;
  ms: number;
  cache: FragmentCache;
}

export interface AssemblyReport {
  fragments: FragmentReport[];
  /** Some include's src or alt used $(VISITOR), or a ranked include was adjusted for the visitor. */
  perVisitor: boolean;
  /**
   * Smallest TTL of the fragments in the output; `Infinity` when the page used none (only the
   * template's TTL counts); null when a used part is uncacheable or an include failed for a
   * transient reason (a fallback must not be cached for a fragment's lifetime).
   */
  minTtlMs: number | null;
  /** Union of the used fragments' Surrogate-Key values. */
  surrogateKeys: string[];
  /** Distinct fragment fetches started (alt fetches included). */
  fetches: number;
  /** Every variable the page read (`SEGMENT`, `VARIANT{exp}`, `GEO{region}`, ...), sorted. */
  variables: string[];
  /** ESI elements past the per-page cap, dropped unprocessed (0 on a sane page). */
  elementsDropped: number;
  /** Includes skipped and vars texts left unsubstituted past the page's caps (insert-budget.ts; 0 on a sane page). */
  outputCapped: number;
  /** The `$(DECISION)` token the page carries, when it used the variable. */
  decision: string | null;
}

const INSERTED_CAP = `includes skipped or vars text left unsubstituted past the page's caps (${MAX_INSERTED_BYTES / (1024 * 1024)} MiB inserted; ${MAX_VARIABLE_VALUES} variables, ${MAX_VARIABLE_BYTES / 1024} KiB)`;

/** What the report reads of a page whose output has drained (the include runner, tokenizer and `$(DECISION)` parts, by shape). */
export interface DrainedPage {
  onProblem: ((problem: string) => void) | undefined;
  vars: EsiVariables;
  tokenizer: { readonly dropped: number };
  runner: { readonly entries: FragmentReport[]; readonly perVisitor: boolean; readonly fetches: { readonly count: number }; readonly budget: { readonly refused: number } };
  decision: { token(): Later<string | null> | null; used(): boolean } | undefined;
}

/** Once the output drained: the problems told in one line, then the report, with the `$(DECISION)` token when the page carries one. */
export function reportDrained({ onProblem, vars, tokenizer, runner, decision }: DrainedPage, summary: DrainSummary, resolve: (report: AssemblyReport) => void, tally: ProblemTally | null): void {
  // A page without a problem (most) has no tally and nothing to tell.
  if (tally !== null || tokenizer.dropped > 0 || runner.budget.refused > 0) {
    const problems = tally ?? new ProblemTally();
    problems.add(`esi elements past the first ${MAX_ESI_ELEMENTS} dropped`, tokenizer.dropped);
    problems.add(INSERTED_CAP, runner.budget.refused);
    problems.report(onProblem);
  }
  let variables: string[] | undefined;
  const facts: AssemblyReport = {
    fragments: runner.entries,
    perVisitor: runner.perVisitor,
    // Read from the summary when asked, which only storing the page does (fragment-facts.ts). A page that hit the
    // inserted-bytes cap is missing content: never stored (insert-budget.ts).
    get minTtlMs() {
      return runner.budget.refused > 0 ? null : summary.ttlMs;
    },
    get surrogateKeys() {
      return summary.surrogateKeys;
    },
    fetches: runner.fetches.count,
    // Read only to store the page (page-finish.ts), and nothing reads a variable once the page has drained.
    get variables() {
      return (variables ??= variablesRead(vars, decision?.used() === true ? 'SEGMENT' : null));
    },
    elementsDropped: tokenizer.dropped,
    outputCapped: runner.budget.refused,
    decision: null,
  };
  const token = decision?.token() ?? null;
  if (token === null) return resolve(facts);
  token.on((value) => {
    facts.decision = value;
    resolve(facts);
  });
}
