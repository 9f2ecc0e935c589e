// The smoke grid on a real Spark standalone cluster (scripts/spark-cluster.sh: a master and two 1-core workers on
// 127.0.0.1). Only the post job runs here, to keep the suite within its time budget; local mode runs both.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './cli.ts';
import { HARNESS_JOBS_DIR } from './fixtures/jobs-dir.ts';
import { writeTinyDataset } from './fixtures/tiny-data.ts';
import type { RunRecord } from './harness/run/types.ts';

const exec = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'bench-cluster-'));
const env = { ...process.env, SPARK_CLUSTER_DIR: join(root, 'cluster') };
const script = 'scripts/spark-cluster.sh';

interface ClusterState {
  masterUrl: string;
  masterPid: number;
  workers: { pid: number; port: number }[];
}
let state: ClusterState;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  const { stdout } = await exec('bash', [script, 'start'], { env });
  state = JSON.parse(readFileSync(join(root, 'cluster', 'state.json'), 'utf8')) as ClusterState;
  expect(stdout.trim()).toBe(state.masterUrl);
}, 300_000);

afterAll(async () => {
  // Always: a JVM left behind would eat the shared cores of everyone's tests.
  await exec('bash', [script, 'stop'], { env });
  for (const pid of [state?.masterPid, ...(state?.workers ?? []).map((w) => w.pid)]) if (pid !== undefined) expect(alive(pid)).toBe(false);
});

describe('standalone cluster', () => {
  it('starts a master and two live workers whose pids are in the state file', async () => {
    expect(state.masterUrl).toMatch(/^spark:\/\/127\.0\.0\.1:\d+$/);
    expect(state.workers).toHaveLength(2);
    for (const w of state.workers) expect(alive(w.pid)).toBe(true);
    const { stdout } = await exec('bash', [script, 'status'], { env });
    expect(stdout).toContain('workers alive: 2/2');
  });

  it('runs the smoke grid on it, executors on the workers, same tables as ever', async () => {
    const data = await writeTinyDataset(join(root, 'data'));
    const runDir = join(root, 'run');
    const code = await main([
      'run',
      '--configs',
      'bench/grids/smoke.json',
      '--data',
      data,
      '--jobs-dir',
      HARNESS_JOBS_DIR,
      '--jobs',
      'post',
      '--master',
      state.masterUrl,
      '--out',
      runDir,
    ]);
    expect(code).toBe(0);
    const records = readFileSync(join(runDir, 'runs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RunRecord);
    expect(records.map((r) => r.state)).toEqual(['completed', 'completed']);
    for (const r of records) {
      expect(r.launch.master).toBe(state.masterUrl);
      expect(r.launch.sparkSubmitArgs).toContain('spark.cores.max=2');
      expect(r.launch.sparkSubmitArgs).toContain('--executor-memory');
      // Executors other than the driver ran the tasks: the cluster did the work, not a local fallback.
      expect(r.executors.filter((e) => e.id !== 'driver').length).toBeGreaterThanOrEqual(1);
      expect(r.totals!.tasks).toBeGreaterThan(2);
    }
    const [a, b] = records.map((r) => (r.state === 'completed' ? r.checksums : {}));
    expect(Object.keys(a!)).toContain('daily');
    expect(b).toEqual(a);
  }, 900_000);
});
