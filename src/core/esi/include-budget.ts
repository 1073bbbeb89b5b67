/**
 * The bytes includes may still add to one page (MAX_INSERTED_BYTES). Identical final URLs are
 * fetched once but inserted as often as the template names them, so the fetch cap alone does not
 * bound a page: 1,000 includes of one 256 KiB fragment made a 250 MiB page. An include whose body
 * no longer fits fails as `skipped`, the way one past the fetch cap does (its alt is not tried; an
 * enclosing attempt gives way to its except), and the page it leaves is not cached (it is missing
 * content it would have had). The template keeps streaming: it is bounded by its own cap, and a
 * page missing a fragment is the documented failure; cutting it short would drop its closing markup
 * and scripts too.
 */
import type { FragmentReport } from './assembly-report.ts';
import { MAX_INSERTED_BYTES } from './esi-limits.ts';

export class IncludeBudget {
  private left = MAX_INSERTED_BYTES;
  /** Includes refused so far (told once per page: assembly-report.ts). */
  refused = 0;

  /**
   * Takes `bytes` from what is left and writes `outcome` into the include's entry, or, when they
   * do not fit, writes `skipped` and counts the refusal; false then. One compare per insertion.
   */
  takes(bytes: number, entry: FragmentReport, outcome: 'ok' | 'alt'): boolean {
    if (bytes <= this.left) {
      this.left -= bytes;
      entry.outcome = outcome;
      return true;
    }
    this.refused++;
    entry.outcome = 'skipped';
    return false;
  }
}
