/**
 * The `experiments` document of `personalization_config` (docs/contracts.md#configuration): a list of experiments
 * with weighted variants, a rollout percentage and optional segment targeting. Validated as a
 * whole at the boundary; an invalid document means no experiments (everyone `control`).
 */
import type { Parsed } from './parsed-document.ts';
import { memoByText } from './text-memo.ts';

export interface Variant {
  id: string;
  weight: number;
}

export interface Experiment {
  id: string;
  variants: readonly Variant[];
  /** The first variant named `control`, else the first variant. */
  control: string;
  /** Percentage of eligible visitors in the experiment, 0–100 (0 is the kill switch). */
  rollout: number;
  /** Segments the experiment targets; empty means every segment. */
  segments: readonly string[];
}

export type ExperimentConfig = readonly Experiment[];

export const DEFAULT_EXPERIMENTS: ExperimentConfig = Object.freeze([]);
export const MAX_EXPERIMENTS = 16;
export const MAX_VARIANTS = 16;
const MAX_TEXT = 64 * 1024;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const KEYS = new Set(['id', 'variants', 'rollout', 'segments']);

/** Parses the `experiments` JSON text; null (absent key) means no experiments, no problem. */
export function parseExperiments(text: string | null): Parsed<ExperimentConfig> {
  return text === null ? { value: DEFAULT_EXPERIMENTS, problems: [] } : parseExperimentsMemo(text);
}

/** Remembered by text (text-memo.ts): validating the list is interpreted work in the Wasm guest. */
const parseExperimentsMemo = memoByText(parseExperimentsText);

function parseExperimentsText(text: string): Parsed<ExperimentConfig> {
  const problems: string[] = [];
  const value = read(text, problems);
  if (value === null || problems.length > 0) {
    return { value: DEFAULT_EXPERIMENTS, problems: problems.map((p) => `experiments: ${p}`) };
  }
  return { value, problems: [] };
}

function read(text: string, problems: string[]): ExperimentConfig | null {
  if (text.length > MAX_TEXT) return fail(problems, `document over ${MAX_TEXT} characters`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail(problems, 'not valid JSON');
  }
  if (!Array.isArray(raw) || raw.length > MAX_EXPERIMENTS) return fail(problems, `must be an array of at most ${MAX_EXPERIMENTS} experiments`);
  // Indexed loops, no Sets built from arrays: in the Wasm guest those run the engine's self-hosted
  // iterator code, interpreted, and this runs on every request there.
  const list: unknown[] = raw;
  const experiments: Experiment[] = [];
  const ids: Array<string | undefined> = [];
  for (let i = 0; i < list.length; i++) {
    const experiment = readExperiment(list[i], `[${i}]`, problems);
    ids.push(experiment?.id);
    if (experiment !== null) experiments.push(experiment);
  }
  if (!unique(ids)) problems.push('experiment ids must be unique');
  return problems.length > 0 ? null : Object.freeze(experiments);
}

function unique(values: readonly unknown[]): boolean {
  for (let i = 1; i < values.length; i++) if (values.indexOf(values[i]) !== i) return false;
  return true;
}

function readExperiment(raw: unknown, where: string, problems: string[]): Experiment | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(problems, `${where} must be an object`);
  const entry = raw as Record<string, unknown>;
  const keys = Object.keys(entry);
  for (let i = 0; i < keys.length; i++) {
    if (!KEYS.has(keys[i]!)) problems.push(`${where}: unknown key ${JSON.stringify(keys[i]!.slice(0, 40))}`);
  }
  if (typeof entry.id !== 'string' || !NAME.test(entry.id)) return fail(problems, `${where}.id must be a name ([A-Za-z0-9_-]{1,64})`);
  const variants = readVariants(entry.variants, `${where}.variants`, problems);
  const rollout = entry.rollout ?? 100;
  if (typeof rollout !== 'number' || !(rollout >= 0 && rollout <= 100)) return fail(problems, `${where}.rollout must be a number from 0 to 100`);
  const segments = entry.segments ?? [];
  if (!Array.isArray(segments) || segments.length > 64 || !allNames(segments)) {
    return fail(problems, `${where}.segments must be an array of at most 64 segment names`);
  }
  if (variants === null) return null;
  let control = variants[0]?.id ?? 'control';
  for (let i = 0; i < variants.length; i++) if (variants[i]!.id === 'control') control = 'control';
  return Object.freeze({ id: entry.id, variants, control, rollout, segments: Object.freeze(segments.slice() as string[]) });
}

function allNames(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const name = list[i];
    if (typeof name !== 'string' || !NAME.test(name)) return false;
  }
  return true;
}

function readVariants(raw: unknown, where: string, problems: string[]): readonly Variant[] | null {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_VARIANTS) {
    return fail(problems, `${where} must be an array of 1 to ${MAX_VARIANTS} variants`);
  }
  const variants: Variant[] = [];
  const list: unknown[] = raw;
  for (let i = 0; i < list.length; i++) {
    const v = list[i] as { id?: unknown; weight?: unknown } | null;
    if (typeof v !== 'object' || v === null || typeof v.id !== 'string' || !NAME.test(v.id)) {
      return fail(problems, `${where}: each variant needs an id ([A-Za-z0-9_-]{1,64})`);
    }
    if (!Number.isInteger(v.weight) || (v.weight as number) < 0 || (v.weight as number) > 1_000_000) {
      return fail(problems, `${where}: weights must be integers from 0 to 1000000`);
    }
    variants.push(Object.freeze({ id: v.id, weight: v.weight as number }));
  }
  const ids: string[] = [];
  let positive = false;
  for (let i = 0; i < variants.length; i++) {
    ids.push(variants[i]!.id);
    if (variants[i]!.weight > 0) positive = true;
  }
  if (!unique(ids)) return fail(problems, `${where}: variant ids must be unique`);
  if (!positive) return fail(problems, `${where}: at least one weight must be positive`);
  return Object.freeze(variants);
}

function fail(problems: string[], message: string): null {
  problems.push(message);
  return null;
}
