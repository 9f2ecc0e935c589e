// Test helper: spark-submit from .venv with the s3a settings for a test's MinIO, and table comparison through
// DuckDB (an independent Parquet reader).
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { ROOT } from './minio.ts';

const VENV_BIN = join(ROOT, '.venv/bin');

export interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** The spark-submit arguments scripts/hadoop-aws.sh prints for the store in `env` (class path + s3a settings). */
export function s3aSubmitArgs(env: Record<string, string>): string[] {
  const out = execFileSync('bash', [join(ROOT, 'scripts/hadoop-aws.sh'), 'submit-args'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return out.split('\n').filter((l) => l !== '');
}

/** Small, quick local settings for tiny data; the jobs' own settings still apply on top where they set them. */
export const TINY_CONF = [
  '--conf',
  'spark.sql.shuffle.partitions=4',
  '--conf',
  'spark.ui.enabled=false',
  '--conf',
  'spark.driver.memory=1g',
  '--conf',
  'spark.sql.session.timeZone=UTC',
];

const running = new Set<number>();

/** Kills what `run` started and is still running (its whole process group: spark-submit's JVM and Python driver).
 * For afterAll, so a failed or timed-out test leaves no Spark behind. */
export function killStarted(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

export function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<ProcResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      detached: true, // its own process group, so killStarted can take the JVM and its Python child together
      cwd: ROOT,
      env: {
        ...process.env,
        PATH: `${VENV_BIN}:${process.env.PATH}`,
        PYSPARK_PYTHON: join(VENV_BIN, 'python'),
        PYSPARK_DRIVER_PYTHON: join(VENV_BIN, 'python'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (child.pid !== undefined) running.add(child.pid);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (child.pid !== undefined) running.delete(child.pid);
      resolve({ code, signal, stdout, stderr, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

export function sparkSubmit(args: string[], env: Record<string, string> = {}): Promise<ProcResult> {
  return run(join(VENV_BIN, 'spark-submit'), args, env);
}

/** Copies every object under s3://bucket/prefix/ into `dir` (keys relative to the prefix). */
export async function download(client: S3Client, Bucket: string, prefix: string, dir: string): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const res = await client.send(new ListObjectsV2Command({ Bucket, Prefix: `${prefix}/`, ContinuationToken }));
    for (const o of res.Contents ?? []) keys.push(o.Key!);
    ContinuationToken = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (ContinuationToken);
  for (const key of keys) {
    const res = await client.send(new GetObjectCommand({ Bucket, Key: key }));
    const path = join(dir, key.slice(prefix.length + 1));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, await res.Body!.transformToByteArray());
  }
  return keys.map((k) => k.slice(prefix.length + 1)).sort();
}

/** A table's rows as sorted canonical strings (doubles to 9 significant digits: sums may add in another order). */
export async function tableRows(dir: string): Promise<string[]> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    const reader = await con.runAndReadAll(`SELECT * FROM read_parquet('${dir.replace(/'/g, "''")}/*.parquet')`);
    const canon = (v: unknown): unknown =>
      typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(9)) : typeof v === 'bigint' ? v.toString() : v;
    return reader
      .getRowsJson()
      .map((row) => JSON.stringify((row as unknown[]).map(canon)))
      .sort();
  } finally {
    con.closeSync();
    db.closeSync();
  }
}
