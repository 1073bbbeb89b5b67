/**
 * `npm run preview-link -- [--segment S] [--variant EXP=VARIANT]... [--ttl SECONDS] [--base URL]
 * [--manifest FILE] PATH`: prints a QA preview link for PATH, signed with the manifest's
 * `preview_signing_key` (the DEV-ONLY one of fastly.toml unless --manifest names another, or the
 * PREVIEW_SIGNING_KEY environment variable for a production key kept out of files).
 */
import { loadManifest } from '../src/local-platform/manifest.ts';
import { importHmacKey } from '../src/core/log/pseudonym.ts';
import { PREVIEW_PARAMETER, signPreview } from '../src/core/experiments/preview.ts';
import { exitWith, firstLine, parseCli, usageLine } from './lib/cli-args.ts';

const USAGE = `usage: npm run preview-link -- [--segment SEGMENT] [--variant EXPERIMENT=VARIANT]... [--ttl SECONDS] [--base URL] [--manifest FILE] PATH
  --segment   force this segment
  --variant   force a variant (repeatable), e.g. --variant hero-copy=bold
  --ttl       seconds the link stays valid (default 3600, at most 604800)
  --base      origin of the printed link (default http://127.0.0.1:7676)
  --manifest  manifest whose preview_signing_key signs the link (default fastly.toml);
              PREVIEW_SIGNING_KEY in the environment takes precedence`;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SPEC = {
  name: 'preview-link',
  usage: USAGE,
  options: {
    segment: { type: 'string' }, variant: { type: 'string', multiple: true }, ttl: { type: 'string', default: '3600' },
    base: { type: 'string', default: 'http://127.0.0.1:7676' }, manifest: { type: 'string', default: 'fastly.toml' },
  },
  positionals: { min: 1, max: 1 },
} as const;

function fail(message: string): never {
  return exitWith(usageLine(SPEC, message), 2);
}

async function main(): Promise<void> {
  const { values, positionals } = parseCli(SPEC);
  const path = positionals[0];
  if (!path?.startsWith('/')) fail('give exactly one PATH starting with "/"');
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 604_800) fail('--ttl must be a whole number of seconds from 1 to 604800');
  if (values.segment !== undefined && !NAME.test(values.segment)) fail('--segment must be a name ([A-Za-z0-9_-]{1,64})');
  const variants: Record<string, string> = {};
  for (const pair of values.variant ?? []) {
    const [experiment, variant, extra] = pair.split('=');
    if (extra !== undefined || !experiment || !variant || !NAME.test(experiment) || !NAME.test(variant)) fail(`--variant ${JSON.stringify(pair)} must be EXPERIMENT=VARIANT`);
    variants[experiment] = variant;
  }
  if (values.segment === undefined && Object.keys(variants).length === 0) fail('force at least a --segment or a --variant');
  const secret = process.env.PREVIEW_SIGNING_KEY ?? loadManifest(values.manifest).secretStores.get('personalization_secrets')?.get('preview_signing_key');
  if (!secret) fail(`${values.manifest}: no preview_signing_key in secret store personalization_secrets`);
  const expires = Math.floor(Date.now() / 1000) + ttl;
  const token = await signPreview(await importHmacKey(secret), { segment: values.segment ?? null, variants, expires });
  const url = new URL(path, values.base);
  url.searchParams.set(PREVIEW_PARAMETER, token);
  console.log(url.href);
}

main().catch((error: unknown) => fail(firstLine(error)));
