// bench advise: the arithmetic, checked by hand for the reference cluster, and the CLI's handling of bad input.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli.ts';
import { captureIo } from '../../fixtures/capture-io.ts';
import { summarizeEventLog } from '../eventlog/index.ts';
import { expandGrid } from '../../harness/grid/expand.ts';
import { advise, measureRuns, NoMeasurementError, parseSize, sparkSize } from './index.ts';
import type { AdviseInput } from './types.ts';

const GiB = 1024 ** 3;
const reference: AdviseInput = { dataBytes: 1024 * GiB, nodes: 10, coresPerNode: 16, memoryPerNodeBytes: 64 * GiB, job: 'post' };

describe('advise on 10 nodes × 16 cores × 64 GiB (hand-checked)', () => {
  it('lays out executors and memory', () => {
    const { settings } = advise(reference);
    // 15 usable cores → 3 executors of 5 per node; 10 × 3 − 1 = 29.
    expect(settings['spark.executor.instances']).toBe('29');
    expect(settings['spark.executor.cores']).toBe('5');
    // (64 − 6.4) / 3 = 19.2 GiB per container; 19.2 / 1.15 = 16.7 → 16 GiB heap; overhead 19.2 − 16 = 3.2 GiB = 3276 MiB.
    expect(settings['spark.executor.memory']).toBe('16g');
    expect(settings['spark.executor.memoryOverhead']).toBe('3276m');
  });
  it('sizes shuffle partitions by bytes and by memory, in whole waves', () => {
    const result = advise(reference);
    // post: 1 TiB × 2.63 = 2693.12 GiB; / 128 MiB = 21544.96 → 21545; 145 slots → ceil(21545 / 145) × 145 = 149 × 145.
    expect(result.settings['spark.sql.shuffle.partitions']).toBe('21605');
    expect(result.steps.find((s) => s.name === 'task slots')?.value).toBe(145);
    // pre, 500 GiB: × 2.93 = 1465 GiB; / 128 MiB = 11720 → ceil(11720 / 145) × 145 = 81 × 145 = 11745.
    expect(advise({ ...reference, dataBytes: 500 * GiB, job: 'pre' }).settings['spark.sql.shuffle.partitions']).toBe('11745');
  });
  it('lowers maxPartitionBytes when the input would not fill the cores twice', () => {
    // 10 GiB / 128 MiB = 80 splits < 2 × 145 → max(16 MiB, 10 GiB / 290) = 35 MiB.
    expect(advise({ ...reference, dataBytes: 10 * GiB }).settings['spark.sql.files.maxPartitionBytes']).toBe('35m');
    expect(advise(reference).settings['spark.sql.files.maxPartitionBytes']).toBe('128m');
  });
  it('shows every step with a formula and a result', () => {
    for (const step of advise(reference).steps) {
      expect(step.formula.length).toBeGreaterThan(0);
      expect(Number.isFinite(step.value)).toBe(true);
      expect(step.display.length).toBeGreaterThan(0);
    }
  });
  it('a tiny node still gets one executor with at least 1 GiB of heap', () => {
    const { settings } = advise({ dataBytes: GiB, nodes: 1, coresPerNode: 2, memoryPerNodeBytes: 4 * GiB, job: 'post' });
    expect(settings['spark.executor.instances']).toBe('1');
    expect(settings['spark.executor.cores']).toBe('1');
    expect(parseSize(settings['spark.executor.memory'] ?? '')).toBeGreaterThanOrEqual(GiB);
  });
});

describe('--local: one machine in Spark local mode (hand-checked)', () => {
  afterEach(() => vi.restoreAllMocks());
  const laptop: AdviseInput = { dataBytes: 2 * GiB, nodes: 1, coresPerNode: 2, memoryPerNodeBytes: 24 * GiB, job: 'post', local: true };
  it('gives every core to tasks and half the usable memory to the one heap', () => {
    const { settings } = advise(laptop);
    expect(settings['spark.master']).toBe('local[2]');
    // 24 − max(1, 2.4) = 21.6 GiB usable; × 0.5 = 10.8 → 10 GiB.
    expect(settings['spark.driver.memory']).toBe('10g');
    expect(settings['spark.executor.instances']).toBeUndefined();
    expect(settings['spark.executor.memoryOverhead']).toBeUndefined();
  });
  it('sizes partitions over the local task slots', () => {
    // 2 GiB × 2.63 = 5386.2 MiB → 43 by size; by memory: × 3 / ((10 GiB − 300 MiB) × 0.6 / 4 = 1.45 GiB) → 11; → 44.
    expect(advise(laptop).settings['spark.sql.shuffle.partitions']).toBe('44');
    // pre: × 2.93 = 6000.6 MiB → 47 by size → whole waves of 2: 48.
    expect(advise({ ...laptop, job: 'pre' }).settings['spark.sql.shuffle.partitions']).toBe('48');
  });
  it('comes out as a bench grid configuration that the grid schema accepts', () => {
    const { grid } = advise(laptop);
    expect(grid).toMatchObject({ executors: 1, executorCores: 2, executorMemory: '10g', 'spark.sql.shuffle.partitions': 44, aqe: true });
    expect(() => expandGrid({ configs: [grid] }, 'advice')).not.toThrow();
  });
  it('refuses more than one node, and the CLI says so in one line with exit 2', async () => {
    expect(() => advise({ ...laptop, nodes: 2 })).toThrow(/one machine/);
    const io = captureIo();
    const code = await main(['advise', '--data', '2gb', '--nodes', '2', '--cores', '2', '--memory', '24g', '--local']);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/--local runs on one machine/);
  });
});

describe('--from: scaling from a measured run', () => {
  it('uses the measured shuffle ratio, memory growth and core-time', () => {
    const measured = {
      source: 'test',
      inputBytes: 10 * GiB,
      shuffleWriteBytes: 5 * GiB,
      memorySpilledBytes: 0,
      memoryPerShuffleByte: 2,
      taskCoreMs: 3_600_000,
    };
    const result = advise({ ...reference, measured });
    // 1 TiB × 0.5 = 512 GiB of shuffle → 4096 by size → ceil(4096 / 145) × 145 = 4205.
    expect(result.settings['spark.sql.shuffle.partitions']).toBe('4205');
    // 1 core-hour per 10 GiB → 102.4 core-hours for 1 TiB; over 145 slots ≥ 42.4 min.
    expect(result.estimate?.coreHours).toBeCloseTo(102.4, 5);
    expect(result.estimate?.wallMinutes).toBeCloseTo((102.4 * 60) / 145, 5);
  });
  it('refuses runs that read no input (the fixtures generate theirs with spark.range)', async () => {
    const summary = await summarizeEventLog(join(import.meta.dirname, '..', 'eventlog', 'fixtures', 'skewed'));
    expect(() => measureRuns('skewed', [summary], 'post')).toThrow(NoMeasurementError);
  });
});

describe('sizes', () => {
  it('parses what people type, in binary units', () => {
    expect(parseSize('100GB')).toBe(100 * GiB);
    expect(parseSize('1TB')).toBe(1024 * GiB);
    expect(parseSize('64g')).toBe(64 * GiB);
    expect(parseSize('1.5 GiB')).toBe(1.5 * GiB);
    expect(parseSize('lots')).toBeUndefined();
    expect(sparkSize(16 * GiB)).toBe('16g');
    expect(sparkSize(3.2 * GiB)).toBe('3276m');
  });
});

describe('bench advise (CLI)', () => {
  afterEach(() => vi.restoreAllMocks());
  it('prints the calculation; bad sizes are a one-line usage error (exit 2)', async () => {
    const io = captureIo();
    expect(await main(['advise', '--data', '100GB', '--nodes', '10', '--cores', '16', '--memory', '64g'])).toBe(0);
    expect(io.out()).toContain('--conf spark.executor.instances=29');
    expect(io.out()).toContain('shuffle partitions (before rounding)');
    expect(await main(['advise', '--data', 'huge', '--nodes', '10', '--cores', '16', '--memory', '64g'])).toBe(2);
    expect(io.err()).toMatch(/--data: expected a size such as 100GB/);
    expect(await main(['advise', '--data', '1TB', '--nodes', '0', '--cores', '16', '--memory', '64g'])).toBe(2);
    expect(await main(['advise', '--data', '1TB', '--nodes', '2', '--cores', '16', '--memory', '64g', '--from', '/nonexistent'])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(3);
  });
});
