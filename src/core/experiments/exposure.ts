/**
 * Which experiments a page exposed, and in which slots. An experiment is exposed when a rendered
 * part of the page read its `$(VARIANT{exp})`: a read counts only if every `esi:try` around it
 * rendered the section the read was in (an attempt whose include failed gave way to its except, so
 * what the attempt read never reached the visitor), and an include's read counts only for the URL
 * whose body was inserted (a `src` that failed gave way to its `alt`). Unselected `when` branches
 * and unused except branches are never processed, so they read nothing. A `when` test that was
 * evaluated counts: its choose rendered one branch or the other because of the value.
 *
 * The slot of a read is where clicks can be credited to the experiment: an include's `slot`
 * attribute, else the last path segment of the fragment inserted (`/fragments/hero` → `hero`);
 * for `<esi:vars>` and `test`, the `slot` attribute of the nearest enclosing ESI element, else
 * `page` (the page as a whole, which no beacon slot matches).
 */

export interface TryOutcome {
  rendered: 'attempt' | 'except' | null;
}

export interface Guard {
  outcome: TryOutcome;
  section: 'attempt' | 'except';
}

/** Experiment id → the slots its variable shaped, sorted. */
export type Exposure = Readonly<Record<string, readonly string[]>>;

export const PAGE_SLOT = 'page';
const SLOT = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_READS = 256;
const SLASH = 0x2f;

export class ExposureTracker {
  private readonly reads: Array<{ experiment: string; slot: string; guards: readonly Guard[] }> = [];

  /** Records a variable read; only `VARIANT{exp}` reads matter. */
  record(name: string, key: string | null, slot: string, guards: readonly Guard[]): void {
    if (name !== 'VARIANT' || key === null || this.reads.length >= MAX_READS) return;
    this.reads.push({ experiment: key, slot, guards });
  }

  /** `record` for each `[name, key]` an include's URL read; an indexed loop, since `for…of` runs interpreted iterator code in the guest. */
  recordAll(reads: ReadonlyArray<readonly [string, string | null]>, slot: string, guards: readonly Guard[]): void {
    for (let i = 0; i < reads.length; i++) this.record(reads[i]![0], reads[i]![1], slot, guards);
  }

  /**
   * `recordAll` for an inserted include: `slot` (its attribute), else the last segment of the
   * path inserted, worked out only when the include's URL read a variable. Most includes read
   * none, and every inserted include of every page passes here.
   */
  recordInclude(reads: ReadonlyArray<readonly [string, string | null]>, slot: string | null, path: string, guards: readonly Guard[]): void {
    if (reads.length > 0) this.recordAll(reads, slot ?? slotOfPath(path), guards);
  }

  /** The exposure so far, keeping only reads whose enclosing try sections were rendered. */
  exposure(known: (experiment: string) => boolean): Exposure {
    // Indexed loops and plain arrays: in the Wasm guest `for…of`, spreads and Set iteration run
    // the engine's self-hosted iterator code, interpreted.
    const slots: Record<string, string[]> = {};
    const experiments: string[] = [];
    for (let i = 0; i < this.reads.length; i++) {
      const read = this.reads[i]!;
      if (!known(read.experiment) || !rendered(read.guards)) continue;
      let list = Object.hasOwn(slots, read.experiment) ? slots[read.experiment] : undefined;
      if (list === undefined) {
        slots[read.experiment] = list = [];
        experiments.push(read.experiment);
      }
      if (!list.includes(read.slot)) list.push(read.slot);
    }
    const out: Record<string, readonly string[]> = {};
    experiments.sort();
    for (let i = 0; i < experiments.length; i++) out[experiments[i]!] = slots[experiments[i]!]!.sort();
    return out;
  }
}

function rendered(guards: readonly Guard[]): boolean {
  for (let i = 0; i < guards.length; i++) if (guards[i]!.outcome.rendered !== guards[i]!.section) return false;
  return true;
}

/** A slot name from an attribute, or null when absent or not a token. */
export function slotAttribute(attributes: ReadonlyMap<string, string> | null | undefined): string | null {
  const slot = attributes?.get('slot');
  return slot !== undefined && SLOT.test(slot) ? slot : null;
}

/** The default slot of an include: the last segment of the inserted fragment's path. */
export function slotOfPath(path: string): string {
  // The last non-empty segment by native searches: a `filter` callback per segment runs
  // interpreted in the Wasm guest. The loop only steps over trailing slashes.
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === SLASH) end--;
  const segment = path.slice(path.lastIndexOf('/', end - 1) + 1, end);
  return SLOT.test(segment) ? segment : PAGE_SLOT;
}
