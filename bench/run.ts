/**
 * `npm run bench`: runs every `bench/*.bench.ts` module in this process (or only those named on the
 * command line), prints one table per section, and writes all results to .bench/results.json.
 * Goals are ratios against a baseline measured in the same run, because these machines are noisy.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchModule, BenchSection } from './bench-section.ts';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const files = readdirSync(dir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => (readdirSync(dir).includes(`${name}.bench.ts`) ? file === `${name}.bench.ts` : file.startsWith(name))))
  .sort();

function printSection(section: BenchSection): void {
  console.log(`\n## ${section.name}`);
  const first = section.rows[0];
  if (first) {
    const columns = Object.keys(first);
    const widths = columns.map((column) => Math.max(column.length, ...section.rows.map((row) => String(row[column] ?? '').length)));
    const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
    console.log(line(columns));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const row of section.rows) console.log(line(columns.map((column) => String(row[column] ?? ''))));
  }
  for (const [key, value] of Object.entries(section.summary)) console.log(`${key}: ${String(value)}`);
}

const RESULTS = '.bench/results.json';

/** Sections from earlier runs stay in the file, so `npm run bench -- esi` updates only its own. */
function earlierResults(): Record<string, BenchSection> {
  if (!existsSync(RESULTS)) return {};
  try {
    return (JSON.parse(readFileSync(RESULTS, 'utf8')) as { results?: Record<string, BenchSection> }).results ?? {};
  } catch {
    return {};
  }
}

const results: Record<string, BenchSection> = earlierResults();
for (const file of files) {
  const module = (await import(pathToFileURL(join(dir, file)).href)) as BenchModule;
  const section = await module.run();
  results[basename(file, '.bench.ts')] = section;
  printSection(section);
}
mkdirSync('.bench', { recursive: true });
writeFileSync(RESULTS, `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results }, null, 2)}\n`);
console.log(`\nwrote ${RESULTS}`);
