// Loads one job output folder (OUT_DIR) with DuckDB: every table as plain row objects with numbers and ISO dates,
// so the analysis and the charts never touch DuckDB types. Rejects a folder without the tables at the door.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  OUTPUT_COLUMNS,
  type AppVersionDailyRow,
  type DailyBySegmentRow,
  type DailyRow,
  type InsightsTables,
  type MonthlyRow,
  type QuarantineByReasonRow,
  type RunInfo,
  type SessionsBySegmentRow,
  type SessionsDailyRow,
  type TopUserRow,
} from './types.ts';
import { InputError } from '../lib/errors.ts';

type TableName = keyof typeof OUTPUT_COLUMNS;

/** Tables without which there is no report; the others are charted when present. */
const requiredTables = ['daily', 'sessions_daily'] as const;

function hasParquet(dir: string): boolean {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.parquet')) return true;
    if (entry.isDirectory() && hasParquet(join(dir, entry.name))) return true;
  }
  return false;
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

function scan(dir: string): string {
  // Spark may partition a table by a column (hive folders); union_by_name survives files written by different runs.
  return `read_parquet(${sqlString(join(dir, '**', '*.parquet'))}, union_by_name = true, hive_partitioning = true)`;
}

async function columnsOf(conn: DuckDBConnection, dir: string): Promise<Set<string>> {
  const reader = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${scan(dir)}`);
  return new Set(reader.getRowObjectsJS().map((r) => String(r.column_name)));
}

async function readTable<Row>(conn: DuckDBConnection, outDir: string, table: TableName): Promise<Row[] | undefined> {
  const dir = join(outDir, table);
  if (!hasParquet(dir)) return undefined;
  const spec: Record<string, 'date' | 'num' | 'str'> = OUTPUT_COLUMNS[table];
  const present = await columnsOf(conn, dir);
  const missing = Object.keys(spec).filter((c) => !present.has(c));
  if (missing.length > 0) {
    throw new InputError(`table ${table} in ${outDir} lacks column(s) ${missing.join(', ')} (found: ${[...present].join(', ')})`, 'INSIGHTS_BAD_TABLE');
  }
  const select = Object.entries(spec).map(([name, kind]) => {
    const col = `"${name}"`;
    if (kind === 'date') return `strftime(CAST(${col} AS DATE), '%Y-%m-%d') AS ${col}`;
    if (kind === 'num') return `CAST(${col} AS DOUBLE) AS ${col}`;
    return `CAST(${col} AS VARCHAR) AS ${col}`;
  });
  const order = 'date' in spec ? 'ORDER BY "date"' : 'month' in spec ? 'ORDER BY "month"' : '';
  const reader = await conn.runAndReadAll(`SELECT ${select.join(', ')} FROM ${scan(dir)} ${order}`);
  return reader.getRowObjectsJS() as Row[];
}

async function readQuarantine(conn: DuckDBConnection, outDir: string): Promise<QuarantineByReasonRow[] | undefined> {
  const dir = join(outDir, 'quarantine');
  if (!hasParquet(dir)) return undefined;
  const reader = await conn.runAndReadAll(
    `SELECT CAST(reason AS VARCHAR) AS reason, CAST(count(*) AS DOUBLE) AS "rows" FROM ${scan(dir)}
     GROUP BY reason ORDER BY "rows" DESC, reason`,
  );
  return reader.getRowObjectsJS() as unknown as QuarantineByReasonRow[];
}

function readRunInfo(outDir: string): RunInfo | undefined {
  const path = join(outDir, '_run.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunInfo;
  } catch (err) {
    throw new InputError(`${path} is not valid JSON: ${(err as Error).message}`, 'INSIGHTS_BAD_TABLE');
  }
}

/** Reads every table the report knows from `outDir`. Throws InputError when the required ones are absent. */
export async function loadTables(outDir: string): Promise<InsightsTables> {
  const absent = requiredTables.filter((t) => !hasParquet(join(outDir, t)));
  if (absent.length > 0) {
    throw new InputError(
      `${outDir} holds no job output: missing Parquet table folder(s) ${absent.join(', ')} (run a spark job with --out ${outDir} first)`,
      'INSIGHTS_NO_TABLES',
    );
  }
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const daily = (await readTable<DailyRow>(conn, outDir, 'daily')) ?? [];
    const sessionsDaily = (await readTable<SessionsDailyRow>(conn, outDir, 'sessions_daily')) ?? [];
    if (daily.length === 0 || sessionsDaily.length === 0) {
      throw new InputError(`${outDir}: tables daily and sessions_daily are empty`, 'INSIGHTS_NO_TABLES');
    }
    return {
      outDir,
      daily,
      sessionsDaily,
      monthly: await readTable<MonthlyRow>(conn, outDir, 'monthly'),
      dailyBySegment: await readTable<DailyBySegmentRow>(conn, outDir, 'daily_by_segment'),
      sessionsBySegment: await readTable<SessionsBySegmentRow>(conn, outDir, 'sessions_by_segment'),
      quarantineByReason: await readQuarantine(conn, outDir),
      topUsers: (await readTable<TopUserRow>(conn, outDir, 'top_users'))?.sort((a, b) => b.events - a.events),
      appVersionsDaily: await readTable<AppVersionDailyRow>(conn, outDir, 'app_versions_daily'),
      run: readRunInfo(outDir),
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
