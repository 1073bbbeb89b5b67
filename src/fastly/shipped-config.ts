/**
 * The `personalization_config` documents this service ships with, character for character: the
 * demo's (fastly.toml's `[local_server]` store) and the ones `fastly compute deploy` creates
 * (`[setup]`); a test keeps them equal to the manifest. The build-time warm-up parses them into the
 * config memo (text-memo.ts), so a request whose store holds exactly one of these texts skips
 * validating it: ~0.4–0.6 ms of interpreted work per request inside the Wasm guest. Any other text
 * is parsed as before, so nothing here can go stale.
 */
import type { ConfigKey } from '../core/ports.ts';

export const SHIPPED_CONFIG: Readonly<Record<ConfigKey, string>> = {
  settings: `{"consentMode": "opt-in", "profileTimeoutMs": 50, "fragmentTimeoutMs": 150, "pageDeadlineMs": 400,
 "maxIncludes": 16, "includeHosts": ["www.example.com"],
 "routes": [{"prefix": "/fragments/", "backend": "fragments"}],
 "debugHeaders": true, "logSampleRate": 1, "locales": ["en-US", "en-GB", "de-DE", "fr-FR"],
 "passPrefixes": ["/cart", "/checkout"]}
`,
  segments: `{"version": 1, "default": "general", "rules": [
  {"segment": "vip", "when": {"profile.tier": {"in": ["gold", "platinum"]}}},
  {"segment": "runner", "when": {"profile.affinities.running": {"gte": 0.6}}},
  {"segment": "runner", "when": {"session.categories": {"contains": "running"}}},
  {"segment": "outdoor", "when": {"profile.affinities.outdoor": {"gte": 0.6}}},
  {"segment": "mobile-visitor", "when": {"device": {"eq": "mobile"}}}
]}
`,
  experiments: `[{"id": "hero-copy", "variants": [{"id": "control", "weight": 50}, {"id": "bold", "weight": 50}],
  "rollout": 100, "segments": ["general", "runner", "outdoor", "mobile-visitor"]},
 {"id": "recs-layout", "variants": [{"id": "control", "weight": 50}, {"id": "grid", "weight": 50}],
  "rollout": 100, "segments": []}]
`,
};

/** What `fastly compute deploy` puts in a new store (fastly.toml's `[setup]` items). */
export const DEPLOYED_CONFIG: Readonly<Record<ConfigKey, string>> = {
  settings: '{"consentMode": "opt-in", "includeHosts": ["www.example.com"]}',
  segments: '{"version": 1, "default": "general", "rules": []}',
  experiments: '[]',
};
