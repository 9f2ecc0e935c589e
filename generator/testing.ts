// Helpers for the generator's tests only: run `gen` in-process quietly, read a folder's files, query with DuckDB.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { vi } from 'vitest';
import { main } from './cli.ts';

export async function gen(argv: string[]): Promise<{ code: number; stderr: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  try {
    return { code: await main([...argv, '--progress', 'none']), stderr: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

/** Relative path -> bytes of every file under dir. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const rel of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const p = join(dir, rel);
    if (statSync(p).isFile()) files.set(rel, readFileSync(p));
  }
  return files;
}

export type Row = Record<string, number | string | boolean | null>;

/** Runs SQL in a fresh in-memory DuckDB (UTC session time zone); bigints become numbers. */
export async function query(sql: string): Promise<Row[]> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    await con.run("SET TimeZone = 'UTC'");
    const reader = await con.runAndReadAll(sql);
    return reader
      .getRowObjects()
      .map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v === null || typeof v !== 'object' ? (v as Row[string]) : String(v)]),
        ),
      );
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

export function interactionsGlob(out: string): string {
  return `read_parquet('${out}/interactions/*/*.parquet', hive_partitioning = true)`;
}
export function metadataGlob(out: string): string {
  return `read_parquet('${out}/metadata/*/*.parquet', hive_partitioning = true)`;
}
