/**
 * The default profile store: every record in memory, persisted to a snapshot plus append-only
 * journal under a data directory (no server, no native module), so profiles survive a restart.
 * Seeded with the demo dataset on first start. Without a directory it is memory-only (tests).
 * One process owns the directory; run Redis to share profiles between processes.
 */
import { applyEvents, type CategoryOf } from './apply-events.ts';
import type { ProfileEvent } from './event-batch.ts';
import { JournalFile, type JournalEntry } from './journal-file.ts';
import { unavailable, type ProfileStore, type StoreOptions } from './profile-store.ts';
import { seededRecords, type ProfileRecord } from './service-profile.ts';

export interface EmbeddedStoreOptions extends StoreOptions {
  /** Where the snapshot and journal live; null keeps everything in memory. */
  dir: string | null;
  categoryOf: CategoryOf;
  /** Journal lines after which a new snapshot is written. */
  compactAfter?: number;
}

const DEFAULT_COMPACT_AFTER = 50_000;

export async function openEmbeddedStore(options: EmbeddedStoreOptions): Promise<ProfileStore> {
  const clock = options.clock ?? (() => new Date());
  const journal = options.dir === null ? null : new JournalFile(options.dir);
  const loaded = journal ? await journal.load() : { records: null, entries: [] };
  const records = loaded.records ?? new Map(seededRecords());
  for (const entry of loaded.entries) replay(records, entry);
  if (journal && loaded.records === null) await journal.compact(records);
  const compactAfter = options.compactAfter ?? DEFAULT_COMPACT_AFTER;
  let broken: Error | null = null;
  let compacting = false;

  /** Memory first (so concurrent batches see each other), then the journal before the answer. */
  const persist = async (entry: JournalEntry): Promise<void> => {
    if (!journal) return;
    try {
      await journal.append(entry);
    } catch (error) {
      // Memory is now ahead of disk: refuse everything until a restart reloads what was written.
      broken = error instanceof Error ? error : new Error(String(error));
      throw broken;
    }
    if (journal.lines >= compactAfter && !compacting) {
      compacting = true;
      journal.compact(records).catch((error: unknown) => {
        broken = error instanceof Error ? error : new Error(String(error));
      }).finally(() => (compacting = false));
    }
  };

  return {
    kind: 'embedded',
    get(id) {
      if (broken) return Promise.resolve(unavailable(broken));
      return Promise.resolve({ ok: true, profile: records.get(id)?.profile ?? null });
    },
    async apply(id, events) {
      if (broken) return unavailable(broken);
      const at = clock();
      const resolved = events.map((event) => resolveCategory(event, options.categoryOf));
      const result = applyEvents(records.get(id) ?? null, id, resolved, at, () => null);
      if (result.applied === 0) return { ok: true, applied: 0, duplicates: result.duplicates };
      records.set(id, result.record);
      try {
        await persist({ op: 'apply', id, at: at.toISOString(), events: resolved });
      } catch (error) {
        return unavailable(error);
      }
      return { ok: true, applied: result.applied, duplicates: result.duplicates };
    },
    async erase(id) {
      if (broken) return unavailable(broken);
      const existed = records.delete(id);
      try {
        await persist({ op: 'erase', id });
      } catch (error) {
        return unavailable(error);
      }
      return { ok: true, existed };
    },
    async close() {
      await journal?.close();
    },
  };
}

/** The journal keeps the category resolved at write time, so a replay never depends on the catalog. */
function resolveCategory(event: ProfileEvent, categoryOf: CategoryOf): ProfileEvent {
  return event.category !== null || event.item === null ? event : { ...event, category: categoryOf(event.item) };
}

function replay(records: Map<string, ProfileRecord>, entry: JournalEntry): void {
  if (entry.op === 'erase') {
    records.delete(entry.id);
    return;
  }
  const result = applyEvents(records.get(entry.id) ?? null, entry.id, entry.events, new Date(entry.at), () => null);
  records.set(entry.id, result.record);
}
