/**
 * `npm run serve`: the local origin plus `fastly compute serve`, i.e. the real bin/main.wasm in
 * Viceroy. Viceroy must already be installed (FASTLY_VICEROY_PATH or `viceroy` on PATH): this
 * script never lets the Fastly CLI download it.
 */
import { spawn } from 'node:child_process';
import fastly from '@fastly/cli';
import { startOrigin } from '../origin/start-origin.ts';
import { findViceroy } from './lib/viceroy.ts';
import { parseCli } from './lib/cli-args.ts';

parseCli({ name: 'serve', usage: 'usage: npm run serve\n  the local origin plus bin/main.wasm in Viceroy (`fastly compute serve`) on 127.0.0.1:7676', options: {} });
const viceroy = findViceroy();
if (!viceroy) {
  console.error('serve: Viceroy not found (set FASTLY_VICEROY_PATH or put `viceroy` on PATH); `npm start` runs the same handler on the Node host');
  process.exit(1);
}

const origin = await startOrigin({ templatesPort: 7070, profilesPort: 7071, fragmentsPort: 7072 });
console.log(`origin: templates ${origin.urls.templates}  profiles ${origin.urls.profiles}  fragments ${origin.urls.fragments}`);
const child = spawn(fastly, ['compute', 'serve', '--viceroy-path', viceroy, '--addr', '127.0.0.1:7676'], {
  stdio: 'inherit',
  env: { ...process.env, FASTLY_DISABLE_VERSION_CHECK: '1' },
});

async function stop(code: number): Promise<void> {
  child.kill('SIGINT');
  await origin.close();
  process.exit(code);
}
child.on('exit', (code) => void stop(code ?? 0));
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
