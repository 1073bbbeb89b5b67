/**
 * `npm run recs -- [--events FILE] [--fragments URL] [--edge URL|fastly|none]`: computes each
 * segment's recommendation candidates from the collector's stored clickstream (synthetic when there
 * is too little), publishes them to the fragments origin and purges the old lists at the edge: a
 * local host by URL, or a deployed service through Fastly's purge API (`fastly`). Defaults match
 * `npm start`: .collector/events.ndjson, fragments on :7072, the edge on :7676.
 */
import { DEFAULT_OUT_FILE } from '../collector/server/collector-server.ts';
import { describeRecsJob, runRecsJob } from '../origin/recs/recs-job.ts';
import { readEdgeFlag } from '../origin/http/purge-target.ts';
import { exitWith, parseCli, usageLine } from './lib/cli-args.ts';

const SPEC = {
  name: 'recs',
  usage: 'usage: npm run recs -- [--events FILE] [--fragments URL] [--edge URL|fastly|none]',
  options: { events: { type: 'string' }, fragments: { type: 'string' }, edge: { type: 'string' } },
} as const;

function baseUrl(value: string, flag: string): string {
  try {
    const url = new URL(value);
    return url.href.endsWith('/') ? url.href : `${url.href}/`;
  } catch {
    return exitWith(usageLine(SPEC, `--${flag} must be a URL`), 2);
  }
}

const { values } = parseCli(SPEC);
const edge = readEdgeFlag(values.edge ?? 'http://127.0.0.1:7676/', process.env);
if (!edge.ok) exitWith(usageLine(SPEC, edge.error), 2);
try {
  const result = await runRecsJob({
    eventFile: values.events ?? DEFAULT_OUT_FILE,
    fragmentsUrl: baseUrl(values.fragments ?? 'http://127.0.0.1:7072/', 'fragments'),
    edge: edge.target,
    now: Date.now(),
  });
  console.log(describeRecsJob(result));
} catch (error) {
  console.error(`recs: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
