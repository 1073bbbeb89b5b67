/**
 * The folders of src/core import each other one way only (docs/architecture.md): a folder that
 * imports another, which imports it back (through any number of folders, type imports included),
 * would make `ls src/core` stop telling the journey in order. The core's own root files
 * (`handler.ts`, `ports.ts`, `later.ts`, …) are the folder itself, not a sibling, and are left out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { expect, it } from 'vitest';

const CORE = resolve(import.meta.dirname, '../../src/core');
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g;

type Graph = ReadonlyMap<string, ReadonlySet<string>>;

/** Folder → the folders its files import, with the file pairs behind each arrow. */
function folderImports(root: string): { graph: Graph; why: Map<string, string> } {
  const graph = new Map<string, Set<string>>();
  const why = new Map<string, string>();
  const folderOf = (file: string): string | null => {
    const parts = relative(root, file).split(sep);
    return parts.length > 1 ? parts[0]! : null;
  };
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const from = folderOf(file);
    if (from === null) continue;
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (!specifier!.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier!);
      const to = target.startsWith(root + sep) ? folderOf(target) : null;
      if (to === null || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
      why.set(`${from} -> ${to}`, `${relative(root, file)} imports ${relative(root, target)}`);
    }
  }
  return { graph, why };
}

/** Every arrow that lies on a cycle, as `a -> b`: an arrow a -> b is on one when b reaches a. */
function arrowsOnCycles(graph: Graph): string[] {
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node === to) return true;
      if (seen.has(node)) continue;
      seen.add(node);
      stack.push(...(graph.get(node) ?? []));
    }
    return false;
  };
  const found: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) if (reaches(to, from)) found.push(`${from} -> ${to}`);
  }
  return found.sort();
}

it.each<{ graph: Record<string, string[]>; cycles: string[] }>([
  { graph: { a: ['b'], b: ['c'] }, cycles: [] },
  { graph: { a: ['b'], b: ['a'] }, cycles: ['a -> b', 'b -> a'] },
  { graph: { a: ['b'], b: ['c'], c: ['a'], d: ['a'] }, cycles: ['a -> b', 'b -> c', 'c -> a'] },
])('finds the arrows on a cycle of $graph', ({ graph, cycles }) => {
  const map = new Map(Object.entries(graph).map(([from, to]) => [from, new Set(to)]));
  expect(arrowsOnCycles(map)).toEqual(cycles);
});

it('reads the imports of the core folders', () => {
  const { graph } = folderImports(CORE);
  expect(graph.get('page')).toContain('esi');
  expect(graph.get('esi')).toContain('experiments');
});

it('has no import cycle between the folders of src/core', () => {
  const { graph, why } = folderImports(CORE);
  expect(arrowsOnCycles(graph).map((arrow) => `${arrow} (${why.get(arrow)})`)).toEqual([]);
});
