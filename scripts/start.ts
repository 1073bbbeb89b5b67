/**
 * `npm start`: the local origin (templates, profiles, fragments) and the edge on the Node host,
 * configured from fastly.toml, at http://127.0.0.1:7676/, and the analytics collector with its live
 * dashboard at http://127.0.0.1:7680/, fed with the edge's log lines. Ctrl-C stops all three.
 */
import { startOrigin } from '../origin/start-origin.ts';
import { profileStoreFromEnv } from '../origin/profiles/open-profile-store.ts';
import { startEdge } from '../src/node-host/edge-server.ts';
import { startCollector, DEFAULT_COLLECTOR_PORT, DEFAULT_OUT_FILE } from '../collector/server/collector-server.ts';
import { scheduleRecsJob } from '../origin/recs/recs-job.ts';
import { loadExperimentSpecs } from '../collector/experiments/experiment-specs.ts';
import { parseCli } from './lib/cli-args.ts';

const EDGE_PORT = 7676;
parseCli({
  name: 'start',
  usage: 'usage: npm start\n  the local origin (7070-7072), the Node-host edge (7676) and the collector dashboard (7680); Ctrl-C stops all three',
  options: {},
});

function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`start: ${message.split('\n')[0] ?? 'failed'}`);
  process.exit(1);
}

const origin = await startOrigin({ templatesPort: 7070, profilesPort: 7071, fragmentsPort: 7072, profileStore: profileStoreFromEnv() }).catch(fail);
const experiments = (() => {
  try {
    return loadExperimentSpecs('fastly.toml').specs;
  } catch {
    return []; // startEdge below reports a broken manifest with its own message
  }
})();
const collector = await startCollector({ port: DEFAULT_COLLECTOR_PORT, host: '127.0.0.1', outFile: DEFAULT_OUT_FILE, experiments }).catch(async (error: unknown) => {
  await origin.close();
  return fail(error);
});
// Every log endpoint line is printed and fed to the collector's live aggregates.
const stdout = (line: string): void => {
  process.stdout.write(`${line}\n`);
  collector.ingestLine(line);
};
const edge = await startEdge({ manifestPath: 'fastly.toml', host: '127.0.0.1', port: EDGE_PORT, stdout }).catch(async (error: unknown) => {
  await Promise.allSettled([origin.close(), collector.close()]);
  return fail(error);
});

const base = edge.url.endsWith('/') ? edge.url : `${edge.url}/`;
// The recommender learns from the stored clickstream every 5 minutes and purges the old lists.
const stopRecs = scheduleRecsJob({ eventFile: DEFAULT_OUT_FILE, fragmentsUrl: origin.urls.fragments, edge: { kind: 'local', url: base } }, 5 * 60_000, (line) => console.error(line));
console.log(`
edge (Node host)  ${base}
dashboard         ${collector.url}   (live analytics; events saved to ${DEFAULT_OUT_FILE})
origin            templates ${origin.urls.templates}  profiles ${origin.urls.profiles}  fragments ${origin.urls.fragments}
profile store     ${origin.profiles.kind}${origin.profiles.kind === 'embedded' ? ` (${profileStoreFromEnv().dir ?? 'memory'})` : ''}

Try:
  curl -si ${base}__health
  curl -si ${base}                                           anonymous visitor: contextual personalization only
  curl -si -H 'Cookie: consent=personalization,analytics' ${base}   consented: a vid cookie is minted
  curl -si -H 'Sec-GPC: 1' ${base}category/running            GPC: no profile lookup, no visitor id
  open ${base}category/running in a browser; X-Personalization shows the decision (debugHeaders is on)
  curl -s -X POST -H 'content-type: application/json' -d '{"kind":"hang"}' ${origin.urls.profiles}__origin/faults
                                                             make the profile store hang and watch the fallback
Decision events print below as "personalization_events :: {...}". Ctrl-C stops all three.
`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  stopRecs();
  await Promise.allSettled([edge.close(), origin.close(), collector.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
