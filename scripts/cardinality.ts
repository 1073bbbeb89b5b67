/**
 * `npm run cardinality -- [--manifest FILE]`: the maximum number of assembled-page copies per URL
 * that the configuration in FILE's personalization_config can produce, factor by factor, plus any
 * problem that made a document fall back to its defaults.
 */
import { loadManifest } from '../src/local-platform/manifest.ts';
import { loadConfig } from '../src/core/config/load-config.ts';
import { maxCopiesPerUrl } from '../src/core/cache-key/cardinality.ts';
import { parseCli } from './lib/cli-args.ts';

const { values } = parseCli({
  name: 'cardinality',
  usage: 'usage: npm run cardinality -- [--manifest FILE]\n  prints the most assembled-page copies per URL the configuration can produce, factor by factor',
  options: { manifest: { type: 'string', default: 'fastly.toml' } },
});
const manifestPath = values.manifest;
try {
  const store = loadManifest(manifestPath).configStores.get('personalization_config');
  const config = loadConfig({ config: (key) => store?.get(key) ?? null });
  const { total, factors } = maxCopiesPerUrl(config.settings, config.segments, config.experiments);
  for (const problem of config.problems) console.log(`problem: ${problem}`);
  for (const [factor, count] of Object.entries(factors)) console.log(`${factor.padEnd(28)} ${count}`);
  console.log(`${'max copies per URL'.padEnd(28)} ${total}`);
} catch (error) {
  console.error(`cardinality: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
