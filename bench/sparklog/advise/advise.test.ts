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
import { JOB_OWNED, MEASURED, MEASURED_BROADCAST_BYTES_PER_FILE_BYTE, RULES } from './advise.ts';
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
    // pre: 1 TiB × 1.59 (MEASURED.pre) = 1628.2 GiB of shuffle; by size / 128 MiB = 13026; by memory × 4.56 (measured)
    // over the 965.04 MiB a task is guaranteed ((16384 − 300) MiB × 0.6 / 10) = 7879; 145 slots → ceil(13026 / 145) × 145 = 90 × 145.
    expect(result.settings['spark.sql.shuffle.partitions']).toBe('13050');
    expect(result.steps.find((s) => s.name === 'task slots')?.value).toBe(145);
    expect(result.steps.find((s) => s.name === 'memory per shuffle byte')?.value).toBe(MEASURED.pre.memoryPerShuffleByte);
    // 500 GiB: × 1.59 = 795 GiB → by size 6360 → ceil(6360 / 145) × 145 = 44 × 145 = 6380.
    expect(advise({ ...reference, dataBytes: 500 * GiB, job: 'pre' }).settings['spark.sql.shuffle.partitions']).toBe('6380');
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
    // post caches 0.991 bytes per input byte: 1014.8 GiB over 29 executors = 35.0 GiB each, against a 4.7 GiB pool.
    expect(value('persisted data per executor') / GiB).toBeCloseTo((1024 * 0.991) / 29, 5);
    expect(result.warnings.some((w) => /persists ~35\.0 GiB per executor, more than its 4\.7 GiB storage pool/.test(w))).toBe(true);
    // shuffle + spill 5.56 bytes per input byte, over 10 nodes, × 2 headroom: 1138.7 GiB per node.
    expect(value('local disk per node (spark.local.dir)') / GiB).toBeCloseTo(((1024 * 5.56) / 10) * 2, 5);
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
    // pre: 2 GiB × 1.59 = 3256.3 MiB → 26 by size; by memory × 4.56 / ((10 GiB − 300 MiB) × 0.6 / 4 = 1491 MiB) → 10; → 26.
    expect(advise({ ...laptop, job: 'pre' }).settings['spark.sql.shuffle.partitions']).toBe('26');
  });
  it('comes out as a bench grid configuration that the grid schema accepts', () => {
    const pre = advise({ ...laptop, job: 'pre' }).grid;
    expect(pre).toMatchObject({
      executors: 1,
      executorCores: 2,
      executorMemory: '10g',
      'spark.sql.shuffle.partitions': 26,
      aqe: true,
      // The metadata side at 2 GiB is 200 MiB (the challenge's ratio): × 0.304 / 2 = 30.4 MiB, below the 33 MiB the
      // executor could hold (745.5 MiB / 22.3).
      broadcastThreshold: '30m',
    });
    expect(() => expandGrid({ configs: [pre] }, 'advice')).not.toThrow();
    const post = advise(laptop).grid;
    expect(post).toMatchObject({ executors: 1, executorCores: 2, executorMemory: '10g', broadcastThreshold: '30m' });
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

describe('--offer: the node sizes are what a worker offers (standalone --cores/--memory), driver outside', () => {
  afterEach(() => vi.restoreAllMocks());
  // scripts/spark-cluster.sh with SPARK_CLUSTER_WORKER_MEMORY=4g: two workers of 1 core and 4 GiB each.
  const workers: AdviseInput = { dataBytes: 256 * 1024 ** 2, nodes: 2, coresPerNode: 1, memoryPerNodeBytes: 4 * GiB, job: 'post', offer: true };
  it('reserves nothing and leaves no executor slot to the driver', () => {
    const { settings, grid } = advise(workers);
    // 4 GiB / 1.15 = 3.48 → 3 GiB heap, 1 GiB overhead; one 1-core executor per worker, both workers used.
    expect(settings['spark.executor.instances']).toBe('2');
    expect(settings['spark.executor.cores']).toBe('1');
    expect(settings['spark.executor.memory']).toBe('3g');
    expect(settings['spark.executor.memoryOverhead']).toBe('1g');
    expect(grid).toMatchObject({ executors: 2, executorCores: 1, executorMemory: '3g' });
    // Without --offer the same nodes lose a GiB each to the OS and one executor to the driver.
    const reserved = advise({ ...workers, offer: false }).settings;
    expect(reserved['spark.executor.instances']).toBe('1');
    expect(reserved['spark.executor.memory']).toBe('2g');
  });
  it('the CLI refuses --offer with --local in one line, exit 2', async () => {
    const io = captureIo();
    expect(await main(['advise', '--data', '2gb', '--nodes', '1', '--cores', '2', '--memory', '24g', '--local', '--offer'])).toBe(2);
    expect(io.err().trim().split('\n')).toEqual(['bench: advise: --offer sizes cluster workers; not with --local']);
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
    // 1 TiB / 64 MiB = 16384, in whole waves of 145 slots 16385 partitions of 5.2 TiB shuffle (× 5.2, MEASURED.post):
    // 332.8 MiB each × 13.09 = 4.3 GiB, over even the 1.9 GiB a task gets with the pool to itself: "expect spill".
    const { warnings, steps, safeguards, settings, grid } = advise(reference);
    expect(steps.find((s) => s.name === "the job's own event partitions")?.value).toBe(16385);
    expect(warnings[0]).toMatch(
      /^post's own 16385 event partitions hold ~332\.8 MiB of shuffle each, ~4\.3 GiB in memory: more than the 1\.9 GiB a task gets even with the pool to itself/,
    );
    expect(warnings[0]).toContain('expect spill. To size them yourself pass --conf spark.sql.shuffle.partitions=74095 — this switches post');
    expect(safeguards[0]).toMatch(/^Partitions not bounded by memory: the job's own 16385/);
    // On 256 GiB nodes (66 GiB heaps) the same partitions exceed the 3.9 GiB guaranteed, within the 7.9 GiB of a full wave.
    expect(advise({ ...reference, memoryPerNodeBytes: 256 * GiB }).warnings[0]).toContain('it may spill when the wave is uneven');
    // The ratio is conservative: Spark's peak execution memory adds up the peaks of a task's operators. The 2 GB run it
    // comes from peaked at 3.0 GiB per task on an 8 GiB heap (a task gets at most 2.3 GiB) and did not spill; at 32
    // partitions on a 10 GiB heap advise still says "expect spill".
    const laptop = advise({ dataBytes: 2 * GiB, nodes: 1, coresPerNode: 2, memoryPerNodeBytes: 24 * GiB, job: 'post', local: true });
    expect(laptop.warnings[0]).toMatch(/^post's own 32 event partitions hold ~332\.8 MiB of shuffle each/);
    // Enough memory and post's own count fits: 512 GiB nodes, 133 GiB heaps, 7.9 GiB guaranteed per task.
    const big = advise({ ...reference, memoryPerNodeBytes: 512 * GiB });
    expect(big.warnings.some((w) => w.startsWith("post's own"))).toBe(false);
    expect(big.safeguards[0]).toMatch(/^Bounded partitions: 16385 shuffle partitions/);
    // On a cluster post's floor is spark.default.parallelism (its _cores(), else 2): advise sets it to the slots.
    expect(settings['spark.default.parallelism']).toBe('145');
    expect(grid['spark.default.parallelism']).toBe('145');
    expect(expandGrid({ configs: [grid] }, 'advice')[0]?.config.sparkConf).toMatchObject({ 'spark.default.parallelism': '145' });
  });
  it('the list matches what post_optimization.py sets itself (SESSION_SETTINGS, and the partition count in event_partitions)', async () => {
    const source = await readFile(join(REPO_ROOT, 'spark-jobs', 'insights', 'jobs', 'post.py'), 'utf8');
    const block = /SESSION_SETTINGS: dict\[str, str\] = \{([^}]*)\}/.exec(source)?.[1] ?? '';
    const inPost = Object.fromEntries([...block.matchAll(/"([^"]+)":\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));
    // The dedupe's plan settings: advise emits neither key for any job, so it never replaces them.
    for (const key of ['spark.sql.execution.replaceHashWithSortAgg', 'spark.sql.optimizer.excludedRules']) {
      expect(inPost[key], key).toBeDefined();
      for (const job of ['pre', 'post'] as const) expect(advise({ ...reference, job }).settings[key], key).toBeUndefined();
      delete inPost[key];
    }
    expect(Object.keys(inPost).length).toBeGreaterThanOrEqual(5);
    const { 'spark.sql.shuffle.partitions': partitions, ...aqe } = JOB_OWNED.post;
    expect(aqe).toEqual(inPost);
    expect(partitions).toBeDefined();
    expect(source).toMatch(/if "spark\.sql\.shuffle\.partitions" in explicit:/);
    expect(source).toMatch(/EVENTS_PARTITION_BYTES = 64 << 20/);
    expect(source).toMatch(/EVENTS_MEMORY_PER_INPUT_BYTE = 25\n/);
  });
});

describe('the measured defaults come from the committed runs they name', () => {
  it('post: shuffle and memory per byte, persisted and local-disk bytes per input byte of results/2026-12-02-jobs-2gb-124222', async () => {
    const m = await measuredIn('2026-12-02-jobs-2gb-124222', 'post');
    expect(MEASURED.post.source).toContain('2026-12-02-jobs-2gb-124222');
    expect(m.shuffleWriteBytes / m.inputBytes).toBeCloseTo(MEASURED.post.shufflePerInput, 2);
    expect(m.memoryPerShuffleByte).toBeCloseTo(MEASURED.post.memoryPerShuffleByte, 2);
    expect(m.memoryRatioFromSpill).toBe(false);
    // Its plans also carry the planner's guesses for caches not yet materialized (sizeInBytes=80.3 PiB, no rowCount):
    // only materialized ones count, so post caches about its input's size.
    expect((m.persistedBytes ?? 0) / m.inputBytes).toBeCloseTo(MEASURED.post.persistedPerInput, 2);
    expect(m.localDiskBytes / m.inputBytes).toBeCloseTo(MEASURED.post.localDiskPerInput, 2);
    // At 2 GB the 25 MB metadata is over the default threshold: no broadcast straight from files, only 64 MiB
    // relations of a few rows (the hash map's first page).
    expect(m.broadcastBytesPerFileByte).toBeUndefined();
    expect(m.largestBroadcastBytes).toBe(67_109_872); // 64 MiB + 1008 B
  });
  it('pre: the same for results/2026-12-02-jobs-256mb-123558', async () => {
    const m = await measuredIn('2026-12-02-jobs-256mb-123558', 'pre');
    expect(MEASURED.pre.source).toContain('2026-12-02-jobs-256mb-123558');
    expect(m.shuffleWriteBytes / m.inputBytes).toBeCloseTo(MEASURED.pre.shufflePerInput, 2);
    expect(m.memoryPerShuffleByte).toBeCloseTo(MEASURED.pre.memoryPerShuffleByte, 2);
    expect((m.persistedBytes ?? 0) / m.inputBytes).toBeCloseTo(MEASURED.pre.persistedPerInput, 2);
    expect(m.localDiskBytes / m.inputBytes).toBeCloseTo(MEASURED.pre.localDiskPerInput, 2);
  });
  it("a stage that spilled: the partition's spill-free size (peak + memory spilled), not its capped peak", async () => {
    // results/2026-12-02-jobs-2gb: post with a grid-wide 8 partitions on the same 2 GB data as -025840; its
    // sessionization tasks read ~900 MiB each, peaked at 2.7 GiB (their share of the heap) and spilled ~6 GiB in memory.
    const spilled = await measuredIn('2026-12-02-jobs-2gb', 'post');
    const unspilled = await measuredIn('2026-12-02-jobs-2gb-025840', 'post');
    expect(spilled.memoryRatioFromSpill).toBe(true);
    expect(spilled.memorySpilledBytes).toBeGreaterThan(40 * GiB);
    // Peak alone said 3.1 bytes per shuffle byte, a third of what the same data took without spilling (8.8 at 33
    // partitions); peak + spilled says 10.0, within 15 % of it.
    expect(unspilled.memoryRatioFromSpill).toBe(false);
    expect(spilled.memoryPerShuffleByte ?? 0).toBeGreaterThan(unspilled.memoryPerShuffleByte ?? Number.NaN);
    expect((spilled.memoryPerShuffleByte ?? 0) / (unspilled.memoryPerShuffleByte ?? Number.NaN)).toBeLessThan(1.15);
    const step = advise({ ...reference, measured: spilled }).steps.find((s) => s.name === 'memory per shuffle byte');
    expect(step?.formula).toBe('(peak execution memory + memory spilled) / shuffle read, measured in 2026-12-02-jobs-2gb');
    expect(step?.value).toBeCloseTo(10.0, 1);
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
  it('core-time per run, not summed over the runs of a folder (3 post runs in the cluster study)', async () => {
    const logs = (await locateEventLogs(join(RESULTS_DIR, '2026-12-02-cluster-skew-256mb'), RESULTS_DIR)).filter((log) => log.includes('-post-r'));
    expect(logs).toHaveLength(3);
    const each = await Promise.all(logs.map(async (log) => measureRuns('one', [await summarizeEventLog(log)], 'post').taskCoreMs));
    const all = await measuredIn('2026-12-02-cluster-skew-256mb', 'post');
    expect(all.taskCoreMs).toBeCloseTo(each.reduce((a, b) => a + b, 0) / 3, 6);
  });
  it('refuses runs that read no input (the fixtures generate theirs with spark.range)', async () => {
    const summary = await summarizeEventLog(join(import.meta.dirname, '..', 'eventlog', 'fixtures', 'skewed'));
    expect(() => measureRuns('skewed', [summary], 'post')).toThrow(NoMeasurementError);
  });
});

/** A run that measured its shuffle and disk (10 GiB read, 5 GiB shuffled, 1 GiB written) and whatever `more` adds. */
function measuredOnly(source: string, more: Partial<MeasuredRun> = {}): MeasuredRun {
  return { source, inputBytes: 10 * GiB, shuffleWriteBytes: 5 * GiB, memorySpilledBytes: 0, taskCoreMs: 1, localDiskBytes: GiB, ...more };
}

describe('defaults: a ratio not measured in the run given is named, never passed off as measured', () => {
  const base = measuredOnly('tiny-run', { localDiskBytes: 6 * GiB });
  it('no --from: every ratio is listed with the committed run it comes from, and the text says so', () => {
    const advice = advise(reference);
    expect(advice.defaults).toEqual([
      'largest shuffle per input byte: 5.2 from results/2026-12-02-jobs-2gb-124222 (post), no --from run given',
      'memory per shuffle byte: 13.09 from results/2026-12-02-jobs-2gb-124222 (post), no --from run given',
      'persisted bytes per input byte: 0.991 from results/2026-12-02-jobs-2gb-124222 (post), no --from run given',
      'shuffle + spill per input byte: 5.56 from results/2026-12-02-jobs-2gb-124222 (post), no --from run given',
      'broadcast relation bytes per file byte: 22.3 from results/2026-11-25-study-512mb-pre-post (post), no --from run given',
      "metadata side: 100 GiB, the challenge's 100 GB per 1 TB of --data (--metadata not given)",
    ]);
    expect(formatAdvice(advice)).toContain('defaults (no --from: ratios from the committed runs named):');
  });
  it('--from a run that measured shuffle and disk only: those are its own, the rest fall back by name, with why', () => {
    const advice = advise({ ...reference, measured: base, metadataBytes: 80 * GiB });
    const step = (name: string) => advice.steps.find((s) => s.name === name);
    expect(step('largest shuffle (bytes)')?.why).toContain('measured in tiny-run');
    expect(step('memory per shuffle byte')?.formula).toBe('peak execution memory / shuffle read, measured in results/2026-12-02-jobs-2gb-124222 (post)');
    // Before, a run without cache statistics sized storage for nothing persisted (0 bytes).
    expect(step('persisted data (all executors)')?.value).toBeCloseTo(1024 * GiB * MEASURED.post.persistedPerInput, -3);
    expect(advice.defaults).toEqual([
      'memory per shuffle byte: 13.09 from results/2026-12-02-jobs-2gb-124222 (post), not measured in tiny-run: no task of its stages read 16 MiB of shuffle or more (too small a run to measure how a partition grows)',
      'persisted bytes per input byte: 0.991 from results/2026-12-02-jobs-2gb-124222 (post), not measured in tiny-run: no materialized cache (a TableCacheQueryStage with a rowCount) in its final plans',
      'broadcast relation bytes per file byte: 22.3 from results/2026-11-25-study-512mb-pre-post (post), not measured in tiny-run: no table was broadcast straight from its files',
    ]);
    const text = formatAdvice(advice);
    expect(text).toContain('defaults (not measured in tiny-run):');
    expect(text).toContain('  ~ memory per shuffle byte: 13.09 from results/2026-12-02-jobs-2gb-124222 (post), not measured in tiny-run');
  });
  it('a run that measured everything leaves only the metadata size to a default', () => {
    const full: MeasuredRun = { ...base, memoryPerShuffleByte: 2, persistedBytes: GiB, broadcastBytesPerFileByte: 30 };
    expect(advise({ ...reference, measured: full }).defaults).toEqual([
      "metadata side: 100 GiB, the challenge's 100 GB per 1 TB of --data (--metadata not given)",
    ]);
  });
});

describe('broadcast threshold: what an executor can hold, and never the metadata side', () => {
  const value = (advice: ReturnType<typeof advise>, name: string): number => advice.steps.find((s) => s.name === name)?.value ?? Number.NaN;
  it("the narrowest metadata share is Spark's size estimate for user_id alone, from a committed manifest's schema", async () => {
    // Spark's defaultSize per type (StringType 20, DateType 4), + 8 per row (EstimationUtils.getSizePerRow).
    const DEFAULT_SIZE: Record<string, number> = { string: 20, date: 4, bigint: 8, int: 4, timestamp: 8 };
    const manifest = JSON.parse(await readFile(join(RESULTS_DIR, '2026-12-02-cluster-skew-256mb', '_manifest.json'), 'utf8')) as {
      schema: { metadata: { columns: { name: string; type: string }[]; partitionBy: { name: string; type: string } } };
    };
    const { columns, partitionBy } = manifest.schema.metadata;
    const all = [...columns.filter((c) => c.name !== partitionBy.name), partitionBy];
    const width = 8 + all.reduce((acc, c) => acc + (DEFAULT_SIZE[c.type] ?? Number.NaN), 0);
    const userId = 8 + (DEFAULT_SIZE[all.find((c) => c.name === 'user_id')?.type ?? ''] ?? Number.NaN);
    expect(userId / width).toBeCloseTo(RULES.metadataNarrowestShare, 10);
  });
  it('at 100 GB, 500 GB and 1 TB on any node size: a relation at the threshold fits the executor, and the metadata side of 1 TB (100 GB) never broadcasts', () => {
    const metadataAt1TB = 100 * GiB;
    for (const memory of [16, 64, 256, 1024]) {
      for (const data of [100, 500, 1024]) {
        for (const job of ['pre', 'post'] as const) {
          const advice = advise({ ...reference, dataBytes: data * GiB, memoryPerNodeBytes: memory * GiB, job });
          const threshold = parseSize(advice.settings['spark.sql.autoBroadcastJoinThreshold'] ?? '') ?? Number.NaN;
          const where = `${memory}g nodes, ${data} GiB, ${job}`;
          expect(threshold * MEASURED_BROADCAST_BYTES_PER_FILE_BYTE.value, where).toBeLessThanOrEqual(
            value(advice, 'largest broadcast relation an executor holds'),
          );
          // Spark's estimate of the narrowest metadata side a join reads, at 1 TB and at this data size's own metadata.
          expect(threshold, where).toBeLessThan(metadataAt1TB * RULES.metadataNarrowestShare);
          expect(threshold, where).toBeLessThan(value(advice, 'metadata side (files)') * RULES.metadataNarrowestShare);
        }
      }
    }
  });
  it('a small dataset under 1 TB conditions: the metadata bound wins, and under 1 MiB broadcasts by size are off', () => {
    // 512 MiB locally: the metadata side is 50 MiB (100 GB per 1 TB) → × 0.304 / 2 = 7.6 MiB, below the 33 MiB the
    // heap could hold. The 512 MB study's 512m threshold broadcast its 52 MB metadata table as a 1.12 GiB relation.
    const local = { dataBytes: 512 * 1024 ** 2, nodes: 1, coresPerNode: 2, memoryPerNodeBytes: 24 * GiB, job: 'post', local: true } as const;
    expect(advise(local).settings['spark.sql.autoBroadcastJoinThreshold']).toBe('7m');
    // The generator's 256 MB dataset has 2.7 MiB of metadata (results/2026-12-02-cluster-skew-256mb/_manifest.json).
    const off = advise({ ...local, dataBytes: 256 * 1024 ** 2, metadataBytes: 2_792_524 });
    expect(off.settings['spark.sql.autoBroadcastJoinThreshold']).toBe('-1');
    expect(off.grid.broadcastThreshold).toBe(-1);
    expect(expandGrid({ configs: [off.grid] }, 'advice')[0]?.config.sparkConf).toMatchObject({
      'spark.sql.autoBroadcastJoinThreshold': '-1',
    });
    expect(off.safeguards.some((l) => l.startsWith('Broadcast joins by size off'))).toBe(true);
    expect(off.defaults.some((l) => l.startsWith('metadata side'))).toBe(false);
  });
  it('a run that built bigger relations per file byte lowers the threshold (measured, not the default)', () => {
    const measured = measuredOnly('wide', { broadcastBytesPerFileByte: 44.6 });
    // 1206.3 MiB / 44.6 = 27 MiB, half the default's 54 MiB.
    expect(advise({ ...reference, measured }).settings['spark.sql.autoBroadcastJoinThreshold']).toBe('27m');
  });
});

describe('docs: docs/tuning.md is the one sizing, docs/deploy.md quotes it', () => {
  afterEach(() => vi.restoreAllMocks());
  const TABLES = [
    'node bin/bench.js advise --data 100GB,500GB,1TB --nodes 10 --cores 16 --memory 64g --series results/2026-12-02-cluster-skew-256mb,results/2026-12-02-cluster-skew-512mb,results/2026-12-02-cluster-skew-1gb,results/2026-12-02-cluster-skew-2gb --deadline 1h --table',
    'node bin/bench.js advise --data 1TB --nodes 10 --cores 16 --memory 64g --series results/2026-12-02-cluster-skew-256mb,results/2026-12-02-cluster-skew-512mb,results/2026-12-02-cluster-skew-1gb,results/2026-12-02-cluster-skew-2gb --deadline 1h',
    'node bin/bench.js advise --data 100GB,500GB,1TB --nodes 10 --cores 16 --memory 64g --job pre --from results/2026-12-02-jobs-256mb-123558 --table',
  ];
  it('each table in docs/tuning.md is the output of the command written above it', async () => {
    const doc = await readFile(join(REPO_ROOT, 'docs', 'tuning.md'), 'utf8');
    for (const command of TABLES) {
      const io = captureIo();
      expect(await main(command.split(' ').slice(2))).toBe(0);
      // A table follows its command after a blank line; the full calculation sits in a code block of its own.
      const output = io.out().trim();
      const asTable = `${command}\n\`\`\`\n\n${output}\n`;
      const asBlock = `${command}\n\`\`\`\n\n\`\`\`\n${output}\n\`\`\``;
      expect(doc.includes(asTable) || doc.includes(asBlock), command).toBe(true);
    }
  });
  it("deploy.md's YARN and Kubernetes flags are tuning.md's 1 TB post row, and pass no key post chooses itself", async () => {
    const doc = await readFile(join(REPO_ROOT, 'docs', 'deploy.md'), 'utf8');
    const { settings } = advise(reference);
    const yarn = `--num-executors ${settings['spark.executor.instances']} --executor-cores ${settings['spark.executor.cores']} --executor-memory ${settings['spark.executor.memory']} --driver-memory ${settings['spark.driver.memory']}`;
    expect(doc).toContain(yarn);
    for (const key of ['spark.executor.instances', 'spark.executor.memoryOverhead', 'spark.default.parallelism', 'spark.driver.memory']) {
      expect(doc, key).toContain(`${key}=${settings[key]}`);
    }
    for (const key of Object.keys(JOB_OWNED.post)) expect(doc, key).not.toMatch(new RegExp(`--conf[ ",]+${key.replaceAll('.', '\\.')}=`));
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
  it('--table: one Markdown row per --data size; several sizes without --table are a usage error', async () => {
    const io = captureIo();
    expect(await main(['advise', '--data', '100GB,500GB,1TB', '--nodes', '10', '--cores', '16', '--memory', '64g', '--table'])).toBe(0);
    const lines = io.out().trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('| 1 TiB, post | 29 × 5 | 16g + 3276m | 5g | 5.2 TiB | 42599 / 73961 → 74095 | 16385 | 54m | 35.0 GiB / 4.7 GiB | 1.1 TiB | — |');
    expect(await main(['advise', '--data', '100GB,1TB', '--nodes', '10', '--cores', '16', '--memory', '64g'])).toBe(2);
    expect(io.err()).toMatch(/several --data sizes need --table/);
  });
});
