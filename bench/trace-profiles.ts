/**
 * The trace's profile store: the reference profile service's handler (`GET` a profile, `POST`
 * view and click events) over an in-memory store that applies writes with the service's own update
 * rule, so a visitor's recently viewed items and shifting affinities reach their next page as they
 * would in production. Seeded with the trace's returning visitors.
 */
import { applyEvents } from '../origin/profiles/apply-events.ts';
import { catalogCategory } from '../origin/profiles/open-profile-store.ts';
import { profilesHandler } from '../origin/profiles/profiles-handler.ts';
import type { ProfileStore } from '../origin/profiles/profile-store.ts';
import type { ProfileRecord, ServiceProfile } from '../origin/profiles/service-profile.ts';
import type { RouteHandler } from '../origin/http/origin-response.ts';

export class TraceProfiles {
  private readonly records = new Map<string, ProfileRecord>();
  /** The profile each visitor's last read returned: what the edge holds (it keeps a copy a while). */
  private readonly served = new Map<string, ServiceProfile | null>();
  readonly handler: RouteHandler;

  constructor(clock: () => Date) {
    const { records, served } = this;
    const store: ProfileStore = {
      kind: 'embedded',
      get(id) {
        const profile = records.get(id)?.profile ?? null;
        served.set(id, profile);
        return Promise.resolve({ ok: true, profile });
      },
      apply(id, events) {
        const { record, applied, duplicates } = applyEvents(records.get(id) ?? null, id, events, clock(), catalogCategory);
        records.set(id, record);
        return Promise.resolve({ ok: true, applied, duplicates });
      },
      erase: (id) => Promise.resolve({ ok: true, existed: records.delete(id) }),
      close: () => Promise.resolve(),
    };
    this.handler = profilesHandler(store);
  }

  seed(profile: ServiceProfile): void {
    this.records.set(profile.id, { rev: 1, profile, seen: [] });
  }

  /** The profile the edge last read for `id`; null when it never read one. */
  lastRead(id: string): ServiceProfile | null {
    return this.served.get(id) ?? null;
  }

  forget(id: string): void {
    this.served.delete(id);
  }
}
