/**
 * `npm run collector -- [--port N] [--host H] [--out FILE | --no-out] [--follow FILE]
 * [--service-id ID]... [--manifest FILE]`: the analytics collector and live dashboard (default
 * port 7680). It takes Fastly HTTPS logging batches on POST /ingest, and the Node host's /
 * Viceroy's stdout lines from a pipe (`npm start | npm run collector`) or a file it follows
 * (`--follow FILE`). Experiment weights and slots come from the manifest's local
 * `personalization_config` store (`experiments`, `experiment_slots`; default `fastly.toml`).
 */
import { startCollector, DEFAULT_COLLECTOR_PORT, DEFAULT_OUT_FILE } from '../collector/server/collector-server.ts';
import { followFile } from '../collector/sources/follow-file.ts';
import { readStreamLines } from '../collector/sources/read-stream-lines.ts';
import { loadExperimentSpecs } from '../collector/experiments/experiment-specs.ts';
import { exitWith, parseCli } from './lib/cli-args.ts';

function fail(message: string): never {
  return exitWith(`collector: ${message}`, 2);
}

const { values: cli } = parseCli({
  name: 'collector',
  usage: 'usage: npm run collector -- [--port N] [--host H] [--out FILE | --no-out] [--follow FILE] [--service-id ID]... [--manifest FILE]',
  options: {
    port: { type: 'string' }, host: { type: 'string' }, out: { type: 'string' }, 'no-out': { type: 'boolean' },
    follow: { type: 'string' }, 'service-id': { type: 'string', multiple: true }, manifest: { type: 'string' },
  },
});
const portText = cli.port ?? String(DEFAULT_COLLECTOR_PORT);
const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
if (!(port >= 0 && port <= 65535)) fail(`--port "${portText}" must be a port from 0 to 65535`);
const serviceIds = [...(cli['service-id'] ?? []), ...(process.env.FASTLY_SERVICE_ID ? [process.env.FASTLY_SERVICE_ID] : [])];
const outFile = cli['no-out'] ? null : (cli.out ?? DEFAULT_OUT_FILE);

const experiments = (() => {
  try {
    return loadExperimentSpecs(cli.manifest ?? 'fastly.toml');
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
})();
for (const problem of experiments.problems) console.error(`collector: ${problem}`);
const collector = await startCollector({ port, host: cli.host ?? '127.0.0.1', outFile, serviceIds, experiments: experiments.specs }).catch((error: unknown) =>
  fail(error instanceof Error ? error.message : String(error)),
);
console.log(`collector  dashboard ${collector.url}   ingest POST ${collector.url}ingest   events → ${outFile ?? '(not saved)'}`);

const overflow = (): void => console.error('collector: skipped an overlong line');
const follow = cli.follow ? followFile(cli.follow, (line) => collector.ingestLine(line), overflow) : null;
if (!process.stdin.isTTY) {
  void readStreamLines(process.stdin, (line) => {
    collector.ingestLine(line);
  }, overflow);
}

async function stop(): Promise<void> {
  follow?.stop();
  await collector.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
