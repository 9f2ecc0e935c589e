// compareRuns pairs a job under comet with the same job under spark at otherwise equal settings (same run), and the
// terminal table prints the speed-up; hand-built records, no Spark.
import { describe, expect, it } from 'vitest';
import { completedRun } from '../../fixtures/run-record.ts';
import type { RunConfig } from '../grid/schema.ts';
import type { LoadedRun } from '../run/load.ts';
import type { JobName, RunRecord } from '../run/types.ts';
import { compareRuns } from './compare.ts';
import { formatComparison } from './format.ts';

const spark: RunConfig = { executorMemory: '4g', postJob: {}, sparkConf: { 'spark.sql.shuffle.partitions': '8' } };
const comet: RunConfig = { ...spark, engine: 'comet' };
const cometBigger: RunConfig = { ...comet, sparkConf: { 'spark.sql.shuffle.partitions': '16' } };
const cometCached: RunConfig = { ...comet, sparkConf: { ...spark.sparkConf, 'spark.comet.exec.inMemoryCache.enabled': 'true' } };

function rec(configId: string, config: RunConfig, job: JobName, walls: number[], withEngineField = true): RunRecord[] {
  return walls.map((w, i) =>
    completedRun(configId, job, i + 1, {
      config,
      wallTimeMs: w * 1000,
      configLabel: config.engine === 'comet' ? 'engine=comet' : 'engine=spark',
      ...(withEngineField && { engine: config.engine ?? 'spark' }),
    }),
  );
}

const run: LoadedRun = {
  dir: '/r',
  meta: { runId: 'r1' } as LoadedRun['meta'],
  records: [
    // c01 spark: written before engines existed (no engine field): read as spark
    ...rec('c01', spark, 'floor', [30, 31, 29], false),
    ...rec('c01', spark, 'post', [90, 92, 88], false),
    ...rec('c02', comet, 'floor', [15, 15, 16]),
    ...rec('c02', comet, 'post', [100, 101, 99]),
    // c03: comet at other settings: no spark twin, so no pair
    ...rec('c03', cometBigger, 'post', [50, 50, 50]),
    // c04: comet tuned by spark.comet.* keys only: still spark's twin
    ...rec('c04', cometCached, 'post', [45, 45, 45]),
  ],
};

describe('comet vs spark in compare', () => {
  const c = compareRuns({ runs: [run], maxSpread: 0.25 });

  it('reads each row engine, old records as spark', () => {
    expect(c.rows.map((r) => `${r.configId} ${r.job} ${r.engine}`)).toEqual([
      'c01 floor spark',
      'c01 post spark',
      'c02 floor comet',
      'c02 post comet',
      'c03 post comet',
      'c04 post comet',
    ]);
  });

  it('pairs only configurations that differ in the engine and spark.comet.* keys: spark median / comet median', () => {
    expect(c.engines.map((e) => [e.job, e.sparkConfigId, e.cometConfigId, Number(e.speedup.toFixed(3)), e.trusted])).toEqual([
      ['floor', 'c01', 'c02', 2, true],
      ['post', 'c01', 'c02', 0.9, true],
      ['post', 'c01', 'c04', 2, true],
    ]);
  });

  it('keeps x floor within each engine and prints the pairs', () => {
    expect(c.rows.find((r) => r.configId === 'c02' && r.job === 'post')!.xFloor).toBeCloseTo(100 / 15, 6);
    const text = formatComparison(c);
    expect(text).toContain('comet vs spark');
    expect(text).toMatch(/c02 vs c01\s+floor\s+2\.00×\n/);
    expect(text).toMatch(/c02 vs c01\s+post\s+0\.90×\n/);
  });

  it('prints no engine section for a run on one engine', () => {
    const sparkOnly: LoadedRun = { ...run, records: run.records.filter((r) => r.configId === 'c01') };
    const only = compareRuns({ runs: [sparkOnly], maxSpread: 0.25 });
    expect(only.engines).toEqual([]);
    expect(formatComparison(only)).not.toContain('comet vs spark');
  });
});
