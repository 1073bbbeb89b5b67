/**
 * The bytes a page may still insert into its template (MAX_INSERTED_BYTES): included bodies and
 * the values of variables in `<esi:vars>`. Identical final URLs are fetched once but inserted as
 * often as the template names them, and a variable (a 4,000-character query parameter) as often as
 * it is written, so neither the fetch cap nor the template cap bounds a page: 1,000 includes of one
 * 256 KiB fragment made a 250 MiB page, 100,000 `$(QUERY_STRING{q})` a 1.5 GiB one.
 *
 * An include whose body no longer fits fails as `skipped`, the way one past the fetch cap does (its
 * alt is not tried; an enclosing attempt gives way to its except); past the cap the rest of a vars
 * text passes through unsubstituted, as text past the element cap does. The template keeps
 * streaming: it is bounded by its own cap, and a page missing a fragment is the documented failure,
 * while cutting it short would also drop its closing markup and scripts. A page that hit the cap is
 * not stored (assembly-report.ts).
 */
import type { FragmentReport } from './assembly-report.ts';
import { MAX_INSERTED_BYTES, MAX_VARIABLE_BYTES, MAX_VARIABLE_VALUES } from './esi-limits.ts';
import type { ValueBudget } from './variable-substitution.ts';

export class InsertBudget implements ValueBudget {
  private left = MAX_INSERTED_BYTES;
  /** Insertions refused so far (told once per page: assembly-report.ts). */
  refused = 0;
  /** Values still allowed, and their bytes (MAX_VARIABLE_VALUES, MAX_VARIABLE_BYTES). */
  private values = MAX_VARIABLE_VALUES;
  private valueBytesLeft = MAX_VARIABLE_BYTES;

  /** A refusal closed the budget: an include of a plain path is then skipped at once, without its fetch (include-skips.ts). A field, read per include. */
  closed = false;

  /** Counts `count` includes skipped at once past the cap. */
  skipped(count: number): void {
    this.refused += count;
  }

  /** Takes `bytes` from what is left; false, counted, when they do not fit. One compare. */
  takes(bytes: number): boolean {
    if (bytes <= this.left) {
      this.left -= bytes;
      return true;
    }
    this.refuse();
    return false;
  }

  /** Counts a refusal and closes the budget: past the cap nothing more goes in, not even a smaller part that would fit. */
  private refuse(): null {
    this.refused++;
    this.closed = true;
    this.left = 0;
    return null;
  }

  /**
   * A variable's bytes as `encode` makes them, or null past the caps (the budget closed, more than
   * MAX_VARIABLE_VALUES values or MAX_VARIABLE_BYTES bytes of them): the caller passes the rest of
   * its text through unsubstituted, with no work per reference. A value whose characters alone do
   * not fit is not even escaped.
   */
  valueBytes(value: string, encode: (value: string) => Uint8Array): Uint8Array | null {
    if (this.refused > 0 || --this.values < 0 || value.length > this.valueBytesLeft) return this.refuse();
    const bytes = encode(value);
    if (bytes.length > this.valueBytesLeft || !this.takes(bytes.length)) return this.refuse();
    this.valueBytesLeft -= bytes.length;
    return bytes;
  }

  /**
   * Counts each `reference` in `text` as a value (`$(DECISION)`, whose bytes come later): where the
   * first one past the caps starts, or the text's length when all fit. A native search per reference,
   * at most MAX_VARIABLE_VALUES of them.
   */
  valuesEnd(text: string, reference: string): number {
    for (let at = text.indexOf(reference); at !== -1; at = text.indexOf(reference, at + reference.length)) {
      if (this.refused > 0 || --this.values < 0) {
        this.refuse();
        return at;
      }
    }
    return text.length;
  }

  /** `takes` for an include's body, writing its entry's outcome: `outcome`, or `skipped`. */
  takesInclude(bytes: number, entry: FragmentReport, outcome: 'ok' | 'alt'): boolean {
    const taken = this.takes(bytes);
    entry.outcome = taken ? outcome : 'skipped';
    return taken;
  }
}
