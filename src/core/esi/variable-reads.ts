/**
 * Which ESI variables a page read. Every read of a value for the page goes through `variableValue`,
 * which notes it beside the values (WeakMaps keyed by them, so the record lives as long as the
 * page's variables): the page cache keys on the reads, experiment exposure on who made them.
 */
import { valueOf, type EsiVariables } from './esi-variables.ts';

/** Each variable read once, in a list beside the set: spreading a set runs interpreted iterator code in the guest. */
const reads = new WeakMap<EsiVariables, { seen: Set<string>; list: string[] }>();
const listeners = new WeakMap<EsiVariables, (name: string, key: string | null) => void>();

/**
 * Runs `work` (synchronous) with `listener` told of every variable it reads, so a caller can tell
 * which part of the page read what (experiment exposure) without a second scan.
 */
export function withReadListener<T>(vars: EsiVariables, listener: (name: string, key: string | null) => void, work: () => T): T {
  const previous = listeners.get(vars);
  listeners.set(vars, listener);
  try {
    return work();
  } finally {
    if (previous) listeners.set(vars, previous);
    else listeners.delete(vars);
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
  let read = reads.get(vars);
  if (!read) reads.set(vars, (read = { seen: new Set(), list: [] }));
  const id = key === null ? name : `${name}{${key}}`;
  if (!read.seen.has(id)) {
    read.seen.add(id);
    read.list.push(id);
  }
  listeners.get(vars)?.(name, key);
}

/** The value of `$(name{key})`; '' when unknown or missing. */
export function variableValue(vars: EsiVariables, name: string, key: string | null): string {
  recordRead(vars, name, key);
  return valueOf(vars, name, key);
}

