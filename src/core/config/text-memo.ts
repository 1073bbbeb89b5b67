/**
 * Parsed config documents remembered by their exact text. The three documents are validated field
 * by field, which inside the Wasm guest is interpreted JavaScript: ~0.15 ms for `settings` and
 * ~0.25 ms for `segments` and `experiments` together, on every request. Keyed by the whole text, an
 * entry cannot go stale: an edited document is a different key and is parsed as before. A result
 * is frozen all the way down, so handing the same value to every request is safe; its problem
 * list is copied, since callers may add to theirs.
 *
 * Compute runs each request in a fresh copy of the build-time snapshot, so there a document hits
 * only if it was parsed while the module was snapshotted (the warm-up parses the documents the
 * service ships with: warm-up.ts). A long-lived host (Node) fills it as requests come.
 */
import type { Parsed } from './parsed-document.ts';

/** Entries per document: the shipped text, the warm-up's samples, the live one, one edit. */
const SIZE = 4;

export function memoByText<T>(parse: (text: string) => Parsed<T>): (text: string) => Parsed<T> {
  const memo = new Map<string, Parsed<T>>();
  return (text) => {
    let parsed = memo.get(text);
    if (parsed === undefined) {
      parsed = parse(text);
      // Oldest out first; Map keeps insertion order. Only a store edited several times reaches it.
      if (memo.size >= SIZE) memo.delete(memo.keys().next().value!);
      memo.set(text, parsed);
    }
    return { value: parsed.value, problems: parsed.problems.slice() };
  };
}
