// bench advise: the arithmetic, checked by hand for the reference cluster, and the CLI's handling of bad input.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli.ts';
import { captureIo } from '../../fixtures/capture-io.ts';
import { summarizeEventLog } from '../eventlog/index.ts';
import { expandGrid } from '../../harness/grid/expand.ts';
import { REPO_ROOT, RESULTS_DIR } from '../../lib/paths.ts';
import { locateEventLogs } from '../analyze/locate.ts';
import { JOB_OWNED, MEASURED, MEASURED_BROADCAST_BYTES_PER_FILE_BYTE } from './advise.ts';
import { advise, formatAdvice, measureRuns, NoMeasurementError, parseSize, sparkSize } from './index.ts';
import type { AdviseInput, JobKind, MeasuredRun } from './types.ts';

const measuredRuns = new Map<string, Promise<MeasuredRun>>();
/** A committed run's measurement, read once per test file. */
function measuredIn(runId: string, job: JobKind, repeat = ''): Promise<MeasuredRun> {
  const key = `${runId}:${job}:${repeat}`;
  let run = measuredRuns.get(key);
  if (run === undefined) {
    run = readMeasurement(runId, job, repeat);
    measuredRuns.set(key, run);
  }
  return run;
}

async function readMeasurement(runId: string, job: JobKind, repeat: string): Promise<MeasuredRun> {
  // Only this job's logs (bench run names them c01-<job>-r<N>): measureRuns would drop the others by app name anyway.
  const logs = (await locateEventLogs(join(RESULTS_DIR, runId), RESULTS_DIR)).filter((log) => log.includes(`-${job}-r${repeat}`));
  expect(logs.length).toBeGreaterThan(0);
  return measureRuns(runId, await Promise.all(logs.map((log) => summarizeEventLog(log))), job);
}

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
  it('sizes shuffle partitions by bytes and by the measured memory per shuffle byte, in whole waves (pre)', () => {
    const result = advise({ ...reference, job: 'pre' });
    // pre: 1 TiB × 2.93 = 3000.3 GiB of shuffle; by size / 128 MiB = 24003; by memory × 8.25 (measured, MEASURED.pre) over
    // the 965.04 MiB a task is guaranteed ((16384 − 300) MiB × 0.6 / 10) = 26265; 145 slots → ceil(26265 / 145) × 145 = 182 × 145.
    expect(result.settings['spark.sql.shuffle.partitions']).toBe('26390');
    expect(result.steps.find((s) => s.name === 'task slots')?.value).toBe(145);
    expect(result.steps.find((s) => s.name === 'memory per shuffle byte')?.value).toBe(MEASURED.pre.memoryPerShuffleByte);
    // 500 GiB: × 2.93 = 1465 GiB → by memory 12825 → ceil(12825 / 145) × 145 = 89 × 145 = 12905.
    expect(advise({ ...reference, dataBytes: 500 * GiB, job: 'pre' }).settings['spark.sql.shuffle.partitions']).toBe('12905');
  });
  it('broadcast threshold from the in-memory relation size: a table at the threshold builds a relation an executor can hold', () => {
    for (const memory of [16, 64, 256]) {
      const result = advise({ ...reference, memoryPerNodeBytes: memory * GiB });
      const value = (name: string): number => result.steps.find((s) => s.name === name)?.value ?? Number.NaN;
      const threshold = parseSize(result.settings['spark.sql.autoBroadcastJoinThreshold'] ?? '') ?? Number.NaN;
      expect(threshold * MEASURED_BROADCAST_BYTES_PER_FILE_BYTE.value).toBeLessThanOrEqual(value('largest broadcast relation an executor holds'));
      expect(value('largest broadcast relation an executor holds')).toBeLessThan(value('storage pool per executor'));
    }
    // 64 GiB nodes: storage pool (16384 − 300) MiB × 0.6 × 0.5 = 4825.2 MiB; a quarter, 1206.3 MiB, per relation;
    // / 22.3 bytes in memory per file byte = 54 MiB of files. The old rule (5 % of the heap) said 819 MiB: a
    // relation of ~18 GiB, more than the heap.
    const { settings } = advise(reference);
    expect(settings['spark.sql.autoBroadcastJoinThreshold']).toBe('54m');
    expect(settings['spark.driver.memory']).toBe('5g'); // max(4 GiB, 4 × 1206.3 MiB) rounded up to whole GiB
  });
  it('sizes storage for what the job persists and local disk for shuffle + spill (post, measured ratios)', () => {
    const result = advise(reference);
    const value = (name: string): number => result.steps.find((s) => s.name === name)?.value ?? Number.NaN;
    // post caches 0.985 bytes per input byte: 1008.6 GiB over 29 executors = 34.8 GiB each, against a 4.7 GiB pool.
    expect(value('persisted data per executor') / GiB).toBeCloseTo((1024 * 0.985) / 29, 5);
    expect(result.warnings.some((w) => /persists ~34\.8 GiB per executor, more than its 4\.7 GiB storage pool/.test(w))).toBe(true);
    // shuffle + spill 5.54 bytes per input byte, over 10 nodes, × 2 headroom: 1134.6 GiB per node.
    expect(value('local disk per node (spark.local.dir)') / GiB).toBeCloseTo(((1024 * 5.54) / 10) * 2, 5);
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
  it('sizes partitions over the local task slots (pre)', () => {
    // pre: 2 GiB × 2.93 = 6000.6 MiB → 47 by size; by memory × 8.25 / ((10 GiB − 300 MiB) × 0.6 / 4 = 1491 MiB) → 34; → 48.
    expect(advise({ ...laptop, job: 'pre' }).settings['spark.sql.shuffle.partitions']).toBe('48');
  });
  it('comes out as a bench grid configuration that the grid schema accepts', () => {
    const pre = advise({ ...laptop, job: 'pre' }).grid;
    expect(pre).toMatchObject({
      executors: 1,
      executorCores: 2,
      executorMemory: '10g',
      'spark.sql.shuffle.partitions': 48,
      aqe: true,
      broadcastThreshold: '33m',
    });
    expect(() => expandGrid({ configs: [pre] }, 'advice')).not.toThrow();
    const post = advise(laptop).grid;
    expect(post).toMatchObject({ executors: 1, executorCores: 2, executorMemory: '10g', broadcastThreshold: '33m' });
    expect(() => expandGrid({ configs: [post] }, 'advice')).not.toThrow();
  });
  it('refuses more than one node, and the CLI says so in one line with exit 2', async () => {
    expect(() => advise({ ...laptop, nodes: 2 })).toThrow(/one machine/);
    const io = captureIo();
    const code = await main(['advise', '--data', '2gb', '--nodes', '2', '--cores', '2', '--memory', '24g', '--local']);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/--local runs on one machine/);
  });
});

describe("the post job's own settings: never emitted, always named", () => {
  it('post gets no key post_optimization.py sets itself, in the settings or the grid; pre gets them all', () => {
    const post = advise(reference);
    const owned = Object.keys(JOB_OWNED.post);
    expect(owned).toContain('spark.sql.shuffle.partitions');
    for (const key of owned) expect(post.settings[key], key).toBeUndefined();
    const gridKeys = Object.keys(post.grid);
    for (const key of [...owned, 'aqe', 'advisoryPartitionSize']) expect(gridKeys, key).not.toContain(key);
    expect(post.leftToJob.map((o) => o.key)).toEqual(owned);
    expect(post.leftToJob.find((o) => o.key === 'spark.sql.adaptive.skewJoin.skewedPartitionFactor')).toEqual({
      key: 'spark.sql.adaptive.skewJoin.skewedPartitionFactor',
      jobValue: '3',
      adviseValue: '5',
    });
    const text = formatAdvice(post);
    expect(text).toContain('left to the post job (it sets these itself; passing one with --conf switches its own choice off):');
    expect(text).not.toMatch(/^ {2}--conf spark\.sql\.(shuffle\.partitions|adaptive\.)/m);
    const pre = advise({ ...reference, job: 'pre' });
    for (const key of owned) expect(pre.settings[key], key).toBeDefined();
    expect(pre.leftToJob).toEqual([]);
  });
  it("warns when post's own event partitions would not fit a task's memory, with the count that would", () => {
    // 1 TiB / 64 MiB = 16384, in whole waves of 145 slots 16385 partitions of 2.6 TiB shuffle: 168.3 MiB each
    // × 8.8 = 1.4 GiB > 965 MiB guaranteed.
    const { warnings, steps } = advise(reference);
    expect(steps.find((s) => s.name === "the job's own event partitions")?.value).toBe(16385);
    // Over the 965 MiB guaranteed (1/(2·5) of the pool), within the 1.9 GiB of a full wave (1/5): "may spill".
    expect(warnings[0]).toMatch(
      /^post's own 16385 event partitions hold ~168\.3 MiB of shuffle each, ~1\.4 GiB in memory: more than the 965\.0 MiB a task is guaranteed/,
    );
    expect(warnings[0]).toContain('it may spill when the wave is uneven');
    // On 8 GiB nodes the same partitions exceed even a whole pool share: "expect spill".
    expect(advise({ ...reference, memoryPerNodeBytes: 16 * GiB }).warnings[0]).toMatch(
      /expect spill\. To size them yourself pass --conf spark\.sql\.shuffle\.partitions=\d+/,
    );
    expect(advise(reference).safeguards[0]).toMatch(/^Partitions not bounded by memory: the job's own 16385/);
    // 2 GiB on the 2-core laptop: 32 partitions (2 GiB / 64 MiB) of 168 MiB × 8.8 = 1.44 GiB fit the 1.46 GiB guaranteed.
    const laptop = advise({ dataBytes: 2 * GiB, nodes: 1, coresPerNode: 2, memoryPerNodeBytes: 24 * GiB, job: 'post', local: true });
    expect(laptop.warnings.some((w) => w.startsWith("post's own"))).toBe(false);
    expect(laptop.safeguards[0]).toMatch(/^Bounded partitions: 32 shuffle partitions/);
    // On a cluster post's floor is spark.default.parallelism (its _cores(), else 2): advise sets it to the slots.
    expect(advise(reference).settings['spark.default.parallelism']).toBe('145');
    const { grid } = advise(reference);
    expect(grid['spark.default.parallelism']).toBe('145');
    expect(expandGrid({ configs: [grid] }, 'advice')[0]?.config.sparkConf).toMatchObject({ 'spark.default.parallelism': '145' });
    expect(warnings[0]).toContain('pass --conf spark.sql.shuffle.partitions=25230 — this switches post');
  });
  it('the list matches what post_optimization.py sets itself (AQE_SETTINGS, and the partition count in event_partitions)', async () => {
    const source = await readFile(join(REPO_ROOT, 'spark-jobs', 'insights', 'jobs', 'post.py'), 'utf8');
    const block = /AQE_SETTINGS: dict\[str, str\] = \{([^}]*)\}/.exec(source)?.[1] ?? '';
    const inPost = Object.fromEntries([...block.matchAll(/"([^"]+)":\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(inPost).length).toBeGreaterThanOrEqual(5);
    const { 'spark.sql.shuffle.partitions': partitions, ...aqe } = JOB_OWNED.post;
    expect(aqe).toEqual(inPost);
    expect(partitions).toBeDefined();
    expect(source).toMatch(/if "spark\.sql\.shuffle\.partitions" in explicit:/);
    expect(source).toMatch(/EVENTS_PARTITION_BYTES = 64 << 20/);
  });
});

describe('the measured defaults come from the committed runs they name', () => {
  it('post: memory per shuffle byte, persisted and local-disk bytes per input byte of results/2026-12-02-jobs-2gb-025840', async () => {
    const m = await measuredIn('2026-12-02-jobs-2gb-025840', 'post');
    expect(MEASURED.post.source).toContain('2026-12-02-jobs-2gb-025840');
    expect(m.memoryPerShuffleByte).toBeCloseTo(MEASURED.post.memoryPerShuffleByte, 1);
    expect(m.memoryRatioCapped).toBe(false);
    expect((m.persistedBytes ?? 0) / m.inputBytes).toBeCloseTo(MEASURED.post.persistedPerInput, 2);
    expect(m.localDiskBytes / m.inputBytes).toBeCloseTo(MEASURED.post.localDiskPerInput, 2);
    // At 2 GB the 25 MB metadata is over the default threshold: no broadcast straight from files, only 64 MiB
    // relations of a few rows (the hash map's first page).
    expect(m.broadcastBytesPerFileByte).toBeUndefined();
    expect(m.largestBroadcastBytes).toBe(67_109_872); // 64 MiB + 1008 B
  });
  it('pre: the same for results/2026-12-02-jobs-256mb-024729', async () => {
    const m = await measuredIn('2026-12-02-jobs-256mb-024729', 'pre');
    expect(MEASURED.pre.source).toContain('2026-12-02-jobs-256mb-024729');
    expect(m.memoryPerShuffleByte).toBeCloseTo(MEASURED.pre.memoryPerShuffleByte, 1);
    expect((m.persistedBytes ?? 0) / m.inputBytes).toBeCloseTo(MEASURED.pre.persistedPerInput, 2);
    expect(m.localDiskBytes / m.inputBytes).toBeCloseTo(MEASURED.pre.localDiskPerInput, 2);
  });
  it('broadcast bytes per file byte: the 512 MB study, 51.7 MiB of metadata built into a 1152 MiB relation', async () => {
    const m = await measuredIn('2026-11-25-study-512mb-pre-post', 'post', '1');
    expect(MEASURED_BROADCAST_BYTES_PER_FILE_BYTE.source).toContain('2026-11-25-study-512mb-pre-post');
    expect(m.broadcastBytesPerFileByte).toBeCloseTo(MEASURED_BROADCAST_BYTES_PER_FILE_BYTE.value, 1);
    expect(m.largestBroadcastBytes).toBe(1_207_959_328); // 1152 MiB − 224 B
  });
  it('--from the 2 GB post run: the measured ratio sizes the partitions; storage and disk scale from that run', async () => {
    const measured = await measuredIn('2026-12-02-jobs-2gb-025840', 'post');
    const result = advise({ ...reference, measured });
    const step = (name: string) => result.steps.find((s) => s.name === name);
    expect(step('memory per shuffle byte')?.value).toBeCloseTo(8.8, 1);
    expect(step('memory per shuffle byte')?.formula).toContain('measured in 2026-12-02-jobs-2gb-025840');
    expect(step('persisted data (all executors)')?.why).toContain('measured in 2026-12-02-jobs-2gb-025840');
    // Its shuffle is 5.18 bytes per byte read (7.0 GiB over 1.34 GiB), twice the 2.63 of the 512 MB study's post.
    expect(step('largest shuffle (bytes)')?.value ?? 0).toBeGreaterThan(5 * 1024 * GiB);
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
      localDiskBytes: 6 * GiB,
    };
    const result = advise({ ...reference, job: 'pre', measured });
    // 1 TiB × 0.5 = 512 GiB of shuffle → 4096 by size → ceil(4096 / 145) × 145 = 4205.
    expect(result.settings['spark.sql.shuffle.partitions']).toBe('4205');
    // 0.6 bytes of shuffle + spill per input byte → 614.4 GiB over 10 nodes × 2 = 122.9 GiB per node.
    expect((result.steps.find((s) => s.name === 'local disk per node (spark.local.dir)')?.value ?? 0) / GiB).toBeCloseTo(122.88, 2);
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
