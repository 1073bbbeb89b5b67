/**
 * Packs bin/main.wasm with the manifest (`fastly compute pack`) and checks the package with
 * `fastly compute validate`, both offline; the pkg/ output is removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import fastly from '@fastly/cli';
import { parseCli } from './lib/cli-args.ts';

function run(args: string[]): void {
  const result = spawnSync(fastly, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, FASTLY_DISABLE_VERSION_CHECK: '1' } });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    console.error(`validate: fastly ${args.join(' ')} failed (exit ${String(result.status)})`);
    process.exit(1);
  }
}

parseCli({ name: 'validate', usage: 'usage: npm run validate\n  packs bin/main.wasm with fastly.toml and checks the package offline (`fastly compute validate`)', options: {} });
if (!existsSync('bin/main.wasm')) {
  console.error('validate: bin/main.wasm is missing; run `npm run build` first');
  process.exit(1);
}
try {
  run(['compute', 'pack', '--wasm-binary', 'bin/main.wasm']);
  run(['compute', 'validate', '--package', 'pkg/edge-personalizer.tar.gz']);
  console.log('validate: pkg/edge-personalizer.tar.gz packed and accepted by `fastly compute validate`');
} finally {
  rmSync('pkg', { recursive: true, force: true });
}
