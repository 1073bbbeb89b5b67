/**
 * `npm run demo-cookie -- ID [--manifest FILE]`: prints a Cookie header for a demo visitor, signed
 * with the DEV-ONLY cookie key of the manifest, so you can browse as `demo-vip` or `u00042`:
 *   curl -H "$(npm run -s demo-cookie -- demo-vip)" http://127.0.0.1:7676/
 */
import { loadManifest } from '../src/local-platform/manifest.ts';
import { demoCookieHeader } from '../src/local-platform/signed-visitor.ts';

const args = process.argv.slice(2);
const manifestAt = args.indexOf('--manifest');
const manifestPath = manifestAt >= 0 ? args[manifestAt + 1] : 'fastly.toml';
const id = args.find((arg, i) => !arg.startsWith('--') && (manifestAt < 0 || i !== manifestAt + 1));
if (!id || !manifestPath) {
  console.error('demo-cookie: usage: npm run demo-cookie -- VISITOR_ID [--manifest FILE]');
  process.exit(2);
}
try {
  console.log(await demoCookieHeader(loadManifest(manifestPath), id));
} catch (error) {
  console.error(`demo-cookie: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
