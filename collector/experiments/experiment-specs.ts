/**
 * What the collector needs to know about each experiment: its variants and weights (the edge's
 * own `experiments` document, parsed by the edge's parser so both sides agree on what is valid)
 * and the beacon slots its variable shapes (`experiment_slots`, a collector-only key in the same
 * config store, e.g. `{"hero-copy": ["hero"], "recs-layout": ["recs"]}`). Clicks in any other slot
 * never count toward the experiment.
 */
import { parseExperiments, type Variant } from '../../src/core/config/experiments.ts';
import { loadManifest } from '../../src/local-platform/manifest.ts';

export interface ExperimentSpec {
  id: string;
  control: string;
  variants: readonly Variant[];
  slots: readonly string[];
}

export interface SpecsParse {
  specs: readonly ExperimentSpec[];
  problems: string[];
}

export const CONFIG_STORE = 'personalization_config';
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function experimentSpecs(experimentsText: string | null, slotsText: string | null): SpecsParse {
  const parsed = parseExperiments(experimentsText);
  const slots = parseSlots(slotsText);
  const problems = [...parsed.problems, ...slots.problems];
  const specs = parsed.value.map((e) => ({ id: e.id, control: e.control, variants: e.variants, slots: slots.value.get(e.id) ?? [] }));
  for (const spec of specs) if (spec.slots.length === 0) problems.push(`experiment_slots: ${spec.id} lists no slot, so no click counts toward it`);
  return { specs, problems };
}

/** Reads both documents from the manifest's local `personalization_config` store. */
export function loadExperimentSpecs(manifestPath: string): SpecsParse {
  const store = loadManifest(manifestPath).configStores.get(CONFIG_STORE);
  return experimentSpecs(store?.get('experiments') ?? null, store?.get('experiment_slots') ?? null);
}

function parseSlots(text: string | null): { value: Map<string, string[]>; problems: string[] } {
  const value = new Map<string, string[]>();
  if (text === null) return { value, problems: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { value, problems: ['experiment_slots: not valid JSON'] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { value, problems: ['experiment_slots: must be an object of experiment id → slot names'] };
  const problems: string[] = [];
  for (const [id, slots] of Object.entries(raw)) {
    if (!NAME.test(id) || !Array.isArray(slots) || slots.length > 64 || !slots.every((s) => typeof s === 'string' && NAME.test(s))) {
      problems.push(`experiment_slots: ${JSON.stringify(id.slice(0, 40))} must map to an array of slot names`);
    } else value.set(id, slots as string[]);
  }
  return { value, problems };
}
