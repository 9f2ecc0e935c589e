// Event-log reader and summary, on logs recorded with the real Spark here (fixtures/, see fixtures/README.md).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventLogError, distribution, readEvents, summarizeEventLog, summarizeEvents, type SparkEvent } from './index.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const plain = join(fixtures, 'skewed');
const app = 'local-1795581811020';
const scratch = mkdtempSync(join(tmpdir(), 'eventlog-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('summarizeEventLog on the plain skewed log (values checked by hand with python against the raw JSON)', () => {
  it('reads the app, its jobs, stages and SQL execution', async () => {
    const s = await summarizeEventLog(plain);
    expect(s.appId).toBe(app);
    expect(s.appName).toBe('fixture-skewed');
    expect(s.sparkVersion).toBe('4.1.1');
    expect(s.startTimeMs).toBe(1795581810605);
    expect(s.endTimeMs).toBe(1795581822719);
    expect(s.tasks).toHaveLength(22);
    expect(s.jobs.map((j) => [j.jobId, j.stageIds, j.sqlExecutionId, j.succeeded])).toEqual([
      [0, [0], 0, true],
      [1, [1], 0, true],
      [2, [2, 3, 4], 0, true],
      [3, [5, 6, 7, 8], 0, true],
    ]);
    // Stages 2, 3, 5, 6, 7 were skipped (their shuffle output existed): they never ran and are not summarised.
    expect(s.stages.map((st) => [st.stageId, st.numTasks, st.parentIds])).toEqual([
      [0, 2, []],
      [1, 4, []],
      [4, 8, [2, 3]],
      [8, 8, [7]],
    ]);
    expect(s.executors).toEqual([expect.objectContaining({ executorId: 'driver', cores: 2 })]);
    expect(s.sparkProperties['spark.sql.shuffle.partitions']).toBe('8');
    expect(s.sql).toHaveLength(1);
    expect(s.sql[0]?.physicalPlan).toContain('SortMergeJoin');
    expect(s.sql[0]?.finalPlan).toContain('== Final Plan ==');
  });

  it('totals and distributions of the skewed join stage', async () => {
    const s = await summarizeEventLog(plain);
    const join4 = s.stages.find((st) => st.stageId === 4);
    expect(join4).toBeDefined();
    expect(join4?.submissionTimeMs).toBe(1795581817126);
    expect(join4?.completionTimeMs).toBe(1795581822169);
    expect(join4?.sqlExecutionId).toBe(0);
    expect(join4?.jobIds).toEqual([2]);
    expect(join4?.shuffleReadBytes).toBe(69443647);
    expect(join4?.taskShuffleReadBytes.max).toBe(38841324);
    expect(join4?.gcTimeMs).toBe(353);
    // durations sorted: 229 329 430 433 642 1233 1280 3358; Spark's rule picks index floor(0.5 × 8) = 4.
    expect(join4?.taskTimeMs).toMatchObject({ min: 229, median: 642, max: 3358, sum: 7934 });
    expect(s.stages.find((st) => st.stageId === 0)?.shuffleWriteBytes).toBe(33354);
  });
});

describe('stage operators from plan-metric accumulators (as the Spark UI SQL tab links them)', () => {
  it('the skewed log: only stage 4 ran the SortMergeJoin; the scans and the final aggregate are elsewhere', async () => {
    const s = await summarizeEventLog(plain);
    expect(s.stages.map((st) => [st.stageId, st.operators])).toEqual([
      [0, ['Exchange', 'Range']],
      [1, ['Exchange', 'Filter', 'Range']],
      [4, ['Exchange', 'HashAggregate', 'Sort', 'SortMergeJoin']],
      [8, ['Exchange', 'HashAggregate']],
    ]);
  });
  it('the standalone-cluster log carries the join in its stage 4 as well', async () => {
    const s = await summarizeEventLog(join(fixtures, 'app-20261125044652-0000.zstd'));
    expect(s.stages.filter((st) => st.operators.includes('SortMergeJoin')).map((st) => st.stageId)).toEqual([4]);
  });
  it('names accumulators a plan declares after the stage ran, skips codegen wrappers and task metrics', async () => {
    const plan = (nodeName: string, ids: number[], children: unknown[] = []) => ({
      nodeName,
      simpleString: nodeName,
      metrics: ids.map((accumulatorId) => ({ name: 'm', accumulatorId, metricType: 'sum' })),
      children,
    });
    const sqlEvent = 'org.apache.spark.sql.execution.ui.SparkListenerSQL';
    const accumulables = (ids: number[]) =>
      ids.map((ID) => ({ ID, Name: ID === 1 ? 'internal.metrics.executorRunTime' : 'rows', Value: '1', Metadata: ID === 1 ? undefined : 'sql' }));
    const events: SparkEvent[] = [
      { Event: 'SparkListenerApplicationStart', 'App ID': 'a', 'App Name': 'n', Timestamp: 1 },
      {
        Event: `${sqlEvent}ExecutionStart`,
        executionId: 0,
        time: 1,
        sparkPlanInfo: plan('AdaptiveSparkPlan', [], [plan('WholeStageCodegen (1)', [10], [plan('Scan parquet ', [11])])]),
      },
      {
        Event: 'SparkListenerStageCompleted',
        'Stage Info': { 'Stage ID': 0, 'Stage Attempt ID': 0, 'Submission Time': 2, 'Completion Time': 3, Accumulables: accumulables([1, 10, 11, 20]) },
      },
      {
        Event: 'SparkListenerTaskEnd',
        'Stage ID': 1,
        'Stage Attempt ID': 0,
        'Task Info': { 'Task ID': 0, 'Launch Time': 4, 'Finish Time': 5, Accumulables: accumulables([21]) },
        'Task Metrics': {},
      },
      // Only now does a plan name 20 and 21 (a cached relation's plan appears in a later AQE update).
      { Event: `${sqlEvent}AdaptiveExecutionUpdate`, executionId: 0, sparkPlanInfo: plan('SortMergeJoin', [21], [plan('Exchange', [20])]) },
    ];
    async function* stream() {
      yield* events;
    }
    const s = await summarizeEvents(stream());
    expect(s.stages.map((st) => [st.stageId, st.operators])).toEqual([
      [0, ['Exchange', 'Scan parquet']],
      [1, ['SortMergeJoin']],
    ]);
  });
});

describe('every codec and the rolling layout give the same summary as the plain log', async () => {
  const reference = await summarizeEventLog(plain);
  const variants = ['lz4', 'zstd', 'snappy', 'lzf', 'gz'].map((ext) => join(fixtures, 'codecs', `${app}.${ext}`));
  variants.push(join(fixtures, 'codecs', `eventlog_v2_${app}`));
  it.each(variants)('%s', async (path) => {
    expect(await summarizeEventLog(path)).toEqual(reference);
  });
});

describe('logs Spark wrote compressed itself', () => {
  it('zstd single file (salted run)', async () => {
    const s = await summarizeEventLog(join(fixtures, 'salted.zstd'));
    expect(s.appName).toBe('fixture-salted');
    expect(s.tasks).toHaveLength(22);
    expect(s.stages.find((st) => st.stageId === 4)?.numTasks).toBe(8);
  });
  it('rolling folder with snappy, skipping appstatus_', async () => {
    const s = await summarizeEventLog(join(fixtures, 'rolling-snappy'));
    expect(s.appName).toBe('fixture-salted');
    expect(s.endTimeMs).toBeGreaterThan(s.startTimeMs);
    expect(s.tasks.length).toBeGreaterThan(0);
  });
});

describe('a standalone-cluster log (Master + Worker, two 1-core executors, zstd, AQE coalescing on)', () => {
  it('has two executors with one core each and the driver left out', async () => {
    const s = await summarizeEventLog(join(fixtures, 'app-20261125044652-0000.zstd'));
    expect(s.appId).toBe('app-20261125044652-0000');
    expect(s.executors.map((e) => [e.executorId, e.cores]).sort()).toEqual([
      ['0', 1],
      ['1', 1],
    ]);
    expect(new Set(s.tasks.map((t) => t.executorId))).toEqual(new Set(['0', '1']));
    expect(s.sql[0]?.finalPlan).toContain('AQEShuffleRead');
  });
});

describe('foreign logs from apache/spark test resources (fixtures/foreign/README.md)', () => {
  it('Spark 3.0 on YARN: executor 1 on host1 with 4 cores, six tasks, the driver left out', async () => {
    const s = await summarizeEventLog(join(fixtures, 'foreign', 'application_1578436911597_0052'));
    expect(s).toMatchObject({ appId: 'application_1578436911597_0052', sparkVersion: '3.0.0-SNAPSHOT', startTimeMs: 1578764662851, endTimeMs: 1578764802615 });
    expect(s.executors).toEqual([{ executorId: '1', host: 'host1', cores: 4, addedTimeMs: 1578764769706 }]);
    expect(s.stages).toHaveLength(1);
    // Durations 654, 638, 19, 20, 17, 15 ms; sorted index floor(0.5 × 6) = 3 → 20.
    expect(s.stages[0]?.taskTimeMs).toMatchObject({ min: 15, median: 20, max: 654, sum: 1363 });
    expect(s.stages[0]?.gcTimeMs).toBe(98);
    expect(s.jobs).toEqual([{ jobId: 0, stageIds: [0], submissionTimeMs: 1578764765274, completionTimeMs: 1578764770546, succeeded: true }]);
  });
  it('Spark 1.4 local app attempt with no jobs', async () => {
    const s = await summarizeEventLog(join(fixtures, 'foreign', 'local-1430917381535_1'));
    expect(s).toMatchObject({ appId: 'local-1430917381535', sparkVersion: '1.4.0-SNAPSHOT', startTimeMs: 1430917380880, endTimeMs: 1430917380890 });
    expect(s.sparkProperties['spark.master']).toBe('local[*]');
    expect(s.tasks).toEqual([]);
  });
});

describe('in-progress and broken logs', () => {
  const text = readFileSync(plain, 'utf8');
  it('drops a truncated last line (a log Spark is still writing)', async () => {
    const cut = text.slice(0, text.lastIndexOf('SparkListenerTaskEnd') + 200);
    const path = join(scratch, `${app}.inprogress`);
    writeFileSync(path, cut);
    const s = await summarizeEventLog(path);
    expect(s.tasks.length).toBe(21);
    expect(s.stages.find((st) => st.stageId === 8)?.completionTimeMs).toBeGreaterThan(0);
  });
  it('reads a compressed log cut in the middle of a block', async () => {
    const lz4 = readFileSync(join(fixtures, 'codecs', `${app}.lz4`));
    const path = join(scratch, `${app}.lz4.inprogress`);
    writeFileSync(path, lz4.subarray(0, Math.floor(lz4.length * 0.7)));
    let count = 0;
    for await (const event of readEvents(path)) if (event.Event !== undefined) count += 1;
    expect(count).toBeGreaterThan(10);
    expect(count).toBeLessThan(text.split('\n').length);
  });
  it('rejects a bad line in the middle with a stable code', async () => {
    const lines = text.split('\n');
    lines[5] = '{"Event": "SparkListenerTaskEnd", broken';
    const path = join(scratch, 'corrupt');
    writeFileSync(path, lines.join('\n'));
    await expect(summarizeEventLog(path)).rejects.toMatchObject({ code: 'EVENTLOG_CORRUPT' });
  });
  it('says so when the path is missing or holds no Spark events', async () => {
    await expect(summarizeEventLog(join(scratch, 'nope'))).rejects.toBeInstanceOf(EventLogError);
    const path = join(scratch, 'not-spark.json');
    writeFileSync(path, '{"hello": 1}\n');
    await expect(summarizeEventLog(path)).rejects.toMatchObject({ code: 'EVENTLOG_NOT_SPARK' });
  });
});

describe('distribution uses Spark UI quantiles', () => {
  it('picks sorted[min(floor(q·n), n−1)]', () => {
    expect(distribution([5, 1, 4, 2, 3])).toEqual({ min: 1, p25: 2, median: 3, p75: 4, max: 5, sum: 15 });
    expect(distribution([])).toEqual({ min: 0, p25: 0, median: 0, p75: 0, max: 0, sum: 0 });
  });
});

describe('broadcast relations and executor memory peaks (the 512 MB study, committed under results/)', () => {
  const MiB = 1024 ** 2;
  const post = join(
    import.meta.dirname,
    '..',
    '..',
    '..',
    'results',
    '2026-11-25-study-512mb-pre-post',
    'eventlogs',
    'c01-post-r1',
    'eventlog_v2_local-1795594407846',
  );
  it("reads each broadcast's relation size, rows and the files it was built from (driver-side SQL metrics)", async () => {
    const s = await summarizeEventLog(post);
    // The metadata join: 7,408,511 users from 51.7 MiB of Parquet into a 1152 MiB hash relation.
    const fromFiles = s.broadcasts.filter((b) => b.scannedFileBytes !== undefined);
    expect(fromFiles).toHaveLength(1);
    expect(fromFiles[0]).toMatchObject({ relationBytes: 1_207_959_328, rows: 7_408_511 });
    expect((fromFiles[0]?.scannedFileBytes ?? 0) / MiB).toBeCloseTo(51.72, 2);
    // The others are built from shuffles or cached relations, or are tiny (a few rows in one 64 MiB page).
    expect(s.broadcasts.length).toBeGreaterThan(10);
    expect(s.memoryPeaks?.storageBytes).toBeGreaterThan(1152 * MiB);
    expect(s.memoryPeaks?.executionBytes).toBeGreaterThan(0);
  });
  it('no broadcasts and no peaks where the log has none (broadcast joins off, no stage executor metrics)', async () => {
    expect((await summarizeEventLog(plain)).broadcasts).toEqual([]);
    expect((await summarizeEventLog(join(fixtures, 'foreign', 'local-1430917381535_1'))).memoryPeaks).toBeUndefined();
  });
});
