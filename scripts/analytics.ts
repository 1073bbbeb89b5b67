/**
 * `npm run analytics -- FILE [--html OUT]`: the collector's aggregates from a saved log (the
 * stdout format `<endpoint> :: <json>` or bare JSON lines, detected per line), printed as a
 * terminal summary and written as a self-contained HTML report (default: next to FILE).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { analyzeLog } from '../collector/report/analyze-log.ts';
import { terminalReport } from '../collector/report/terminal-report.ts';
import { htmlReport } from '../collector/report/html-report.ts';
import { exitWith, parseCli } from './lib/cli-args.ts';

const parsed = parseCli({ name: 'analytics', usage: 'usage: npm run analytics -- FILE [--html OUT]', options: { html: { type: 'string' } }, positionals: { min: 1, max: 1 } });
const input = parsed.positionals[0] ?? '';
if (!existsSync(input)) exitWith(`analytics: ${input}: no such file`, 2);

const snapshot = await analyzeLog(input);
const htmlOut = parsed.values.html ?? `${input.replace(/\.(ndjson|log|txt|jsonl)$/, '')}.report.html`;
writeFileSync(htmlOut, htmlReport(snapshot, input));
console.log(terminalReport(snapshot));
console.log(`\nHTML report: ${htmlOut}`);
