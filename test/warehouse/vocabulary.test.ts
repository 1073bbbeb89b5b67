/**
 * The warehouse cannot import TypeScript, so its copies of the closed vocabularies (the BigQuery
 * schemas' value lists, the SQL's literals and column widths) are checked here against the arrays
 * the edge writes from (src/core/log/vocabulary.ts): adding a value there fails this test until
 * the warehouse follows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CONSENT_STATES, FRAGMENT_CACHE_STATES, FRAGMENT_OUTCOMES, PAGE_CACHE_STATES, PROFILE_OUTCOMES, TEMPLATE_CACHE_STATES,
} from '../../src/core/log/vocabulary.ts';

const WAREHOUSE = fileURLToPath(new URL('../../warehouse/', import.meta.url));
const read = (path: string): string => readFileSync(`${WAREHOUSE}${path}`, 'utf8');

interface SchemaField {
  name: string;
  description?: string;
  fields?: SchemaField[];
}

/** Every field whose description opens with a `a | b | c` list, by dotted path. */
function listedValues(fields: SchemaField[], prefix = ''): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const field of fields) {
    const path = `${prefix}${field.name}`;
    const list = /^([\w-]+(?: \| [\w-]+)+)(?:\s|$)/.exec(field.description ?? '');
    if (list) found.set(path, list[1]!.split(' | '));
    for (const [inner, values] of listedValues(field.fields ?? [], `${path}.`)) found.set(inner, values);
  }
  return found;
}

const schema = (name: string): Map<string, string[]> => listedValues(JSON.parse(read(`bigquery/${name}`)) as SchemaField[]);

describe('warehouse vocabularies', () => {
  it.each([
    { table: 'personalization_events.json', field: 'consent', values: CONSENT_STATES },
    { table: 'personalization_events.json', field: 'profile.outcome', values: PROFILE_OUTCOMES },
    { table: 'personalization_events.json', field: 'template.cache', values: TEMPLATE_CACHE_STATES },
    { table: 'personalization_events.json', field: 'fragments.outcome', values: FRAGMENT_OUTCOMES },
    { table: 'personalization_events.json', field: 'fragments.cache', values: FRAGMENT_CACHE_STATES },
    { table: 'personalization_events.json', field: 'pageCache', values: PAGE_CACHE_STATES },
    { table: 'clickstream.json', field: 'consent', values: CONSENT_STATES },
  ])('lists exactly the edge values for $field in $table', ({ table, field, values }) => {
    expect(schema(table).get(field)).toEqual([...values]);
  });

  const COLUMNS: Record<string, readonly string[]> = {
    consent: CONSENT_STATES,
    profile_outcome: PROFILE_OUTCOMES,
    template_cache: TEMPLATE_CACHE_STATES,
    page_cache: PAGE_CACHE_STATES,
    // decision_fragments' own columns.
    outcome: FRAGMENT_OUTCOMES,
    cache: FRAGMENT_CACHE_STATES,
  };
  const sqlFiles = readdirSync(`${WAREHOUSE}sql`).filter((name) => name.endsWith('.sql')).map((name) => `sql/${name}`);

  it.each(sqlFiles)('compares closed columns only with edge values in %s', (file) => {
    const comparison = /\b(consent|profile_outcome|template_cache|page_cache|outcome|cache)\s*(?:=|<>|!=|(?:NOT\s+)?IN)\s*(\([^)]*\)|'[^']*')/gi;
    for (const [, column, operand] of read(file).matchAll(comparison)) {
      const literals = [...operand!.matchAll(/'([^']*)'/g)].map((m) => m[1]);
      for (const literal of literals) expect(COLUMNS[column!.toLowerCase()], `${file}: ${column} = '${literal}'`).toContain(literal);
    }
  });

  it('gives every closed column of the flat tables room for its longest value', () => {
    const ddl = read('sql/flat_tables.sql');
    for (const [column, values] of Object.entries(COLUMNS)) {
      const widths = [...ddl.matchAll(new RegExp(`\\b${column} VARCHAR\\((\\d+)\\)`, 'g'))].map((m) => Number(m[1]));
      expect(widths.length, column).toBeGreaterThan(0);
      for (const width of widths) expect(Math.max(...values.map((v) => v.length)), column).toBeLessThanOrEqual(width);
    }
  });
});
