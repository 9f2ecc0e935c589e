// bench analyze on event logs recorded with the real Spark here (bench/sparklog/eventlog/fixtures).
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { distribution, type SparkEvent, summarizeEventLog, summarizeEvents } from '../eventlog/index.ts';
import { main } from '../../cli.ts';
import { captureIo } from '../../fixtures/capture-io.ts';
import { analyzeSummary, locateEventLogs, parseLayout, replayJob, whatIf } from './index.ts';
import { parsePlan, walk } from './plan-tree.ts';
import { bandOf, THRESHOLDS } from './thresholds.ts';
import type { TaskRecord } from '../eventlog/types.ts';

const fixtures = join(import.meta.dirname, '..', 'eventlog', 'fixtures');
const skewed = join(fixtures, 'skewed');
const salted = join(fixtures, 'salted.zstd');
const standalone = join(fixtures, 'app-20261125044652-0000.zstd');

describe('skew: hot key vs salted key (same data, same job, two runs)', () => {
  it('flags data skew and spill in the skewed join stage', async () => {
    const findings = analyzeSummary(await summarizeEventLog(skewed));
    const skew = findings.find((f) => f.rule === 'task-skew');
    expect(skew?.scope.stageId).toBe(4);
    // Durations 229 329 430 433 642 1233 1280 3358: lower median 433, 3358 / 433 = 7.76× → band 4–8.
    expect(skew?.severity).toBe('moderate');
    expect(skew?.evidence).toMatchObject({ maxTaskMs: 3358, medianTaskMs: 433, sparkUiMedianTaskMs: 642, bytesMetric: 'shuffle read', bytesRatio: 8.84 });
    const spill = findings.find((f) => f.rule === 'spill');
    expect(spill?.scope.stageId).toBe(4);
    expect(spill?.severity).toBe('critical');
  });

  it('flags neither in the salted run', async () => {
    const findings = analyzeSummary(await summarizeEventLog(salted));
    expect(findings.filter((f) => ['task-skew', 'spill'].includes(f.rule))).toEqual([]);
    // The join stage is even; only the data-generating stage 1 had a slow task (a busy shared machine, no data).
    expect(findings.filter((f) => f.rule === 'straggler').map((f) => [f.scope.stageId, f.severity, f.evidence.bytesMetric])).toEqual([
      [1, 'low', 'none recorded'],
    ]);
  });

  it('calls a slow task with even bytes a straggler, not data skew', async () => {
    // The salted run with one join task made 3× slower, as a slow node would: the bytes stay even.
    // Durations then 3265 4595 7449 7528 9940 12035 14620 30111: 30111 / 7528 = 4.0×.
    const summary = await summarizeEventLog(salted);
    const slowTaskId = 7;
    const tasks = summary.tasks.map((t) => (t.taskId === slowTaskId ? { ...t, durationMs: t.durationMs * 3 } : t));
    const stages = summary.stages.map((s) =>
      s.stageId === 4 ? { ...s, taskTimeMs: distribution(tasks.filter((t) => t.stageId === 4).map((t) => t.durationMs)) } : s,
    );
    const findings = analyzeSummary({ ...summary, tasks, stages });
    expect(findings.find((f) => f.rule === 'task-skew')).toBeUndefined();
    const straggler = findings.find((f) => f.rule === 'straggler' && f.scope.stageId === 4);
    expect(straggler?.scope.stageId).toBe(4);
    expect(straggler?.evidence).toMatchObject({ slowestTaskId: slowTaskId, maxTaskMs: 10037 * 3 });
    expect(Number(straggler?.evidence.bytesRatio)).toBeLessThan(THRESHOLDS.taskSkew.dataSkewBytesRatio);
  });

  it('finds the sort-merge join whose small side would broadcast, with the sizes from the adaptive plan', async () => {
    const findings = analyzeSummary(await summarizeEventLog(skewed));
    const smj = findings.find((f) => f.rule === 'smj-broadcastable');
    expect(smj?.scope).toMatchObject({ level: 'sql', sqlExecutionId: 0, jobIds: [0, 1, 2, 3] });
    expect(smj?.evidence.smallSideBytes).toBeCloseTo(195.3 * 1024, 0);
    expect(smj?.evidence.autoBroadcastJoinThreshold).toBe('-1');
  });

  it('sizes a broadcast by its own stage, not by the table it was filtered from', async () => {
    // Shape of post_optimization's hot-user join at 2 GB: 12 segment rows broadcast out of a cached 1.2 GiB table.
    const plan = (broadcastSize: string) =>
      [
        '== Physical Plan ==',
        'AdaptiveSparkPlan (9)',
        '+- == Final Plan ==',
        '   BroadcastHashJoin LeftOuter BuildRight (5)',
        '   :- ShuffleQueryStage (1), Statistics(sizeInBytes=2.5 GiB, rowCount=2.80E+7)',
        `   +- BroadcastQueryStage (4), Statistics(sizeInBytes=${broadcastSize}, rowCount=12)`,
        '      +- BroadcastExchange (3)',
        '         +- TableCacheQueryStage (2), Statistics(sizeInBytes=1159.4 MiB, rowCount=2.91E+7)',
        '+- == Initial Plan ==',
        '   BroadcastHashJoin LeftOuter BuildRight (8)',
        '   :- Exchange (6)',
        '   +- BroadcastExchange (7)',
        '',
      ].join('\n');
    const base = await summarizeEventLog(skewed);
    const withPlan = (size: string) => ({
      ...base,
      sql: [{ executionId: 0, description: 'join', physicalPlan: plan(size), finalPlan: plan(size), startTimeMs: 0, endTimeMs: 1 }],
    });
    expect(analyzeSummary(withPlan('64.0 MiB')).filter((f) => f.rule === 'broadcast-too-big')).toEqual([]);
    const big = analyzeSummary(withPlan('1.5 GiB')).filter((f) => f.rule === 'broadcast-too-big');
    expect(big).toHaveLength(1);
    expect(big[0]?.evidence.broadcastBytes).toBe(1.5 * 1024 ** 3);
    // The same stage drawn again under a second consumer is still one broadcast.
    const shuffleLine = '   :- ShuffleQueryStage (1), Statistics(sizeInBytes=2.5 GiB, rowCount=2.80E+7)';
    const reused = plan('1.5 GiB').replace(shuffleLine, `${shuffleLine}\n   :  +- BroadcastQueryStage (4), Statistics(sizeInBytes=1.5 GiB, rowCount=12)`);
    const once = analyzeSummary({ ...withPlan('1.5 GiB'), sql: [{ ...withPlan('1.5 GiB').sql[0]!, finalPlan: reused }] });
    expect(once.filter((f) => f.rule === 'broadcast-too-big')).toHaveLength(1);
  });

  it('reports what AQE changed on the standalone run (coalesced shuffle reads)', async () => {
    const findings = analyzeSummary(await summarizeEventLog(standalone));
    expect(findings.find((f) => f.rule === 'aqe-coalesced')?.evidence.coalescedReads).toBe(3);
    expect(findings.find((f) => f.rule === 'aqe-skew-split')).toBeUndefined();
  });

  it('every finding carries evidence, hypothesis, fix, validation and a source', async () => {
    for (const path of [skewed, salted, standalone]) {
      for (const f of analyzeSummary(await summarizeEventLog(path))) {
        expect(Object.keys(f.evidence).length).toBeGreaterThan(0);
        for (const text of [f.title, f.hypothesis, f.fix, f.validate, f.source]) expect(text.length).toBeGreaterThan(10);
      }
    }
  });
});

describe('foreign logs (apache/spark test resources)', () => {
  it('Spark 3.0 on YARN: 4 cores held for 2.3 min for 1.4 s of tasks is idle; driver time dominates', async () => {
    const findings = analyzeSummary(await summarizeEventLog(join(fixtures, 'foreign', 'application_1578436911597_0052')));
    expect(findings.find((f) => f.rule === 'idle-cores')).toMatchObject({ severity: 'critical', evidence: { coreMsUsedByTasks: 1363, totalCores: 4 } });
    expect(findings.find((f) => f.rule === 'driver-time')?.severity).toBe('critical');
  });
  it('a 10 ms Spark 1.4 app with no jobs gives no findings (below every minimum)', async () => {
    expect(analyzeSummary(await summarizeEventLog(join(fixtures, 'foreign', 'local-1430917381535_1')))).toEqual([]);
  });
});

describe('what-if replay', () => {
  it('replays the recorded layout within 5 % of the real wall time', async () => {
    for (const path of [skewed, salted, standalone]) {
      const result = whatIf(await summarizeEventLog(path), { executors: 1, coresPerExecutor: 2 });
      expect(Math.abs(result.modelError)).toBeLessThan(0.05);
    }
  });
  it('more slots never make it slower, fewer never faster', async () => {
    const summary = await summarizeEventLog(skewed);
    const at = (e: number, c: number): number => whatIf(summary, { executors: e, coresPerExecutor: c }).estimatedWallMs;
    expect(at(1, 1)).toBeGreaterThan(at(1, 2));
    expect(at(1, 2)).toBeGreaterThanOrEqual(at(2, 4));
    // Bounded below by driver time + the slowest task chain: the skewed task (3358 ms) cannot be split by cores.
    expect(at(64, 8)).toBeGreaterThan(4508 + 3358);
  });
  it('schedules a stage graph on slots', () => {
    const task = (stageId: number, taskId: number, durationMs: number): TaskRecord =>
      ({ stageId, taskId, durationMs, launchTimeMs: taskId }) as unknown as TaskRecord;
    const stages = [
      { id: 0, parents: [], tasks: [task(0, 0, 100), task(0, 1, 100)] },
      { id: 1, parents: [], tasks: [task(1, 2, 50)] },
      { id: 2, parents: [0, 1], tasks: [task(2, 3, 30), task(2, 4, 10)] },
    ];
    expect(replayJob(stages, 1)).toBe(290); // everything in sequence
    expect(replayJob(stages, 2)).toBe(180); // 0 on two slots (100), 1 then (150), 2 after both (150 + 30)
    expect(replayJob(stages, 8)).toBe(130); // critical path 100 + 30
  });
  it('parses layouts and rejects nonsense', () => {
    expect(parseLayout('2x4')).toEqual({ executors: 2, coresPerExecutor: 4 });
    expect(parseLayout('0x4')).toBeUndefined();
    expect(parseLayout('two')).toBeUndefined();
  });
});

describe('building blocks', () => {
  it('bands are inclusive at their lower edge', () => {
    const bands = THRESHOLDS.taskSkew.ratioBands;
    expect([1.9, 2, 4, 7.9, 8, 16].map((v) => bandOf(v, bands))).toEqual([undefined, 'low', 'moderate', 'moderate', 'severe', 'critical']);
  });
  it('reads the adaptive plan tree with query-stage sizes', async () => {
    const summary = await summarizeEventLog(skewed);
    const plan = parsePlan(summary.sql[0]?.finalPlan ?? '');
    const stages: number[] = [];
    walk(plan.current, (n) => {
      if (n.name === 'ShuffleQueryStage' && n.sizeInBytes !== undefined) stages.push(n.sizeInBytes);
    });
    expect(stages).toEqual([1280, 320025395, 199987]); // whole bytes: Spark prints 305.2 MiB, 195.3 KiB
    let initialJoins = 0;
    walk(plan.initial, (n) => {
      if (n.name.startsWith('SortMergeJoin')) initialJoins += 1;
    });
    expect(initialJoins).toBe(1);
  });
  it('keeps to the outermost adaptive plan when a cached relation nests its own', () => {
    // Shape taken from the post job's plan (a cached table inside a BroadcastHashJoin), trimmed.
    const plan = [
      '== Physical Plan ==',
      'AdaptiveSparkPlan (20)',
      '+- == Final Plan ==',
      '   HashAggregate (9)',
      '   +- BroadcastHashJoin LeftOuter BuildRight (8)',
      '      :- InMemoryTableScan (1)',
      '      :     +- InMemoryRelation (2)',
      '      :           +- AdaptiveSparkPlan (6)',
      '                     +- == Final Plan ==',
      '                        ShuffleQueryStage (4), Statistics(sizeInBytes=129.8 MiB, rowCount=1.26E+6)',
      '                     +- == Initial Plan ==',
      '                        Exchange (5)',
      '      +- BroadcastQueryStage (7), Statistics(sizeInBytes=8.0 MiB, rowCount=12)',
      '+- == Initial Plan ==',
      '   HashAggregate (19)',
      '   +- SortMergeJoin LeftOuter (18)',
      '',
      '(1) InMemoryTableScan',
    ].join('\n');
    const parsed = parsePlan(plan);
    const names = (root: ReturnType<typeof parsePlan>['current']): string[] => {
      const out: string[] = [];
      walk(root, (n) => out.push(n.name));
      return out;
    };
    expect(names(parsed.current)).toContain('BroadcastQueryStage');
    expect(names(parsed.current)[0]).toBe('HashAggregate');
    expect(names(parsed.initial)).toEqual(['HashAggregate', 'SortMergeJoin LeftOuter']);
  });
  it('finds event logs in a run folder', async () => {
    const logs = await locateEventLogs(fixtures, '/nonexistent');
    const names = logs.map((p) => p.slice(fixtures.length + 1));
    expect(names).toEqual(expect.arrayContaining(['app-20261125044652-0000.zstd', 'codecs/eventlog_v2_local-1795581811020', 'codecs/local-1795581811020.lz4']));
    expect(names.some((n) => n.includes('appstatus_') || n.includes('/events_'))).toBe(false);
    expect(await locateEventLogs('/nonexistent/run', '/nonexistent')).toEqual([]);
  });
});

describe('bench analyze (CLI)', () => {
  afterEach(() => vi.restoreAllMocks());
  it('--json prints findings as plain objects', async () => {
    const io = captureIo();
    expect(await main(['analyze', skewed, '--json', '--what-if', '2x4'])).toBe(0);
    const parsed = JSON.parse(io.out()) as { appId: string; findings: { rule: string }[]; whatIf: { targetSlots: number } }[];
    expect(parsed[0]?.appId).toBe('local-1795581811020');
    expect(parsed[0]?.findings.map((f) => f.rule)).toContain('task-skew');
    expect(parsed[0]?.whatIf.targetSlots).toBe(8);
  });
  it('text names the stage, the numbers and the fix', async () => {
    const io = captureIo();
    expect(await main(['analyze', skewed])).toBe(0);
    expect(io.out()).toContain('[MODERATE] task-skew: stage 4: data skew');
    expect(io.out()).toContain('fix:');
  });
  it('bad input: one line, exit 2', async () => {
    const io = captureIo();
    expect(await main(['analyze', skewed, '--what-if', 'lots'])).toBe(2);
    expect(io.err()).toMatch(/--what-if: expected EXECUTORSxCORES/);
    expect(await main(['analyze', '/nonexistent/log'])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(2);
  });
});

// None of the public logs re-runs a stage (rapids' stage 238 fails on its first attempt), so this is the one
// hand-written event stream here: the shape Spark's DAGScheduler writes when an executor dies under a shuffle —
// FetchFailed in the reduce stage, the executor removed, the map output resubmitted, map and reduce stage re-run.
describe('a stage re-run after executor 1 was lost (hand-written events in JsonProtocol shape)', () => {
  const task = (stage: number, attempt: number, id: number, executor: string, reason: Record<string, unknown> = { Reason: 'Success' }): SparkEvent => ({
    Event: 'SparkListenerTaskEnd',
    'Stage ID': stage,
    'Stage Attempt ID': attempt,
    'Task End Reason': reason,
    'Task Info': { 'Task ID': id, Attempt: 0, 'Launch Time': 1000 + id, 'Finish Time': 1100 + id, 'Executor ID': executor, Host: `host-${executor}` },
    'Task Metrics': {},
  });
  const stageEvent = (kind: 'Submitted' | 'Completed', stage: number, attempt: number, extra: Record<string, unknown> = {}): SparkEvent => ({
    Event: `SparkListenerStage${kind}`,
    'Stage Info': { 'Stage ID': stage, 'Stage Attempt ID': attempt, 'Number of Tasks': 2, 'Submission Time': 1000, 'Completion Time': 2000, ...extra },
  });
  const events: SparkEvent[] = [
    { Event: 'SparkListenerApplicationStart', 'App ID': 'app-retry', 'App Name': 'retry', Timestamp: 0 },
    ...['1', '2'].map((id) => ({
      Event: 'SparkListenerExecutorAdded',
      Timestamp: 1,
      'Executor ID': id,
      'Executor Info': { Host: `host-${id}`, 'Total Cores': 2 },
    })),
    { Event: 'SparkListenerJobStart', 'Job ID': 0, 'Submission Time': 1000, 'Stage IDs': [0, 1] },
    stageEvent('Submitted', 0, 0),
    task(0, 0, 0, '1'),
    task(0, 0, 1, '2'),
    stageEvent('Completed', 0, 0),
    stageEvent('Submitted', 1, 0),
    task(1, 0, 2, '2', { Reason: 'FetchFailed', 'Block Manager Address': { 'Executor ID': '1', Host: 'host-1' }, 'Shuffle ID': 0, 'Map ID': 0 }),
    stageEvent('Completed', 1, 0, { 'Failure Reason': 'org.apache.spark.shuffle.FetchFailedException: Failed to connect to host-1\n\tat org.apache.spark…' }),
    {
      Event: 'SparkListenerExecutorRemoved',
      Timestamp: 1500,
      'Executor ID': '1',
      'Removed Reason': 'Container killed by YARN for exceeding physical memory limits',
    },
    task(0, 0, 0, '1', { Reason: 'Resubmitted' }),
    stageEvent('Submitted', 0, 1),
    task(0, 1, 3, '2'),
    stageEvent('Completed', 0, 1),
    stageEvent('Submitted', 1, 1),
    task(1, 1, 4, '2'),
    task(1, 1, 5, '2'),
    stageEvent('Completed', 1, 1),
    { Event: 'SparkListenerJobEnd', 'Job ID': 0, 'Completion Time': 2500, 'Job Result': { Result: 'JobSucceeded' } },
    { Event: 'SparkListenerApplicationEnd', Timestamp: 3000 },
  ];
  async function* stream() {
    yield* events;
  }

  it('names the retried stages with their attempts, task counts and the executor whose output was lost', async () => {
    const findings = analyzeSummary(await summarizeEvents(stream()));
    const retried = findings.filter((f) => f.rule === 'stage-retried');
    expect(retried.map((f) => [f.scope.stageId, f.evidence.attemptId])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(retried[1]?.evidence).toMatchObject({
      stageAttempts: 2,
      tasksThisAttempt: 2,
      previousAttemptFetchFailures: 1,
      lostOutputOfExecutors: '1',
      executorsThisAttempt: '2',
      previousFailureReason: 'org.apache.spark.shuffle.FetchFailedException: Failed to connect to host-1',
    });
    expect(retried[1]?.title).toBe('stage 1: re-run as attempt 1 (2 tasks) after fetch failures from executor 1');
    // The failed first attempts: the reduce stage's fetch failure, the map task resubmitted on the lost executor.
    const fetch = findings.filter((f) => f.rule === 'fetch-failures');
    expect(fetch.map((f) => [f.scope.stageId, f.evidence.fetchFailedTasks, f.evidence.resubmittedTasks])).toEqual([
      [0, 0, 1],
      [1, 1, 0],
    ]);
    expect(fetch[0]?.evidence.resubmittedFromExecutors).toBe('1');
    expect(findings.find((f) => f.rule === 'executor-lost')?.evidence).toMatchObject({ lostExecutors: 1, executorIds: '1' });
  });
});
