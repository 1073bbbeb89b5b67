/**
 * An in-memory DuckDB (through @duckdb/node-api, whose engine ships as an npm optional package) with
 * the warehouse's flat relations created and filled, for running warehouse/sql/*.sql as written.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { SqlValue } from '../../warehouse/flatten-events.ts';

export type Row = Record<string, string | number | boolean | null>;

export const warehouseSql = (name: string): string => readFileSync(fileURLToPath(new URL(`../../warehouse/sql/${name}`, import.meta.url)), 'utf8');

/** Rows per INSERT: DuckDB binds each value, so a few hundred rows keep one statement small. */
const BATCH = 500;

export async function openWarehouse(ddlFiles: readonly string[], tables: Record<string, readonly SqlValue[][]>): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const file of ddlFiles) await connection.run(warehouseSql(file));
  for (const [table, rows] of Object.entries(tables)) {
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const placeholders = batch.map((row) => `(${row.map(() => '?').join(', ')})`).join(', ');
      await connection.run(`INSERT INTO ${table} VALUES ${placeholders}`, batch.flat());
    }
  }
  return connection;
}

/** Runs a query file; BIGINT counts come back as numbers (they are far below 2^53 here). */
export async function queryFile(connection: DuckDBConnection, name: string): Promise<Row[]> {
  const reader = await connection.runAndReadAll(warehouseSql(name));
  return reader.getRowObjectsJS().map((row) =>
    Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : (value as Row[string])])),
  );
}
