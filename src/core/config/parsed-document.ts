/**
 * What the reader of every `personalization_config` document returns, and the small checks all of
 * them share. A document is parsed at the boundary into a complete value plus its problems as data,
 * so the decision log can say why the defaults applied; nothing loosely typed flows inward.
 */

export interface Parsed<T> {
  value: T;
  problems: string[];
}

/** A JSON object: not null and not an array (both are `typeof 'object'`). */
export function isRecord(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

/**
 * Records one problem. The null it returns stands in for the part that failed; a document with any
 * problem is rejected as a whole, so the stand-in never reaches a caller.
 */
export function fail(problems: string[], message: string): null {
  problems.push(message);
  return null;
}
