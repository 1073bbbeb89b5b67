/**
 * No module of src/core keeps a visitor's request data between requests. On the Node host one
 * process serves many visitors, so a module-level `let`, or a Map or Set made at module level,
 * outlives the request that filled it: each such binding is listed here with what it holds, and a
 * new one fails this test until it is (a memo of request data belongs to the request or the page,
 * as query-normalize.ts's `QueryMemo` does, or in a WeakMap keyed by the page's own object).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

const CORE = resolve(import.meta.dirname, '../../src/core');

/** `file:name` → what the binding holds, and why that is no visitor's request data. */
const ALLOWED: Readonly<Record<string, string>> = {
  'esi/pair-views.ts:windows': 'whether the runtime has the view it probes for',
  'esi/latin1-view.ts:latin1': 'a TextDecoder, made once',
  'esi/pair-search.ts:decoder': 'a TextDecoder, made once',
  'config/load-config.ts:last': "the service's configuration as last loaded",
  'decision/decide.ts:lastExperiments': "the configuration's experiments",
  'decision/decide.ts:lastControls': "the configuration's control variants",
  'visitor/cookie-header.ts:lastNames': 'cookie names the configuration asks for',
  'visitor/cookie-header.ts:lastPattern': 'a RegExp made from those names',
  'esi/esi-variables.ts:queries': "a WeakMap keyed by a page's variables: its entry goes with the page",
  'esi/variable-reads.ts:reads': "a WeakMap keyed by a page's variables: its entry goes with the page",
  'esi/block-opener.ts:BLOCKS': 'constant block names',
  'config/experiments.ts:KEYS': 'constant field names',
  'http/cache-directives.ts:seen': "origin answers' Cache-Control values (bounded: 64 of at most 256 characters)",
  'http/storage-policy.ts:NEGATIVE_STATUSES': 'constant statuses',
  'crypto/web-crypto.ts:imported': "the service's keys, imported once",
  'decision/visitor-hash.ts:PREFIX_STATES': "hash states of the configuration's salts (bounded)",
  'visitor/geo-region.ts:WEST': 'constant region codes',
  'handler.ts:RESERVED_PATHS': 'constant routes',
  'cache-key/tracking-parameters.ts:TRACKING_NAMES': 'constant parameter names',
  'beacon/beacon-body.ts:FIELDS': 'constant field names',
  'profile/profile-parse.ts:MADE': 'a WeakSet of the profiles the parser made: an entry goes with its profile',
  'visitor/device-class.ts:BOT_MARKERS': 'constant markers',
  'visitor/device-class.ts:MOBILE_MARKERS': 'constant markers',
  'visitor/device-class.ts:TABLET_MARKERS': 'constant markers',
  'visitor/visitor-facts.ts:COOKIE_NAMES': 'constant cookie names',
};

const CONTAINERS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array']);

/** A top-level declaration that can change: `let`/`var`, or a `const` holding a new container not typed read-only. */
function mutableBindings(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const list = statement.declarationList;
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of list.declarations) {
      const name = declaration.name.getText(source);
      if (!isConst || isMutableContainer(declaration, source)) names.push(name);
    }
  }
  return names;
}

function isMutableContainer(declaration: ts.VariableDeclaration, source: ts.SourceFile): boolean {
  const init = declaration.initializer;
  if (init === undefined) return false;
  if (declaration.type !== undefined && /^Readonly|^readonly /.test(declaration.type.getText(source))) return false;
  if (ts.isArrayLiteralExpression(init)) return true;
  return ts.isNewExpression(init) && CONTAINERS.has(init.expression.getText(source));
}

function coreBindings(): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(CORE, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    for (const name of mutableBindings(file)) found.push(`${relative(CORE, file)}:${name}`);
  }
  return found.sort();
}

it('keeps no module-level binding in src/core that is not listed with what it holds', () => {
  const unlisted = coreBindings().filter((binding) => !Object.hasOwn(ALLOWED, binding));
  expect(unlisted, 'a module-level binding outlives its request: list it with what it holds, or scope it to the request').toEqual([]);
});

it('keeps no query between requests: query-normalize.ts has no module-level state', () => {
  expect(mutableBindings(join(CORE, 'cache-key/query-normalize.ts'))).toEqual([]);
});
