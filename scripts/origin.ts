/**
 * `npm run origin -- --port N [--host H] [--fault backend=kind[:param][@/prefix]]... [--edge URL|fastly]`:
 * only the local origin, templates on N, profiles on N+1, fragments on N+2 (default 7070; 0 = free
 * ports). With `--edge`, the edge is told about the deploy: it soft-purges the templates and shared
 * fragments it keeps for an hour (a local host by URL, a deployed service through Fastly's purge
 * API). Bad arguments or a busy port print one line and exit with code 2.
 */
import type { FaultSpec } from '../origin/faults/fault.ts';
import { parseFaultFlag } from '../origin/faults/parse-fault-flag.ts';
import { startOrigin, type RunningOrigin } from '../origin/start-origin.ts';
import { profileStoreFromEnv } from '../origin/profiles/open-profile-store.ts';
import { describeTarget, purgeDeployedContent, type PurgeTarget } from '../origin/http/edge-purge.ts';
import { readEdgeFlag } from '../origin/http/purge-target.ts';
import { exitWith, parseCli } from './lib/cli-args.ts';

const SPEC = {
  name: 'origin',
  usage: 'usage: npm run origin -- [--port N] [--host H] [--fault backend=kind[:param][@/prefix]]... [--edge URL|fastly]',
  options: { port: { type: 'string' }, host: { type: 'string' }, fault: { type: 'string', multiple: true }, edge: { type: 'string' } },
} as const;

function fail(message: string): never {
  return exitWith(`origin: ${message}`, 2);
}

interface CliOptions {
  port: number;
  host: string;
  faults: FaultSpec[];
  /** The edge to purge after starting, or null. */
  edge: PurgeTarget | null;
}

function edgeTarget(value: string | undefined): PurgeTarget | null {
  if (value === undefined) return null;
  const flag = readEdgeFlag(value, process.env);
  return flag.ok ? flag.target : fail(flag.error);
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
  return { port, host: values.host ?? '127.0.0.1', faults, edge: edgeTarget(values.edge) };
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
if (cli.edge !== null) {
  const failed = await purgeDeployedContent(cli.edge);
  const where = describeTarget(cli.edge);
  console.log(failed.length === 0 ? `origin deploy: soft-purged templates and shared fragments at ${where}` : `origin deploy: ${where} did not purge ${failed.join(', ')}`);
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
