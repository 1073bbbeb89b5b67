/**
 * A synchronous throw turned into the rejection an `async` function would have returned, for
 * functions written with `then` to save promises in the Wasm guest: callers `.catch` or `await`
 * them and must see the same failure either way.
 */
export function rejected(error: unknown): Promise<never> {
  return Promise.reject(error instanceof Error ? error : new Error(String(error)));
}
