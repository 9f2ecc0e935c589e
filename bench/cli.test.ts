// Argument parsing, grid validation and the launch mapping: no Spark, milliseconds.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, parseArgs } from './cli.ts';
import { UsageError } from './lib/errors.ts';
import { expandGrid, gridJobs } from './harness/grid/expand.ts';
import { jobScript } from './harness/run/jobs.ts';
import { buildLaunch } from './harness/run/launch.ts';

describe('bench CLI parsing', () => {
  it('parses run flags into typed options without running anything', async () => {
    const parsed = await parseArgs(['run', '--configs', 'g.json', '--jobs', 'post', '--repeat', '3', '--master', 'spark://127.0.0.1:7077']);
    expect(parsed?.command.command).toBe('run');
    expect(parsed?.options).toMatchObject({ configs: 'g.json', jobs: ['post'], repeat: 3, master: 'spark://127.0.0.1:7077', data: 'data' });
  });

  it('the floor job beside pre and post; no --jobs leaves the choice to the grid', async () => {
    expect((await parseArgs(['run', '--configs', 'g.json', '--jobs', 'floor,post,floor']))?.options).toMatchObject({ jobs: ['floor', 'post'] });
    expect((await parseArgs(['run', '--configs', 'g.json']))?.options).not.toHaveProperty('jobs', expect.anything());
  });

  it('rejects bad values with a usage error that says what to type', async () => {
    await expect(parseArgs(['run', '--configs', 'g.json', '--jobs', 'pre,middle'])).rejects.toThrow(
      /--jobs: expected one or more of floor, pre, post; got \["pre","middle"\]/,
    );
    await expect(parseArgs(['run', '--configs', 'g.json', '--repeat', '0'])).rejects.toThrow(UsageError);
    await expect(parseArgs(['run'])).rejects.toThrow(/configs/);
    await expect(parseArgs(['compare'])).rejects.toThrow(UsageError);
    await expect(parseArgs(['frobnicate'])).rejects.toThrow(UsageError);
  });

  it('a bad grid file is one line on stderr, exit 2, and nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
    const grid = join(dir, 'grid.json');
    writeFileSync(grid, JSON.stringify({ axes: { executorMemroy: ['1g'] } }));
    const out = join(dir, 'run');
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      errors.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await main(['run', '--configs', grid, '--data', dir, '--out', out])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).toMatch(/^bench: .*unknown key "executorMemroy".*\n$/);
    expect(errors.join('').split('\n').filter(Boolean)).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe('grid schema', () => {
  it('expands axes as a cartesian product over the base, translating names to Spark conf', () => {
    const points = expandGrid({
      base: { executorMemory: '1g', 'spark.ui.enabled': false },
      axes: { 'spark.sql.shuffle.partitions': [8, 64], aqe: [true, false], postJob: [{ skewMode: 'broadcast' }, { skewMode: 'salt', saltBuckets: 16 }] },
    });
    expect(points).toHaveLength(8);
    expect(points.map((p) => p.id)).toEqual(['c01', 'c02', 'c03', 'c04', 'c05', 'c06', 'c07', 'c08']);
    expect(points[7]!.config).toEqual({
      executorMemory: '1g',
      postJob: { skewMode: 'salt', saltBuckets: 16 },
      sparkConf: { 'spark.ui.enabled': 'false', 'spark.sql.shuffle.partitions': '64', 'spark.sql.adaptive.enabled': 'false' },
    });
    expect(points[0]!.label).toBe('spark.sql.shuffle.partitions=8 aqe=true postJob={"skewMode":"broadcast"}');
  });

  it('passes an empty Spark value as it is (it clears a list setting such as excludedRules)', () => {
    const [point] = expandGrid({ configs: [{ 'spark.sql.optimizer.excludedRules': '' }] });
    expect(point!.config.sparkConf).toEqual({ 'spark.sql.optimizer.excludedRules': '' });
  });

  it('accepts an explicit list of configurations', () => {
    const points = expandGrid({ configs: [{ broadcastThreshold: -1 }, { broadcastThreshold: '10m', advisoryPartitionSize: '64m' }] });
    expect(points.map((p) => p.config.sparkConf)).toEqual([
      { 'spark.sql.autoBroadcastJoinThreshold': '-1' },
      { 'spark.sql.autoBroadcastJoinThreshold': '10m', 'spark.sql.adaptive.advisoryPartitionSizeInBytes': '64m' },
    ]);
  });

  it.each([
    [{ axes: { executors: [0] } }, /executors: expected a whole number ≥ 1/],
    [{ axes: { executorMemory: ['lots'] } }, /expected a JVM memory size/],
    [{ axes: { aqe: ['yes'] } }, /expected true or false/],
    [{ axes: { postJob: [{ skewMode: 'magic' }] } }, /skewMode: expected one of/],
    [{ axes: { postJob: [{ saltBucket: 4 }] } }, /unknown key; expected skewMode/],
    [{ axes: { 'spark.sql.shuffle.partitions': [] } }, /non-empty array/],
    [{ axes: {} }, /empty grid/],
    [{ configs: [] }, /non-empty array/],
    [{ axes: { bogus: [1] } }, /unknown key "bogus"/],
    [{ base: { 'spark.eventLog.dir': '/x' }, axes: { aqe: [true] } }, /set by bench itself/],
    [{ axes: { aqe: [true] }, configs: [{}] }, /either "axes" or "configs"/],
    [[1, 2], /expected a JSON object/],
  ])('rejects %j', (grid, message) => {
    expect(() => expandGrid(grid)).toThrow(UsageError);
    expect(() => expandGrid(grid)).toThrow(message);
  });

  it('a grid may name its jobs; the floor job runs floor_job.py', () => {
    expect(gridJobs({ jobs: ['floor', 'pre', 'post'], configs: [{}] }, 'g')).toEqual(['floor', 'pre', 'post']);
    expect(gridJobs({ configs: [{}] }, 'g')).toBeUndefined();
    expect(() => expandGrid({ jobs: ['floor'], configs: [{}] })).not.toThrow();
    expect(() => gridJobs({ jobs: 'floor', configs: [{}] }, 'g')).toThrow(/g\.jobs: expected an array such as \["floor", "pre", "post"\]/);
    expect(() => gridJobs({ jobs: ['flor'], configs: [{}] }, 'g')).toThrow(/g\.jobs: expected one or more of floor, pre, post; got \["flor"\]/);
    expect(() => gridJobs({ jobs: [], configs: [{}] }, 'g')).toThrow(UsageError);
    expect([jobScript('floor'), jobScript('pre'), jobScript('post')]).toEqual(['floor_job.py', 'pre_optimization.py', 'post_optimization.py']);
  });

  it('a configs entry may name its jobs; a bad job name there is a usage error', () => {
    const [cold, daily] = expandGrid({ configs: [{ aqe: true }, { aqe: true, jobs: ['floor', 'post'], postJob: { silver: '/s' } }] });
    expect(cold!.jobs).toBeUndefined();
    expect(daily!.jobs).toEqual(['floor', 'post']);
    expect(daily!.label).toBe('aqe=true postJob={"silver":"/s"}');
    expect(() => expandGrid({ configs: [{ jobs: ['nope'] }] })).toThrow(/configs\[0\]\.jobs: expected one or more of/);
  });

  it('ships grids that validate', async () => {
    const { loadGrid } = await import('./harness/grid/expand.ts');
    expect(await loadGrid('bench/grids/smoke.json')).toHaveLength(2);
    expect((await loadGrid('bench/grids/local.json')).length).toBeGreaterThan(4);
  });
});

describe('launch mapping', () => {
  const common = { job: 'post' as const, jobScript: 'post_optimization.py', dataDir: '/d', outDir: '/o', eventLogDir: '/e', python: '/py' };
  const config = expandGrid({
    configs: [{ executors: 2, executorCores: 2, executorMemory: '1g', driverMemory: '512m', postJob: { skewMode: 'salt', saltBuckets: 8, approx: true } }],
  })[0]!.config;

  it('local mode: executors × cores become local[N], executorMemory the one heap', () => {
    const launch = buildLaunch({ ...common, config, master: undefined });
    expect(launch.master).toBe('local[4]');
    const args = launch.sparkSubmitArgs.join(' ');
    expect(args).toContain('--master local[4] --driver-memory 1g');
    expect(args).not.toContain('--executor-memory');
    expect(args).toContain('--conf spark.eventLog.enabled=true');
    expect(args).toContain('--conf spark.eventLog.logStageExecutorMetrics=true');
    expect(args).toContain('--conf spark.eventLog.dir=/e');
    expect(args).toMatch(
      /post_optimization\.py --interactions \/d\/interactions --metadata \/d\/metadata --out \/o --skew-mode salt --salt-buckets 8 --approx$/,
    );
  });

  it('postJob silver and recomputeSince become --silver and --recompute-since; a relative silver or a lone recomputeSince is a usage error', () => {
    const daily = expandGrid({ configs: [{ postJob: { silver: '/s/silver', recomputeSince: '2026-11-30' } }] })[0]!.config;
    expect(buildLaunch({ ...common, config: daily, master: undefined }).sparkSubmitArgs.join(' ')).toMatch(
      /--out \/o --silver \/s\/silver --recompute-since 2026-11-30$/,
    );
    expect(() => expandGrid({ configs: [{ postJob: { silver: 'rel/silver' } }] })).toThrow(/absolute path/);
    expect(() => expandGrid({ configs: [{ postJob: { recomputeSince: '2026-11-30' } }] })).toThrow(/needs silver/);
  });

  it('standalone: spark.cores.max and spark.executor.cores, real executor memory; pre gets no skew flags', () => {
    const launch = buildLaunch({ ...common, job: 'pre', config, master: 'spark://127.0.0.1:7077' });
    const args = launch.sparkSubmitArgs.join(' ');
    expect(args).toContain('--master spark://127.0.0.1:7077');
    expect(args).toContain('--executor-memory 1g --driver-memory 512m');
    expect(args).toContain('--conf spark.executor.cores=2');
    expect(args).toContain('--conf spark.cores.max=4');
    expect(args).not.toContain('--skew-mode');
  });

  it('the floor job gets the common arguments only', () => {
    const launch = buildLaunch({ ...common, job: 'floor', jobScript: 'floor_job.py', config, master: undefined });
    expect(launch.sparkSubmitArgs.join(' ')).toMatch(/floor_job\.py --interactions \/d\/interactions --metadata \/d\/metadata --out \/o$/);
  });
});
