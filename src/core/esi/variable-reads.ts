/**
 * Which ESI variables a page read. Every read of a value for the page goes through `variableValue`,
 * which notes it beside the values (WeakMaps keyed by them, so the record lives as long as the
 * page's variables): the page cache keys on the reads, experiment exposure on who made them.
 */
import { valueOf, type EsiVariables } from './esi-variables.ts';

/**
 * What the page read, and who is told of each read now: one record per page, so a read costs one
 * WeakMap lookup and a listener one field write (a WeakMap `set` and `delete` per listener and a
 * second lookup per read cost the guest's interpreter on every include that reads a variable).
 * Each variable read once, in a list beside the set: spreading a set runs interpreted iterator code in the guest.
 */
interface PageReads {
  seen: Set<string>;
  list: string[];
  listener: ((name: string, key: string | null) => void) | null;
}

const reads = new WeakMap<EsiVariables, PageReads>();

function pageReads(vars: EsiVariables): PageReads {
  let read = reads.get(vars);
  if (read === undefined) reads.set(vars, (read = { seen: new Set(), list: [], listener: null }));
  return read;
}

/**
 * Runs `work` (synchronous) with `listener` told of every variable it reads, so a caller can tell
 * which part of the page read what (experiment exposure) without a second scan.
 */
export function withReadListener<T>(vars: EsiVariables, listener: (name: string, key: string | null) => void, work: () => T): T {
  const read = pageReads(vars);
  const previous = read.listener;
  read.listener = listener;
  try {
    return work();
  } finally {
    read.listener = previous;
  }
}

/**
 * Every variable read so far for these values (`SEGMENT`, `VARIANT{hero-copy}`, ...), in any
 * attribute, test or `<esi:vars>` body. The page's output is a function of the template, the
 * fragments and exactly these values, which is what lets the page cache key on them alone.
 * `also` is one more read told at the end (a `$(DECISION)` token names the segment), so the part
 * that used it need not come back here mid-page.
 */
export function variablesRead(vars: EsiVariables, also: string | null = null): string[] {
  const read = reads.get(vars);
  const list = (read?.list ?? []).slice();
  if (also !== null && read?.seen.has(also) !== true) list.push(also);
  return list.sort();
}

function recordRead(vars: EsiVariables, name: string, key: string | null): void {
  const read = pageReads(vars);
  const id = key === null ? name : `${name}{${key}}`;
  if (!read.seen.has(id)) {
    read.seen.add(id);
    read.list.push(id);
  }
  read.listener?.(name, key);
}

/** The value of `$(name{key})`; '' when unknown or missing. */
export function variableValue(vars: EsiVariables, name: string, key: string | null): string {
  recordRead(vars, name, key);
  return valueOf(vars, name, key);
}

