/**
 * One expression for "is any of these paths fetched already": once a page's fetch cap is reached
 * its fetch keys no longer change, and a hostile template's runs of 32 includes (include-run.ts)
 * are each checked against them. Inside the Wasm guest one native test over the run's srcs as
 * lines costs less than a string concatenation and a `Map.has` per src (~1.5 µs each).
 */

/** Characters with a meaning in a RegExp, escaped to match a path literally. */
const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/-]/g;

/**
 * Matches a line (ended by `\n`) that is the rest of a key of `keys` starting with `prefix`;
 * null when no key does. A key holding a line break could only make a line match that is not
 * fetched, which costs a run its shortcut and never changes an answer.
 */
export function fetchedPathLines(keys: Iterable<string>, prefix: string): RegExp | null {
  const paths: string[] = [];
  for (const key of keys) if (key.startsWith(prefix)) paths.push(key.slice(prefix.length).replace(REGEX_SYNTAX, '\\$&'));
  return paths.length === 0 ? null : new RegExp(`^(?:${paths.join('|')})$`, 'm');
}
