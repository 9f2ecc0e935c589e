// Order-independent checksums of the Parquet tables a job wrote, computed by DuckDB (an engine independent of Spark).
// Per table: the row count and the sum of a 64-bit hash of each row's canonical text. Canonical text: columns in name
// order (so column order does not matter), NULL as \N, doubles with 9 significant digits (so the order in which
// Spark summed partial aggregates does not matter), everything else as DuckDB casts it to text.
// Why not a hash of sorted rows: sorting a TB-scale table to check it costs more than the job; a sum of hashes is
// one pass and does not care how Spark partitioned the output.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export interface TableChecksum {
  readonly rows: number;
  /** Decimal text of the HUGEINT sum of row hashes ("0" for an empty table). */
  readonly hash: string;
}

const FLOATING = new Set(['DOUBLE', 'FLOAT', 'REAL']);

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

async function listParquetFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue; // _SUCCESS, .crc
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listParquetFiles(path)));
    else if (entry.name.endsWith('.parquet')) found.push(path);
  }
  return found;
}

/** Table folders directly under `outDir` (names not starting with _ or .), each checksummed. */
export async function checksumTables(outDir: string): Promise<Record<string, TableChecksum>> {
  const tables: string[] = [];
  for (const entry of await readdir(outDir, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith('_') && !entry.name.startsWith('.')) tables.push(entry.name);
  }
  tables.sort();
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await instance.connect();
  try {
    const result: Record<string, TableChecksum> = {};
    for (const table of tables) {
      const dir = join(outDir, table);
      if ((await listParquetFiles(dir)).length === 0) {
        result[table] = { rows: 0, hash: '0' };
        continue;
      }
      // hive_partitioning: a table written with partitionBy keeps its key in folder names; it is part of the row.
      const source = `read_parquet(${quoteLiteral(join(dir, '**', '*.parquet'))}, hive_partitioning = true)`;
      const described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjectsJson();
      const columns = described
        .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const parts = columns.map(({ name, type }) => {
        const col = quoteIdent(name);
        const text = FLOATING.has(type) ? `printf('%.9g', ${col}::DOUBLE)` : `${col}::VARCHAR`;
        return `coalesce(${text}, '\\N')`;
      });
      const rowText = parts.length === 0 ? `''` : parts.join(` || chr(31) || `);
      const rows = (
        await conn.runAndReadAll(`SELECT count(*)::BIGINT AS n, coalesce(sum(hash(${rowText})), 0)::VARCHAR AS h FROM ${source}`)
      ).getRowObjectsJson();
      const first = rows[0] ?? { n: 0, h: '0' };
      result[table] = { rows: Number(first.n), hash: String(first.h) };
    }
    return result;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export interface ChecksumDifference {
  readonly table: string;
  /** Each distinct checksum (or "missing") and the runs that produced it. */
  readonly variants: readonly { readonly checksum: string; readonly runs: readonly string[] }[];
}

/**
 * Tables on which runs disagree. `runs` maps a run key to its checksums. A table missing from some runs is a
 * difference too: pre and post must write the same tables.
 */
export function diffChecksums(runs: ReadonlyMap<string, Readonly<Record<string, TableChecksum>>>): ChecksumDifference[] {
  const tables = new Set<string>();
  for (const sums of runs.values()) for (const t of Object.keys(sums)) tables.add(t);
  const differences: ChecksumDifference[] = [];
  for (const table of [...tables].sort()) {
    const byChecksum = new Map<string, string[]>();
    for (const [key, sums] of runs) {
      const sum = sums[table];
      const text = sum === undefined ? 'missing' : `${sum.rows} rows #${sum.hash}`;
      byChecksum.set(text, [...(byChecksum.get(text) ?? []), key]);
    }
    if (byChecksum.size > 1) {
      differences.push({ table, variants: [...byChecksum].map(([checksum, keys]) => ({ checksum, runs: keys })) });
    }
  }
  return differences;
}

/** A plain-text table of differences for the terminal. */
export function formatDifferences(differences: readonly ChecksumDifference[]): string {
  const lines = ['table                 checksum                                   runs'];
  for (const d of differences) {
    for (const v of d.variants) {
      lines.push(`${d.table.padEnd(21)} ${v.checksum.padEnd(42)} ${v.runs.join(', ')}`);
    }
  }
  return lines.join('\n');
}
