/**
 * `npm run load [-- --duration S --rate N --visitors N]`: a constant-arrival-rate load test of the
 * local stack (jittered local origin, Node-host edge in a child process); prints the report as a
 * table and as one JSON line. Exits 1 on any error or cross-visitor leak, 2 on a bad command line.
 */
import { runLoad } from '../load/run-load.ts';
import { exitWith, parseCli, usageLine } from './lib/cli-args.ts';

const SPEC = {
  name: 'load',
  usage: 'usage: npm run load -- [--duration S] [--rate N] [--visitors N]\n  defaults: 10 s (at most 600), 50 req/s, 200 visitors (at most 10000)',
  options: { duration: { type: 'string', default: '10' }, rate: { type: 'string', default: '50' }, visitors: { type: 'string', default: '200' } },
} as const;

const { values } = parseCli(SPEC);
function positive(name: 'rate' | 'duration' | 'visitors'): number {
  const value = Number(values[name]);
  return Number.isFinite(value) && value > 0 ? value : exitWith(usageLine(SPEC, `--${name} must be a positive number, not "${values[name]}"`), 2);
}
const rate = positive('rate');
const durationS = Math.min(positive('duration'), 600);
const visitors = Math.min(positive('visitors'), 10_000);

try {
  console.log(`load: ${rate} req/s for ${durationS} s, ${visitors} consenting visitors + anonymous, jittered local origin`);
  const report = await runLoad({ rate, durationMs: durationS * 1000, visitors });
  const rows: Record<string, number | string> = { ...report };
  console.table(Object.entries(rows).map(([metric, value]) => ({ metric, value })));
  console.log(JSON.stringify(report));
  process.exitCode = report.errors > 0 || report.leaks > 0 ? 1 : 0;
} catch (error) {
  console.error(`load: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
