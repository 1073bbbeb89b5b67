/**
 * Whether a parsed JSON list holds only strings, for the page tier's stored documents (a page's
 * exposed experiments, a template's variation). An indexed loop, not `every`: both are read on page
 * requests, and in the Wasm guest `every` runs the engine's self-hosted code with an interpreted
 * call per entry.
 */
export function allStrings(list: unknown[]): list is string[] {
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') return false;
  return true;
}
