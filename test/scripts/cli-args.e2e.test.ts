/**
 * Every CLI under scripts/ answers `--help` with its usage (exit 0) and refuses an unknown flag
 * with one line and exit 2, before it starts anything; `npm run wasm` on a taken port exits 1 with
 * one line instead of hanging. The CLIs are spawned with tsx, as `npm run` does.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArgs, UsageError } from '../../scripts/lib/cli-args.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CLIS = readdirSync(join(ROOT, 'scripts')).filter((file) => file.endsWith('.ts')).sort();
/** The name each CLI puts in front of its error lines (validate-package is `npm run validate`). */
const NAME: Record<string, string> = { 'validate-package.ts': 'validate', 'guest-timeline.ts': 'wasm:timeline' };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    // stdin closed, so the collector does not wait on a pipe; the timeout kills a CLI that would hang.
    const child = spawn(TSX, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('finds every CLI, so a new script cannot skip these checks', () => {
  expect(CLIS).toEqual(expect.arrayContaining(['analytics.ts', 'cardinality.ts', 'demo-cookie.ts', 'edge.ts', 'load.ts', 'preview-link.ts', 'recs.ts', 'serve.ts', 'start.ts', 'validate-package.ts', 'wasm.ts']));
});

describe.each(CLIS)('scripts/%s', (file) => {
  const name = NAME[file] ?? file.replace(/\.ts$/, '');

  it('prints its usage for --help and exits 0', async () => {
    const result = await run([`scripts/${file}`, '--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^usage: npm (run \S+|start)/);
  }, 120_000);

  it('refuses an unknown flag with one line and exit 2', async () => {
    const result = await run([`scripts/${file}`, '--no-such-flag']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^${name}: unknown flag --no-such-flag; usage: npm [^\\n]+\\n$`));
  }, 120_000);
});

describe('npm run wasm on a taken port', () => {
  let busy: Server;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('exits 1 with one line instead of hanging', async () => {
    const port = (busy.address() as AddressInfo).port;
    const result = await run(['scripts/wasm.ts', '--addr', `127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('wasm:'))).toEqual([`wasm: 127.0.0.1:${port} is already in use`]);
  }, 180_000);
});

describe('readArgs', () => {
  const spec = { name: 'demo', usage: 'usage: npm run demo -- [--n N] FILE\n  more help', options: { n: { type: 'string', default: '1' } }, positionals: { min: 1, max: 1 } } as const;

  it.each([
    { argv: ['--n'], line: "demo: Option '--n <value>' argument missing; usage: npm run demo -- [--n N] FILE" },
    { argv: ['--x', 'f'], line: 'demo: unknown flag --x; usage: npm run demo -- [--n N] FILE' },
    { argv: [], line: 'demo: missing argument; usage: npm run demo -- [--n N] FILE' },
    { argv: ['a', 'b'], line: 'demo: unexpected argument "b"; usage: npm run demo -- [--n N] FILE' },
  ])('refuses $argv with one line naming the command and its usage', ({ argv, line }) => {
    expect(() => readArgs(spec, argv)).toThrow(new UsageError(line));
  });

  it('returns the values and positionals, null for --help or -h', () => {
    expect(readArgs(spec, ['--n', '3', 'f.txt'])).toMatchObject({ values: { n: '3' }, positionals: ['f.txt'] });
    expect(readArgs(spec, ['f.txt'])?.values.n).toBe('1');
    expect(readArgs(spec, ['--help'])).toBeNull();
    expect(readArgs(spec, ['-h', 'extra', 'args'])).toBeNull();
  });
});
