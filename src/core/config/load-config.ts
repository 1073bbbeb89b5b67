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

export function loadConfig(deps: Pick<Deps, 'config'>): LoadedConfig {
  const settings = parseSettings(read(deps, 'settings'));
  const segments = parseSegments(read(deps, 'segments'));
  const experiments = parseExperiments(read(deps, 'experiments'));
  return {
    settings: settings.value,
    segments: segments.value,
    experiments: experiments.value,
    problems: [...settings.problems, ...segments.problems, ...experiments.problems],
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
