/**
 * Plain includes of one `src` that wait on its pending fetch past the report's bound: a hostile
 * template's 1,000 includes of one 256 KiB fragment are mostly these, and all but 24 of them are
 * refused by the inserted-bytes cap (insert-budget.ts) once the fetch settles. Each one is only its
 * part (a `Later` the output queue waits on in document order): no spec, clock reading, target,
 * attempt, entry or listener of its own (the guest paid ~6 µs an include for them). One listener on
 * the fetch settles them all, in the order they came, each as a lone include of `src` would settle:
 * its body taken from the budget (refused: `skipped`), or the fetch's failure. They share the first
 * one's deadline, which is theirs but for the time the template took to parse between them.
 *
 * Plain: `src` alone (no alt, timeout or onerror, not ranked), and no slot or enclosing try for
 * its exposure. An include of the same fetch that is not plain, arriving after the first of them,
 * settles after all of them: it may be refused where, in document order, a later one would be.
 */
import { Later } from '../later.ts';
import type { Rendered } from './rendered-part.ts';
import type { IncludeSpec } from './include-spec.ts';
import type { InsertBudget } from './insert-budget.ts';
import { attemptOf, type Settled, type Target } from './shared-fetches.ts';
import { failedPart, isTransient } from './include-failure.ts';
import { InsertedPart } from './fragment-facts.ts';

/** Whether an include may wait with others of its `src` (see above). */
export function waitsAsPlain(spec: IncludeSpec): boolean {
  const exposure = spec.exposure;
  return spec.alt === null && spec.timeoutMs === null && !spec.continueOnError && !spec.rank && (exposure === undefined || (exposure.slot === null && exposure.guards.length === 0));
}

/** A page's waiting includes, by `src`: each `src` while its fetch is pending. */
export class WaitingIncludes {
  private readonly bySrc = new Map<string, Array<Later<Rendered>>>();

  constructor(private readonly budget: InsertBudget) {}

  /** A part for one more plain include of `src`, when others of it wait; else null. */
  part(src: string): Later<Rendered> | null {
    const parts = this.bySrc.size === 0 ? undefined : this.bySrc.get(src);
    return parts === undefined ? null : added(parts);
  }

  /** The part of the first plain include of `src` to wait on `fetching` (`spec` is its, whose exposure is theirs). */
  first(src: string, fetching: Later<Settled>, target: Target, spec: IncludeSpec): Later<Rendered> {
    const parts: Array<Later<Rendered>> = [];
    this.bySrc.set(src, parts);
    fetching.on((result) => {
      this.bySrc.delete(src);
      this.settle(parts, result, target, spec);
    });
    return added(parts);
  }

  private settle(parts: ReadonlyArray<Later<Rendered>>, result: Settled, target: Target, spec: IncludeSpec): void {
    const attempt = attemptOf(result, target);
    if (!attempt.ok) {
      const failed = failedPart(false, isTransient(attempt));
      for (let i = 0; i < parts.length; i++) parts[i]!.set(failed);
      return;
    }
    const body = attempt.result.body;
    // Parts are only ever read: the includes that fit share one, whose TTL and keys are read only if the page is stored.
    const inserted: Rendered = new InsertedPart(attempt.result, false);
    const exposure = spec.exposure;
    let fit = 0;
    while (fit < parts.length && this.budget.takes(body.length)) fit++;
    // The first refusal closed the budget and counted itself; the rest are refused as well.
    if (fit < parts.length - 1) this.budget.skipped(parts.length - fit - 1);
    if (exposure) for (let i = 0; i < fit; i++) exposure.tracker.recordInclude(attempt.reads, null, attempt.path, exposure.guards);
    // Set from the last: the output queue waits on the first, and then takes them all in one pump.
    const refused = failedPart(false, true);
    for (let i = parts.length - 1; i >= 0; i--) parts[i]!.set(i < fit ? inserted : refused);
  }
}

function added(parts: Array<Later<Rendered>>): Later<Rendered> {
  const part = new Later<Rendered>();
  parts.push(part);
  return part;
}
