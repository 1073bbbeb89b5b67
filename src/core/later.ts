/**
 * A value that arrives later, without promises: listeners run synchronously when it is set.
 *
 * Inside the Wasm guest every promise costs about 10 µs (the runtime records a creation and a
 * settlement timestamp for each, two clock reads), against about 0.5 µs for a plain call. An
 * include, a try block and the output queue each used to chain several promises per element; a
 * `Later` costs one object and one call per listener. Listeners must not throw: they are the ESI
 * engine's own bookkeeping, never user code.
 */
export class Later<T> {
  private settled = false;
  private current: T | undefined;
  /** The first listener, kept apart: most values have exactly one, and an array per value costs the guest an object and a push. */
  private first: ((value: T) => void) | null = null;
  private listeners: Array<(value: T) => void> | null = null;

  get done(): boolean {
    return this.settled;
  }

  /** The value once set; undefined before. */
  get value(): T | undefined {
    return this.current;
  }

  /** Sets the value once; later calls are ignored (a fetch and its timer race to set it). */
  set(value: T): void {
    if (this.settled) return;
    this.settled = true;
    this.current = value;
    const first = this.first;
    const listeners = this.listeners;
    this.first = null;
    this.listeners = null;
    if (first !== null) first(value);
    if (listeners !== null) for (let i = 0; i < listeners.length; i++) listeners[i]!(value);
  }

  /** Runs `listener` with the value: at once when it is set, else when it is. */
  on(listener: (value: T) => void): void {
    if (this.settled) listener(this.current as T);
    else if (this.first === null) this.first = listener;
    else (this.listeners ??= []).push(listener);
  }
}

/** A value now, or later. */
export type Eventually<T> = T | Later<T>;

/** Applies `next` to a value now or later; a value now stays a value now (no object made). */
export function thenDo<T, U>(value: Eventually<T>, next: (value: T) => Eventually<U>): Eventually<U> {
  if (!(value instanceof Later)) return next(value);
  if (value.done) return next(value.value as T);
  const out = new Later<U>();
  value.on((settled) => {
    const result = next(settled);
    if (result instanceof Later) result.on((final) => out.set(final));
    else out.set(result);
  });
  return out;
}
