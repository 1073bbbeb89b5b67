/**
 * The port every profile store implements (the embedded journal store and Redis), so the service
 * and one contract test suite are written once. Expected failure is a value: a store that cannot
 * answer says `unavailable`, and the service turns that into a 503.
 */
import type { ProfileEvent } from './event-batch.ts';
import type { ServiceProfile } from './service-profile.ts';

export type StoreFailure = { ok: false; reason: 'unavailable'; detail: string };
export type StoreResult<T> = ({ ok: true } & T) | StoreFailure;

export interface WriteOutcome {
  /** Events that changed the profile. */
  applied: number;
  /** Events whose id was already applied: they changed nothing. */
  duplicates: number;
}

export interface ProfileStore {
  readonly kind: 'embedded' | 'redis';
  get(id: string): Promise<StoreResult<{ profile: ServiceProfile | null }>>;
  /** Applies a batch atomically and idempotently (by eventId); creates the profile if needed. */
  apply(id: string, events: readonly ProfileEvent[]): Promise<StoreResult<WriteOutcome>>;
  /** Erasure: afterwards `get` answers null. Idempotent. */
  erase(id: string): Promise<StoreResult<{ existed: boolean }>>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Wall clock for `updatedAt`; tests pass a fixed one. */
  clock?: () => Date;
}

export function unavailable(error: unknown): StoreFailure {
  return { ok: false, reason: 'unavailable', detail: error instanceof Error ? error.message : String(error) };
}
