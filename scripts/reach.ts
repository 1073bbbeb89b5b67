/**
 * `npm run reach`: which `src/core` modules some in-process test reaches. Runs the test files that
 * are neither `*.e2e.test.ts` nor `*.integration.test.ts` under vitest with the reach probe
 * (test/setup/reach-probe.ts); a file that still opens a socket does not count. A module is
 * reached when code of it ran during such a file (one of its functions or export bindings), so a
 * module a test only imports for its types does not count. Type-only modules have no code to reach
 * and are listed apart. Exits 1 when a module with code is not reached.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parseCli } from './lib/cli-args.ts';

const { values } = parseCli({
  name: 'reach',
  usage: 'usage: npm run reach -- [--list]\n  counts the src/core modules reached by a test that opens no socket; --list prints each module and the test files reaching it',
  options: { list: { type: 'boolean', default: false } },
});

const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Report {
  file: string;
  sockets: number;
  modules: Array<{ url: string; functions: Array<{ name: string; count: number }> }>;
}

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** A module whose compiled JavaScript is empty: interfaces and types only. */
function typeOnly(path: string): boolean {
  const out = ts.transpileModule(readFileSync(join(ROOT, path), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, removeComments: true },
  }).outputText;
  return out.replace(/export \{\};/g, '').trim() === '';
}

function inProcessTestFiles(): string[] {
  return walk('test').filter((f) => f.endsWith('.test.ts') && !/\.(e2e|integration)\.test\.ts$/.test(f)).sort();
}

function runProbe(files: string[], dir: string): void {
  const vitest = join(ROOT, 'node_modules/.bin/vitest');
  const run = spawnSync(vitest, ['run', '--silent=true', ...files], { cwd: ROOT, env: { ...process.env, REACH_DIR: dir, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status === 0) return void console.log(`${files.length} test files run in-process, all passed`);
  // Failing tests still measure what they reached: show the failures, then report the reach.
  console.error(`${run.stdout}${run.stderr}\nreach: vitest exited ${String(run.status)}; the figures below include the failing files`);
}

/** core module → the in-process test files that ran its code. */
function reachedBy(dir: string): { reach: Map<string, Set<string>>; socketFiles: string[] } {
  const reach = new Map<string, Set<string>>();
  const socketFiles: string[] = [];
  for (const name of readdirSync(dir)) {
    const report = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Report;
    const test = relative(ROOT, report.file);
    if (report.sockets > 0) {
      socketFiles.push(test);
      continue;
    }
    for (const module of report.modules) {
      const path = relative(ROOT, fileURLToPath(module.url));
      // The first two functions are the script and the module runner's wrapper around the module.
      if (!path.startsWith('src/core/') || !module.functions.slice(2).some((f) => f.count > 0)) continue;
      reach.set(path, (reach.get(path) ?? new Set()).add(test));
    }
  }
  return { reach, socketFiles };
}

/** Prints the reach; the exit code: 0 when every module with code is reached, 1 when not, 2 when nothing was measured. */
function report(dir: string, modules: string[], withCode: string[]): number {
  const { reach, socketFiles } = reachedBy(dir);
  if (reach.size === 0) {
    console.error('reach: no test file reported what it ran (is test/setup/reach-probe.ts in the vitest setupFiles?)');
    return 2;
  }
  const missing = withCode.filter((m) => !reach.has(m));
  if (values.list) for (const m of withCode) console.log(`${m}  ${[...(reach.get(m) ?? [])].sort().join(' ') || '-'}`);
  for (const file of socketFiles.sort()) console.log(`not counted (opened a socket): ${file}`);
  for (const m of missing) console.log(`not reached in-process: ${m}`);
  console.log(`type-only (no code to reach): ${modules.length - withCode.length}`);
  console.log(`core modules reached in-process: ${withCode.length - missing.length} of ${withCode.length}`);
  return missing.length > 0 ? 1 : 0;
}

const modules = walk('src/core').sort();
const withCode = modules.filter((m) => !typeOnly(m));
const dir = mkdtempSync(join(tmpdir(), 'reach-'));
try {
  runProbe(inProcessTestFiles(), dir);
  process.exitCode = report(dir, modules, withCode);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
