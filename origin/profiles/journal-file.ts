/**
 * Persistence for the embedded store: a snapshot of every record plus an append-only journal of
 * the operations since. Appends are group-committed (one write per tick, however many batches
 * arrived), and a caller's write is acknowledged only once its line is written. Compaction writes
 * a new snapshot that names the next journal generation, renames it into place and only then drops
 * the old journal, so a crash at any step loses nothing and replays nothing twice.
 */
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProfileEvent } from './event-batch.ts';
import type { ProfileRecord } from './service-profile.ts';

export type JournalEntry = { op: 'apply'; id: string; at: string; events: ProfileEvent[] } | { op: 'erase'; id: string };

export interface LoadedJournal {
  /** Null on first start: nothing has been written yet. */
  records: Map<string, ProfileRecord> | null;
  entries: JournalEntry[];
}

interface Snapshot {
  v: 1;
  generation: number;
  records: Record<string, ProfileRecord>;
}

export class JournalFile {
  private generation = 1;
  private pending: Array<{ line: string; done: (error: Error | null) => void }> = [];
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** Lines in the current journal generation. */
  lines = 0;

  constructor(private readonly dir: string) {}

  private journalPath(generation = this.generation): string {
    return join(this.dir, `journal-${generation}.ndjson`);
  }

  async load(): Promise<LoadedJournal> {
    await mkdir(this.dir, { recursive: true });
    const snapshot = await readFile(join(this.dir, 'snapshot.json'), 'utf8').catch(() => null);
    if (snapshot === null) return { records: null, entries: [] };
    const parsed = JSON.parse(snapshot) as Snapshot;
    this.generation = parsed.generation;
    const text = await readFile(this.journalPath(), 'utf8').catch(() => '');
    const entries: JournalEntry[] = [];
    for (const line of text.split('\n')) {
      // A torn last line (a crash mid-write) was never acknowledged: skipping it loses nothing.
      const entry = parseLine(line);
      if (entry !== null) entries.push(entry);
    }
    this.lines = entries.length;
    return { records: new Map(Object.entries(parsed.records)), entries };
  }

  append(entry: JournalEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line: `${JSON.stringify(entry)}\n`, done: (error) => (error ? reject(error) : resolve()) });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flushing = this.flushing.then(() => this.flush());
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      await appendFile(this.journalPath(), batch.map((p) => p.line).join(''));
      this.lines += batch.length;
      for (const p of batch) p.done(null);
    } catch (error) {
      for (const p of batch) p.done(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Writes a snapshot of `records` and starts a new, empty journal generation. */
  async compact(records: ReadonlyMap<string, ProfileRecord>): Promise<void> {
    const run = async (): Promise<void> => {
      const next = this.generation + 1;
      const snapshot: Snapshot = { v: 1, generation: next, records: Object.fromEntries(records) };
      const tmp = join(this.dir, 'snapshot.json.tmp');
      await writeFile(tmp, JSON.stringify(snapshot));
      await rename(tmp, join(this.dir, 'snapshot.json'));
      const old = this.journalPath();
      this.generation = next;
      this.lines = 0;
      await rm(old, { force: true });
    };
    // Queued behind appends, so no line lands in a journal the new snapshot already covers.
    const done = this.flushing.then(run);
    this.flushing = done.catch(() => undefined);
    await done;
  }

  async close(): Promise<void> {
    await this.flushing;
  }
}

function parseLine(line: string): JournalEntry | null {
  if (line.trim() === '') return null;
  try {
    const value = JSON.parse(line) as JournalEntry;
    return value.op === 'apply' || value.op === 'erase' ? value : null;
  } catch {
    return null;
  }
}
