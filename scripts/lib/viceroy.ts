/**
 * Finds a local Viceroy binary without downloading anything: `FASTLY_VICEROY_PATH`, then
 * `viceroy` on PATH. The Fastly CLI would otherwise try to fetch it from the internet.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findViceroy(env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env.FASTLY_VICEROY_PATH;
  if (explicit) return isExecutable(explicit) ? explicit : null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'viceroy');
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
