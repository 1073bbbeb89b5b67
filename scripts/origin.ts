/**
 * `npm run origin -- --port N [--host H] [--fault backend=kind[:param][@/prefix]]...`: only the
 * local origin, templates on N, profiles on N+1, fragments on N+2 (default 7070; 0 = free ports).
 * Bad arguments or a busy port print one line and exit with code 2.
 */
import type { FaultSpec } from '../origin/faults/fault.ts';
import { parseFaultFlag } from '../origin/faults/parse-fault-flag.ts';
import { startOrigin, type RunningOrigin } from '../origin/start-origin.ts';
import { profileStoreFromEnv } from '../origin/profiles/open-profile-store.ts';
import { exitWith, parseCli } from './lib/cli-args.ts';

const SPEC = {
  name: 'origin',
  usage: 'usage: npm run origin -- [--port N] [--host H] [--fault backend=kind[:param][@/prefix]]...',
  options: { port: { type: 'string' }, host: { type: 'string' }, fault: { type: 'string', multiple: true } },
} as const;

function fail(message: string): never {
  return exitWith(`origin: ${message}`, 2);
}

interface CliOptions {
  port: number;
  host: string;
  faults: FaultSpec[];
}

function readOptions(argv: string[]): CliOptions {
  const { values } = parseCli(SPEC, argv);
  const portText = values.port ?? '7070';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port === 0 || (port >= 1 && port <= 65533))) fail(`--port "${portText}" must be 0 or a port from 1 to 65533 (the origin uses N, N+1 and N+2)`);
  const faults = (values.fault ?? []).map((flag) => {
    const parsed = parseFaultFlag(flag);
    return parsed.ok ? parsed.spec : fail(parsed.error);
  });
  return { port, host: values.host ?? '127.0.0.1', faults };
}

const cli = readOptions(process.argv.slice(2));
const next = (offset: number): number => (cli.port === 0 ? 0 : cli.port + offset);
let origin: RunningOrigin;
try {
  origin = await startOrigin({ templatesPort: next(0), profilesPort: next(1), fragmentsPort: next(2), host: cli.host, faults: cli.faults, profileStore: profileStoreFromEnv() });
} catch (error) {
  fail(error instanceof Error ? error.message.split('\n')[0] ?? 'failed to start' : String(error));
}

for (const backend of ['templates', 'profiles', 'fragments'] as const) {
  console.log(`origin ${backend.padEnd(9)} ${origin.urls[backend]}  fault: ${origin.faults.describe(backend)}`);
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await origin.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
