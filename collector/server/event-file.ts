/**
 * Appends every valid event to a file in the stdout format (`<endpoint> :: <json>`), so the
 * offline report (and `bq load` after stripping the prefix) can replay exactly what was accepted.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface EventFile {
  append(endpoint: string, json: string): void;
  close(): Promise<void>;
}

export function openEventFile(path: string): EventFile {
  mkdirSync(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { flags: 'a' });
  let failed = false;
  stream.on('error', (error) => {
    if (!failed) console.error(`collector: cannot write ${path}: ${error.message}`);
    failed = true;
  });
  return {
    append(endpoint, json) {
      if (!failed) stream.write(`${endpoint} :: ${json}\n`);
    },
    close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
  };
}
