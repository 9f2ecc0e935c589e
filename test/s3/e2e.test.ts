// The real deployment path end to end, against a real MinIO on 127.0.0.1 and real Spark:
// gen → S3 (same bytes as a local run) → both jobs reading and writing s3a:// → tables equal to the local-disk run;
// a job pointed at a missing input or a corrupt Parquet file fails naming it and leaves the previous output
// untouched; a standalone-cluster worker killed mid post job does not change its tables; `bench run --data s3://…`
// with the real post job gives run.json the manifest hash of the local folder and the tables of the local-disk run,
// reading its input through s3a with no key on the command line; a missing bucket or manifest fails before anything
// is written. One MinIO, one gen dataset (S3 and local) and one local-disk post run serve every test here.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { main } from '../../bench/cli.ts';
import { captureIo } from '../../bench/fixtures/capture-io.ts';
import { HARNESS_JOBS_DIR } from '../../bench/fixtures/jobs-dir.ts';
import { checksumTables } from '../../bench/harness/run/checksum.ts';
import { manifestSha256 } from '../../bench/harness/run/provenance.ts';
import type { RunMeta, RunRecord } from '../../bench/harness/run/types.ts';
import { filesUnder, sha } from './files.ts';
import { createBucket, startS3Server, useServerEnv, type S3Server } from './minio.ts';
import { TINY_CONF, download, killStarted, run, s3aSubmitArgs, sparkSubmit, tableRows } from './spark.ts';

const BUCKET = 'e2e';
// Tiny on purpose (2 cores shared): 10 days, ~1 MB of interactions.
const GEN_ARGS = ['--scale', '1mb', '--days', '10', '--end', '2026-01-10', '--progress', 'none', '--workers', '1'];
const JOBS = ['pre_optimization', 'post_optimization'] as const;
const REFERENCE = 'post_optimization'; // the local-disk run the s3a runs are compared with
// Parquet output: the tables are compared file for file with DuckDB; on S3 the run's record is a `_runs` table.
const PARQUET = ['--output-format', 'parquet'];
// Spark on 2 shared cores: one spark-submit here took 60-350 s depending on what else ran (measured 2026-11-25).
const SPARK_TEST_TIMEOUT = 900_000;

let server: S3Server;
let tmp: string;

async function objectEtags(prefix: string): Promise<Record<string, string>> {
  const res = await server.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return Object.fromEntries((res.Contents ?? []).map((o) => [o.Key!, `${o.ETag}:${o.Size}`]));
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'insights-e2e-'));
  server = startS3Server();
  await createBucket(server.client, BUCKET);
});

afterAll(async () => {
  killStarted();
  if (tmp) await run('bash', ['scripts/spark-cluster.sh', 'stop'], { SPARK_CLUSTER_DIR: join(tmp, 'cluster') });
  server?.dispose();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('gen → S3 → jobs over s3a', () => {
  it('gen writes to S3 the same bytes as to a local folder', async () => {
    const local = await run('node', ['bin/gen.js', ...GEN_ARGS, '--out', join(tmp, 'data')]);
    expect(local.code, local.stderr).toBe(0);
    const s3 = await run('node', ['bin/gen.js', ...GEN_ARGS, '--out', `s3://${BUCKET}/data`], server.env);
    expect(s3.code, s3.stderr).toBe(0);
    expect(s3.stderr).not.toMatch(/Warning/);

    const localFiles = filesUnder(join(tmp, 'data'));
    expect(localFiles.some((f) => f.startsWith('interactions/date=2026-01-10/'))).toBe(true);
    const keys = await download(server.client, BUCKET, 'data', join(tmp, 'data-from-s3'));
    expect(keys).toEqual(localFiles);
    for (const f of localFiles) {
      if (f.startsWith('_manifest')) continue; // the manifest names its output location
      expect(sha(readFileSync(join(tmp, 'data-from-s3', f))), f).toBe(sha(readFileSync(join(tmp, 'data', f))));
    }
  });

  it(
    'both jobs read and write s3a:// and produce the tables of the local-disk run',
    async () => {
      const local = join(tmp, 'data');
      const s3 = `s3a://${BUCKET}/data`;
      // Both jobs over s3a, and one local-disk run as the reference: pre and post write the same tables (exactly:
      // spark-jobs/tests/test_generated.py), so comparing both s3a runs with the local post run proves each job's
      // s3a path and saves a local pre run (the slowest job) in the one Spark session.
      const runs: [string, string[]][] = [
        ...JOBS.map((job): [string, string[]] => [
          job,
          ['--interactions', `${s3}/interactions`, '--metadata', `${s3}/metadata`, '--out', `s3a://${BUCKET}/out/${job}`, ...PARQUET],
        ]),
        [REFERENCE, ['--interactions', `${local}/interactions`, '--metadata', `${local}/metadata`, '--out', join(tmp, 'out', REFERENCE), ...PARQUET]],
      ];
      // A missing input folder, in the same session (a JVM start saved): must fail naming the path, write nothing.
      runs.push([
        'post_optimization',
        ['--interactions', `s3a://${BUCKET}/no-such-folder/interactions`, '--metadata', `${s3}/metadata`, '--out', `s3a://${BUCKET}/out/never`],
      ]);
      const res = await sparkSubmit(['--master', 'local[2]', ...TINY_CONF, ...s3aSubmitArgs(server.env), 'test/s3/run_jobs.py', JSON.stringify(runs)]);
      const lines = res.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { ok: boolean; error?: string });
      expect(
        lines.slice(0, 3).filter((l) => !l.ok),
        res.stderr.slice(-3000),
      ).toEqual([]);
      expect(lines).toHaveLength(4);
      expect(lines[3]).toMatchObject({ ok: false, error: `InputError: input not found: s3a://${BUCKET}/no-such-folder/interactions` });
      expect(await objectEtags('out/never/')).toEqual({});
      expect(res.code).toBe(1); // run_jobs.py exits 1 when any run failed: here exactly the missing-input one
      console.log(`3 job runs (2 over s3a) in one spark-submit: ${res.seconds.toFixed(1)} s`, lines);

      const localOut = join(tmp, 'out', REFERENCE);
      for (const job of JOBS) {
        const fromS3 = join(tmp, 'out-from-s3', job);
        await download(server.client, BUCKET, `out/${job}`, fromS3);
        const tables = readdirSync(localOut)
          .filter((t) => statSync(join(localOut, t)).isDirectory())
          .sort();
        expect(tables.length).toBeGreaterThanOrEqual(5);
        expect(
          readdirSync(fromS3)
            .filter((t) => statSync(join(fromS3, t)).isDirectory() && !t.startsWith('_'))
            .sort(),
        ).toEqual(tables);
        for (const t of tables) {
          const want = await tableRows(join(localOut, t));
          if (t === 'daily') expect(want.length, `${job}/${t}`).toBe(10);
          expect(await tableRows(join(fromS3, t)), `${job}/${t}`).toEqual(want);
        }
      }
    },
    SPARK_TEST_TIMEOUT,
  );

  it(
    'a corrupt Parquet file: one line naming the file, non-zero exit, previous output untouched',
    async () => {
      const before = await objectEtags('out/post_optimization/');
      expect(Object.keys(before).length).toBeGreaterThan(0);
      // spark-submit's PythonRunner merges the Python driver's stderr into its own stdout: look at both.
      const submit = (interactions: string): Promise<Awaited<ReturnType<typeof sparkSubmit>>> =>
        sparkSubmit([
          '--master',
          'local[2]',
          ...TINY_CONF,
          ...s3aSubmitArgs(server.env),
          'spark-jobs/post_optimization.py',
          '--interactions',
          interactions,
          '--metadata',
          `s3a://${BUCKET}/data/metadata`,
          '--out',
          `s3a://${BUCKET}/out/post_optimization`,
        ]);

      // Corrupt one interactions file in place: same key, garbage bytes.
      const list = await server.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'data/interactions/date=2026-01-09/' }));
      const victim = list.Contents!.find((o) => o.Key!.endsWith('.parquet'))!.Key!;
      const original = await (await server.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: victim }))).Body!.transformToByteArray();
      await server.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: victim, Body: Buffer.from('this is not parquet'.repeat(10)) }));
      try {
        const corrupt = await submit(`s3a://${BUCKET}/data/interactions`);
        expect(corrupt.code).not.toBe(0);
        const oneLine = (corrupt.stdout + corrupt.stderr).split('\n').filter((l) => l.startsWith('post_optimization: error'));
        expect(oneLine, corrupt.stderr.slice(-2000)).toHaveLength(1);
        expect(oneLine[0]).toContain(victim.split('/').pop());
      } finally {
        await server.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: victim, Body: original }));
      }
      expect(await objectEtags('out/post_optimization/')).toEqual(before);
    },
    SPARK_TEST_TIMEOUT,
  );

  it(
    'a standalone-cluster worker killed -9 in the middle of the post job: the job finishes, tables equal an undisturbed run',
    async () => {
      const clusterDir = join(tmp, 'cluster');
      const clusterEnv = { SPARK_CLUSTER_DIR: clusterDir };
      const started = await run('bash', ['scripts/spark-cluster.sh', 'start'], clusterEnv);
      expect(started.code, started.stderr).toBe(0);
      try {
        const state = JSON.parse(readFileSync(join(clusterDir, 'state.json'), 'utf8')) as {
          masterUrl: string;
          workers: { pid: number; workDir: string }[];
        };
        const victim = state.workers[0]!;
        const job = sparkSubmit([
          '--master',
          state.masterUrl,
          ...TINY_CONF,
          ...s3aSubmitArgs(server.env),
          '--conf',
          'spark.executor.cores=1',
          '--conf',
          'spark.executor.memory=512m',
          '--conf',
          'spark.cores.max=2',
          'spark-jobs/post_optimization.py',
          '--interactions',
          `s3a://${BUCKET}/data/interactions`,
          '--metadata',
          `s3a://${BUCKET}/data/metadata`,
          '--out',
          `s3a://${BUCKET}/out/post-cluster`,
          ...PARQUET,
        ]);
        let finished = false;
        void job.then(() => (finished = true));

        // Kill when the victim's executor has finished a few tasks: it then holds shuffle output the job still needs.
        const finishedTasks = (): number => {
          let n = 0;
          for (const app of readdirSync(victim.workDir).filter((d) => d.startsWith('app-'))) {
            for (const exec of readdirSync(join(victim.workDir, app))) {
              try {
                n += (readFileSync(join(victim.workDir, app, exec, 'stderr'), 'utf8').match(/Finished task/g) ?? []).length;
              } catch {
                // the executor folder exists before its log does
              }
            }
          }
          return n;
        };
        while (!finished && finishedTasks() < 3) await new Promise((r) => setTimeout(r, 200));
        expect(finished, 'the job ended before the worker could be killed').toBe(false);
        // The whole "node": the worker daemon and the executor JVMs it launched.
        const children = (await run('pgrep', ['-P', String(victim.pid)])).stdout.split('\n').filter(Boolean).map(Number);
        for (const pid of [victim.pid, ...children]) process.kill(pid, 'SIGKILL');
        console.log(`killed worker ${victim.pid} and executors ${children.join(',')} after ${finishedTasks()} finished tasks`);

        const res = await job;
        expect(res.code, (res.stdout + res.stderr).slice(-3000)).toBe(0);
        expect(res.stderr).toMatch(/(Lost executor|ExecutorLost|Executor .* lost|Removed executor)/i);
        console.log(`post job on the cluster with a worker killed: ${res.seconds.toFixed(1)} s`);

        const fromCluster = join(tmp, 'out-cluster');
        await download(server.client, BUCKET, 'out/post-cluster', fromCluster);
        const undisturbed = join(tmp, 'out', 'post_optimization');
        const tables = readdirSync(undisturbed)
          .filter((t) => statSync(join(undisturbed, t)).isDirectory())
          .sort();
        expect(tables.length).toBeGreaterThanOrEqual(5);
        for (const t of tables) {
          expect(await tableRows(join(fromCluster, t)), t).toEqual(await tableRows(join(undisturbed, t)));
        }
      } finally {
        await run('bash', ['scripts/spark-cluster.sh', 'stop'], clusterEnv);
      }
    },
    SPARK_TEST_TIMEOUT,
  );
});

/** `bench …` in this process (bench reads the server's keys from process.env), its stderr captured. */
async function bench(args: string[]): Promise<{ code: number; stderr: string }> {
  const io = captureIo();
  try {
    return { code: await main(args), stderr: io.err() };
  } finally {
    vi.restoreAllMocks();
  }
}

/** The smoke grid on input that cannot be read: must fail with one line, before anything is written. */
async function failingSmokeRun(data: string, name: string): Promise<string> {
  const out = join(tmp, name);
  const res = await bench(['run', '--configs', 'bench/grids/smoke.json', '--jobs-dir', HARNESS_JOBS_DIR, '--data', data, '--out', out]);
  expect(res.code).not.toBe(0);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
  expect(existsSync(out)).toBe(false);
  return res.stderr;
}

describe('bench run --data s3a://', () => {
  let restoreEnv: () => void = () => {};
  beforeAll(() => {
    restoreEnv = useServerEnv(server); // bench runs in this process: its S3 client and spark-submit see the server
  });
  afterAll(() => restoreEnv());

  it(
    'runs the real post job from S3 (s3:// read as s3a://) with the manifest hash and tables of the local folder',
    async () => {
      // One configuration of the smoke grid and the real post job from S3: one spark-submit. Its twin is the
      // local-disk post run above (same gen dataset, same job), checksummed by bench's own DuckDB checksums.
      const localOut = join(tmp, 'out', REFERENCE);
      expect(existsSync(join(localOut, 'daily')), 'the local-disk post run of the s3a test').toBe(true);
      const smoke = JSON.parse(readFileSync('bench/grids/smoke.json', 'utf8')) as { base: object; configs: object[] };
      const grid = join(tmp, 'one.json');
      writeFileSync(grid, JSON.stringify({ base: smoke.base, configs: [smoke.configs[0]] }));
      const fromS3 = join(tmp, 'run-s3');
      const s3 = await bench(['run', '--configs', grid, '--jobs-dir', 'spark-jobs', '--jobs', 'post', '--data', `s3://${BUCKET}/data`, '--out', fromS3]);
      expect(s3.code, s3.stderr.slice(-3000)).toBe(0);

      const meta = JSON.parse(readFileSync(join(fromS3, 'run.json'), 'utf8')) as RunMeta;
      expect(meta.dataDir).toBe(`s3a://${BUCKET}/data`);
      expect(meta.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(meta.manifestSha256).toBe(await manifestSha256(join(tmp, 'data')));

      const runs = readFileSync(join(fromS3, 'runs.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as RunRecord);
      expect(runs.map((r) => `${r.key}:${r.state}`)).toEqual(['c01-post-r1:completed']);
      const r = runs[0]!;
      if (r.state !== 'completed') throw new Error('unreachable: completed');
      expect(Object.keys(r.checksums)).toEqual(expect.arrayContaining(['daily', 'daily_by_segment']));
      expect(r.checksums).toEqual(await checksumTables(localOut));
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
    expect(await failingSmokeRun('s3a://nonexistent-bucket/x', 'run-missing')).toMatch(/bucket nonexistent-bucket not found at http:\/\/127\.0\.0\.1:\d+/);
  }, 60_000);

  it('a missing manifest under an existing bucket names the manifest', async () => {
    expect(await failingSmokeRun(`s3://${BUCKET}/nothing-here`, 'run-nomanifest')).toMatch(
      new RegExp(`s3a://${BUCKET}/nothing-here/_manifest.json not found at http://127.0.0.1:\\d+ \\(write the dataset with`),
    );
  }, 60_000);
});
