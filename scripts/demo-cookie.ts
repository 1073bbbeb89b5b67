/**
 * `npm run demo-cookie -- ID [--manifest FILE]`: prints a Cookie header for a demo visitor, signed
 * with the DEV-ONLY cookie key of the manifest, so you can browse as `demo-vip` or `u00042`:
 *   curl -H "$(npm run -s demo-cookie -- demo-vip)" http://127.0.0.1:7676/
 */
import { loadManifest } from '../src/local-platform/manifest.ts';
import { demoCookieHeader } from '../src/local-platform/signed-visitor.ts';
import { parseCli } from './lib/cli-args.ts';

const { values, positionals } = parseCli({
  name: 'demo-cookie',
  usage: 'usage: npm run demo-cookie -- VISITOR_ID [--manifest FILE]\n  prints a Cookie header for VISITOR_ID signed with the manifest\'s DEV-ONLY cookie key',
  options: { manifest: { type: 'string', default: 'fastly.toml' } },
  positionals: { min: 1, max: 1 },
});
try {
  console.log(await demoCookieHeader(loadManifest(values.manifest), positionals[0] ?? ''));
} catch (error) {
  console.error(`demo-cookie: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
