/**
 * `npm run analytics -- FILE [--html OUT]`: the collector's aggregates from a saved log (the
 * stdout format `<endpoint> :: <json>` or bare JSON lines, detected per line), printed as a
 * terminal summary and written as a self-contained HTML report (default: next to FILE).
 */
import { parseArgs } from 'node:util';
import { existsSync, writeFileSync } from 'node:fs';
import { analyzeLog } from '../collector/report/analyze-log.ts';
import { terminalReport } from '../collector/report/terminal-report.ts';
import { htmlReport } from '../collector/report/html-report.ts';

const USAGE = 'usage: npm run analytics -- FILE [--html OUT]';

function fail(message: string): never {
  console.error(`analytics: ${message}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({ args: process.argv.slice(2), options: { html: { type: 'string' }, help: { type: 'boolean' } }, allowPositionals: true, strict: true });
} catch (error) {
  fail(`${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}; ${USAGE}`);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const [input, ...extra] = parsed.positionals;
if (input === undefined || extra.length > 0) fail(USAGE);
if (!existsSync(input)) fail(`${input}: no such file`);

const snapshot = await analyzeLog(input);
const htmlOut = parsed.values.html ?? `${input.replace(/\.(ndjson|log|txt|jsonl)$/, '')}.report.html`;
writeFileSync(htmlOut, htmlReport(snapshot, input));
console.log(terminalReport(snapshot));
console.log(`\nHTML report: ${htmlOut}`);
