/**
 * Reads the three documents of `personalization_config` and parses each at the boundary. A bad
 * document falls back to its defaults on its own; the problems travel with the result.
 */
import type { Deps } from '../ports.ts';
import { parseSettings, type Settings } from './settings.ts';
import { parseSegments, type SegmentConfig } from './segments.ts';
import { parseExperiments, type ExperimentConfig } from './experiments.ts';

export interface LoadedConfig {
  settings: Settings;
  segments: SegmentConfig;
  experiments: ExperimentConfig;
  problems: string[];
}

/**
 * The last documents parsed and their result. Compute may only read config stores while handling a
 * request and normally runs each request in a fresh sandbox, so there this saves nothing; a host
 * that serves many requests from one process (the Node host) parses the three JSON documents once
 * per change instead of once per request. Keyed by the raw text, so an edited store is seen at once.
 */
let last: { raw: readonly (string | null)[]; loaded: LoadedConfig } | null = null;

export function loadConfig(deps: Pick<Deps, 'config'>): LoadedConfig {
  const raw = [read(deps, 'settings'), read(deps, 'segments'), read(deps, 'experiments')] as const;
  if (last && last.raw[0] === raw[0] && last.raw[1] === raw[1] && last.raw[2] === raw[2]) return last.loaded;
  const loaded = parse(...raw);
  last = { raw, loaded };
  return loaded;
}

function parse(settingsText: string | null, segmentsText: string | null, experimentsText: string | null): LoadedConfig {
  const settings = parseSettings(settingsText);
  const segments = parseSegments(segmentsText);
  const experiments = parseExperiments(experimentsText);
  return {
    settings: settings.value,
    segments: segments.value,
    experiments: experiments.value,
    // concat, not spreads: in the Wasm guest a spread runs the engine's self-hosted iterator.
    problems: settings.problems.concat(segments.problems, experiments.problems),
  };
}

/** A store that cannot be read behaves like an absent key: defaults, never a 5xx. */
function read(deps: Pick<Deps, 'config'>, key: 'settings' | 'segments' | 'experiments'): string | null {
  try {
    return deps.config(key);
  } catch {
    return null;
  }
}
