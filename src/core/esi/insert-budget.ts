/**
 * The bytes a page may still insert into its template (MAX_INSERTED_BYTES): included bodies and
 * the values of variables in `<esi:vars>`. Identical final URLs are fetched once but inserted as
 * often as the template names them, and a variable (a 4,000-character query parameter) as often as
 * it is written, so neither the fetch cap nor the template cap bounds a page: 1,000 includes of one
 * 256 KiB fragment made a 250 MiB page, 100,000 `$(QUERY_STRING{q})` a 1.5 GiB one.
 *
 * An include whose body no longer fits fails as `skipped`, the way one past the fetch cap does (its
 * alt is not tried; an enclosing attempt gives way to its except); a value that no longer fits is
 * empty, like an unknown variable. The template keeps streaming: it is bounded by its own cap, and
 * a page missing a fragment is the documented failure, while cutting it short would also drop its
 * closing markup and scripts. A page that hit the cap is not stored (assembly-report.ts).
 */
import type { FragmentReport } from './assembly-report.ts';
import { MAX_INSERTED_BYTES } from './esi-limits.ts';
import type { ValueBudget } from './variable-substitution.ts';

const NONE = new Uint8Array(0);

export class InsertBudget implements ValueBudget {
  private left = MAX_INSERTED_BYTES;
  /** Insertions refused so far (told once per page: assembly-report.ts). */
  refused = 0;

  /** Takes `bytes` from what is left; false, counted, when they do not fit. One compare. */
  takes(bytes: number): boolean {
    if (bytes <= this.left) {
      this.left -= bytes;
      return true;
    }
    this.refuse();
    return false;
  }

  /**
   * Counts a refusal and closes the budget: past the cap nothing more goes in (not even a smaller
   * part that would fit), so the page is cut at one point and every later value is refused at once.
   */
  private refuse(): void {
    this.refused++;
    this.left = 0;
  }

  /**
   * A variable's bytes as `encode` makes them when they fit, else none (counted). A value whose
   * characters alone do not fit is refused without escaping and encoding it: past the cap a
   * template of 100,000 references to a 4,000-character value costs no encoding.
   */
  valueBytes(value: string, encode: (value: string) => Uint8Array): Uint8Array {
    if (value.length === 0) return NONE;
    if (value.length <= this.left) {
      const bytes = encode(value);
      if (this.takes(bytes.length)) return bytes;
    } else {
      this.refuse();
    }
    return NONE;
  }

  /** `takes` for an include's body, writing its entry's outcome: `outcome`, or `skipped`. */
  takesInclude(bytes: number, entry: FragmentReport, outcome: 'ok' | 'alt'): boolean {
    const taken = this.takes(bytes);
    entry.outcome = taken ? outcome : 'skipped';
    return taken;
  }
}
