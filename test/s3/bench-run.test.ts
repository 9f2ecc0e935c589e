// `bench run --data s3a://…` against a real MinIO and real Spark: the same dataset written by gen to S3 and to a
// local folder gives run.json the same manifest hash and the real post job the same output checksums; the run reads
// its input through s3a (event log input bytes > 0) with no key on the command line; a missing bucket fails before
// anything is written.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../bench/cli.ts';
import { HARNESS_JOBS_DIR } from '../../bench/fixtures/jobs-dir.ts';
import type { RunMeta, RunRecord } from '../../bench/harness/run/types.ts';
import { createBucket, startS3Server, useServerEnv, type S3Server } from './minio.ts';
import { killStarted, run } from './spark.ts';

const BUCKET = 'benchdata';
const GEN_ARGS = ['--scale', '1mb', '--days', '10', '--end', '2026-01-10', '--progress', 'none', '--workers', '1'];
const SPARK_TEST_TIMEOUT = 900_000; // 2 shared cores: a spark-submit took 60–350 s under load (e2e.test.ts)

let server: S3Server;
let tmp: string;
let restoreEnv: () => void = () => {};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'insights-bench-s3-'));
  server = startS3Server();
  await createBucket(server.client, BUCKET);
  restoreEnv = useServerEnv(server); // bench runs in this process: its S3 client and spark-submit see the server
  const local = await run('node', ['bin/gen.js', ...GEN_ARGS, '--out', join(tmp, 'data')]);
  expect(local.code, local.stderr).toBe(0);
  const s3 = await run('node', ['bin/gen.js', ...GEN_ARGS, '--out', `s3://${BUCKET}/data`], server.env);
  expect(s3.code, s3.stderr).toBe(0);
}, 300_000);

afterAll(() => {
  killStarted();
  restoreEnv();
  server?.dispose();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function bench(args: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    lines.push(String(chunk));
    return write(chunk);
  }) as typeof process.stderr.write;
  try {
    return { code: await main(args), stderr: lines.join('') };
  } finally {
    process.stderr.write = write;
  }
}

const records = (dir: string): RunRecord[] =>
  readFileSync(join(dir, 'runs.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RunRecord);
const meta = (dir: string): RunMeta => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunMeta;

describe('bench run --data s3a://', () => {
  it(
    'runs the real post job from S3 (s3:// read as s3a://) with the manifest hash and checksums of the local-folder run',
    async () => {
      // One configuration of the smoke grid and the real post job, from S3 and from the local folder: two
      // spark-submits in all (the stand-in jobs' grids over S3 and local repeated what bench/harness.test.ts proves).
      const smoke = JSON.parse(readFileSync('bench/grids/smoke.json', 'utf8')) as { base: object; configs: object[] };
      const grid = join(tmp, 'one.json');
      writeFileSync(grid, JSON.stringify({ base: smoke.base, configs: [smoke.configs[0]] }));
      const common = ['run', '--configs', grid, '--jobs-dir', 'spark-jobs', '--jobs', 'post'];
      const fromS3 = join(tmp, 'run-s3');
      const fromDisk = join(tmp, 'run-local');
      const s3 = await bench([...common, '--data', `s3://${BUCKET}/data`, '--out', fromS3]);
      expect(s3.code, s3.stderr.slice(-3000)).toBe(0);
      const local = await bench([...common, '--data', join(tmp, 'data'), '--out', fromDisk]);
      expect(local.code, local.stderr.slice(-3000)).toBe(0);

      expect(meta(fromS3).dataDir).toBe(`s3a://${BUCKET}/data`);
      expect(meta(fromS3).manifestSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(meta(fromS3).manifestSha256).toBe(meta(fromDisk).manifestSha256);

      const s3Runs = records(fromS3);
      const localRuns = records(fromDisk);
      expect(s3Runs.map((r) => `${r.key}:${r.state}`)).toEqual(['c01-post-r1:completed']);
      expect(localRuns.map((r) => `${r.key}:${r.state}`)).toEqual(['c01-post-r1:completed']);
      const [r, twin] = [s3Runs[0]!, localRuns[0]!];
      if (r.state !== 'completed' || twin.state !== 'completed') throw new Error('unreachable: both completed');
      expect(Object.keys(r.checksums)).toEqual(expect.arrayContaining(['daily', 'daily_by_segment']));
      expect(r.checksums).toEqual(twin.checksums);
      expect(r.totals!.inputBytes).toBeGreaterThan(0);
      expect(r.launch.notes.join('\n')).toContain(`input from S3: s3a://${BUCKET}/data via ${server.endpoint}`);
      const args = r.launch.sparkSubmitArgs.join(' ');
      expect(args).toContain(`--interactions s3a://${BUCKET}/data/interactions`);
      expect(args).toContain(`spark.hadoop.fs.s3a.endpoint=${server.endpoint}`);
      expect(args).toContain('spark.hadoop.fs.s3a.connection.ssl.enabled=false');
      expect(args).toMatch(/hadoop-aws-[\d.]+\.jar/);
      expect(args).not.toContain(server.env.AWS_SECRET_ACCESS_KEY!); // keys travel in the environment only
    },
    SPARK_TEST_TIMEOUT,
  );

  it('a missing bucket: one line naming it, non-zero exit, no run folder', async () => {
    const out = join(tmp, 'run-missing');
    const res = await bench([
      'run',
      '--configs',
      'bench/grids/smoke.json',
      '--jobs-dir',
      HARNESS_JOBS_DIR,
      '--data',
      's3a://nonexistent-bucket/x',
      '--out',
      out,
    ]);
    expect(res.code).not.toBe(0);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/bucket nonexistent-bucket not found at http:\/\/127\.0\.0\.1:\d+/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('a missing manifest under an existing bucket names the manifest', async () => {
    const out = join(tmp, 'run-nomanifest');
    const res = await bench([
      'run',
      '--configs',
      'bench/grids/smoke.json',
      '--jobs-dir',
      HARNESS_JOBS_DIR,
      '--data',
      `s3://${BUCKET}/nothing-here`,
      '--out',
      out,
    ]);
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(new RegExp(`s3a://${BUCKET}/nothing-here/_manifest.json not found at http://127.0.0.1:\\d+ \\(write the dataset with`));
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
