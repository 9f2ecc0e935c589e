// summarizeEventLog: folds a stream of Spark listener events into the AppSummary contract (types.ts).
// Field names are JsonProtocol's (core/src/main/scala/org/apache/spark/util/JsonProtocol.scala), stable from
// Spark 1.x to 4.x; where versions differ (Spark Properties as pairs vs. an object, missing Task Metrics on failed
// tasks, no ExecutorAdded for the driver in old local logs) both shapes are read.

import { EventLogError } from '../../lib/errors.ts';
import { sparkQuantiles, sumFields } from '../../lib/stats.ts';
import { operatorTracker } from './operators.ts';
import { readEvents, type SparkEvent } from './read.ts';
import {
  SUMMED_VOLUMES,
  type AppSummary,
  type BroadcastRelation,
  type Dist,
  type ExecutorInfo,
  type JobRecord,
  type MemoryPeaks,
  type SqlExecution,
  type StageSummary,
  type TaskRecord,
} from './types.ts';

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}
function num(value: unknown, fallback = 0): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return fallback;
}
function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? fallback : String(value);
}
function optNum(value: unknown): number | undefined {
  const n = num(value, Number.NaN);
  return Number.isNaN(n) ? undefined : n;
}

/** Spark's own quantile rule (AppStatusStore: sorted[min(floor(q × n), n − 1)]), so numbers match the Spark UI. */
export function distribution(values: readonly number[]): Dist {
  if (values.length === 0) return { min: 0, p25: 0, median: 0, p75: 0, max: 0, sum: 0 };
  const [min, p25, median, p75, max] = sparkQuantiles(values, [0, 0.25, 0.5, 0.75, 1] as const);
  return { min, p25, median, p75, max, sum: values.reduce((a, b) => a + b, 0) };
}

function taskFromEvent(event: SparkEvent): TaskRecord {
  const info = obj(event['Task Info']);
  const metrics = obj(event['Task Metrics']);
  const input = obj(metrics['Input Metrics']);
  const output = obj(metrics['Output Metrics']);
  const shuffleRead = obj(metrics['Shuffle Read Metrics']);
  const shuffleWrite = obj(metrics['Shuffle Write Metrics']);
  const endReason = obj(event['Task End Reason']);
  const reason = str(endReason.Reason, 'Success');
  // FetchFailed names the block manager it could not fetch from; ExecutorLostFailure the executor that went away.
  const reasonExecutor = reason === 'FetchFailed' ? str(obj(endReason['Block Manager Address'])['Executor ID']) : str(endReason['Executor ID']);
  const reasonShuffle = optNum(endReason['Shuffle ID']);
  const launchTimeMs = num(info['Launch Time']);
  const finishTimeMs = num(info['Finish Time'], launchTimeMs);
  return {
    stageId: num(event['Stage ID']),
    stageAttemptId: num(event['Stage Attempt ID']),
    taskId: num(info['Task ID']),
    attempt: num(info.Attempt),
    executorId: str(info['Executor ID']),
    host: str(info.Host),
    launchTimeMs,
    finishTimeMs,
    durationMs: Math.max(0, finishTimeMs - launchTimeMs),
    executorRunTimeMs: num(metrics['Executor Run Time']),
    executorCpuTimeNs: num(metrics['Executor CPU Time']),
    gcTimeMs: num(metrics['JVM GC Time']),
    inputBytes: num(input['Bytes Read']),
    inputRecords: num(input['Records Read']),
    outputBytes: num(output['Bytes Written']),
    shuffleReadBytes: num(shuffleRead['Remote Bytes Read']) + num(shuffleRead['Local Bytes Read']),
    shuffleReadRecords: num(shuffleRead['Total Records Read']),
    shuffleFetchWaitMs: num(shuffleRead['Fetch Wait Time']),
    // Spark 1.x wrote "Shuffle Bytes Written"; so do 2.x–4.x. The write time is in nanoseconds throughout.
    shuffleWriteBytes: num(shuffleWrite['Shuffle Bytes Written']),
    shuffleWriteRecords: num(shuffleWrite['Shuffle Records Written']),
    shuffleWriteTimeNs: num(shuffleWrite['Shuffle Write Time']),
    memorySpilledBytes: num(metrics['Memory Bytes Spilled']),
    diskSpilledBytes: num(metrics['Disk Bytes Spilled']),
    peakExecutionMemoryBytes: num(metrics['Peak Execution Memory']),
    failed: info.Failed === true || (reason !== 'Success' && reason !== 'TaskKilled'),
    killed: info.Killed === true || reason === 'TaskKilled',
    speculative: info.Speculative === true,
    endReason: reason,
    ...(reasonExecutor !== '' ? { endReasonExecutorId: reasonExecutor } : {}),
    ...(reasonShuffle !== undefined ? { endReasonShuffleId: reasonShuffle } : {}),
  };
}

interface StageAcc {
  stageId: number;
  attemptId: number;
  name: string;
  numTasks: number;
  parentIds: number[];
  submissionTimeMs?: number;
  completionTimeMs?: number;
  failureReason?: string;
  tasks: TaskRecord[];
}

function stageSummary(stage: StageAcc, jobs: readonly JobRecord[], operators: readonly string[]): StageSummary {
  const ok = stage.tasks.filter((t) => !t.failed && !t.killed);
  const stageJobs = jobs.filter((job) => job.stageIds.includes(stage.stageId));
  const sqlExecutionId = stageJobs.find((job) => job.sqlExecutionId !== undefined)?.sqlExecutionId;
  const lastFinish = stage.tasks.reduce((acc, t) => Math.max(acc, t.finishTimeMs), 0);
  const firstLaunch = stage.tasks.reduce((acc, t) => Math.min(acc, t.launchTimeMs), Number.POSITIVE_INFINITY);
  const submissionTimeMs = stage.submissionTimeMs ?? (Number.isFinite(firstLaunch) ? firstLaunch : 0);
  return {
    stageId: stage.stageId,
    attemptId: stage.attemptId,
    name: stage.name,
    numTasks: stage.numTasks,
    parentIds: stage.parentIds,
    submissionTimeMs,
    // A stage still running in an in-progress log ends, for now, at its last finished task.
    completionTimeMs: stage.completionTimeMs ?? Math.max(lastFinish, submissionTimeMs),
    ...(stage.failureReason !== undefined ? { failureReason: stage.failureReason } : {}),
    jobIds: stageJobs.map((job) => job.jobId),
    ...(sqlExecutionId !== undefined ? { sqlExecutionId } : {}),
    operators,
    ...sumFields(ok, [...SUMMED_VOLUMES, 'outputBytes']),
    peakExecutionMemoryMaxBytes: ok.reduce((acc, t) => Math.max(acc, t.peakExecutionMemoryBytes), 0),
    failedTasks: stage.tasks.filter((t) => t.failed).length,
    killedTasks: stage.tasks.filter((t) => t.killed).length,
    speculativeTasks: stage.tasks.filter((t) => t.speculative).length,
    taskTimeMs: distribution(ok.map((t) => t.durationMs)),
    taskShuffleReadBytes: distribution(ok.map((t) => t.shuffleReadBytes)),
    taskInputBytes: distribution(ok.map((t) => t.inputBytes)),
  };
}

function properties(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    // Older logs: [[key, value], ...]
    for (const pair of value) if (Array.isArray(pair) && pair.length >= 2) out[str(pair[0])] = str(pair[1]);
  } else {
    for (const [key, v] of Object.entries(obj(value))) out[key] = str(v);
  }
  return out;
}

/** Cores of the driver-as-executor in local mode, from spark.master ("local[4]", "local[*]" unknown → 0). */
function localCores(master: string | undefined): number {
  const match = /^local(?:-cluster)?\[(\d+)/.exec(master ?? '');
  return match ? Number(match[1]) : master === 'local' ? 1 : 0;
}

/** The named metric's accumulator id on a sparkPlanInfo node. */
function metricId(node: Json, name: string): number | undefined {
  const metrics = Array.isArray(node.metrics) ? (node.metrics as unknown[]) : [];
  for (const metric of metrics) {
    const m = obj(metric);
    if (m.name === name) return optNum(m.accumulatorId);
  }
  return undefined;
}

/** A Filter's condition does more than drop null keys ("Filter (isnotnull(user_id#8) AND (x#1 > 3))"). */
function dropsRows(simpleString: string): boolean {
  const condition = simpleString.replace(/^Filter\s*/, '');
  return condition.replace(/isnotnull\([^()]*\)/g, '').replace(/AND|[()\s]/g, '') !== '';
}

/**
 * The broadcasts in one SQL execution's last plan: BroadcastExchange's "data size" (the relation as built, in memory)
 * and "number of output rows" are driver-side metrics; when the relation is built straight from files, the scans'
 * "size of files read" (also driver-side) is what it came from. Exchanges, query stages and cached scans below it
 * end the search: their input is not the broadcast's file size.
 */
function broadcastsOf(executionId: number, plan: unknown, value: (id: number | undefined) => number | undefined, seen: Set<number>): BroadcastRelation[] {
  const out: BroadcastRelation[] = [];
  const todo: unknown[] = [plan];
  while (todo.length > 0) {
    const node = obj(todo.pop());
    const children = Array.isArray(node.children) ? (node.children as unknown[]) : [];
    todo.push(...children);
    if (str(node.nodeName) !== 'BroadcastExchange') continue;
    const sizeId = metricId(node, 'data size');
    const relationBytes = value(sizeId);
    if (sizeId === undefined || relationBytes === undefined || seen.has(sizeId)) continue;
    seen.add(sizeId);
    let fileBytes = 0;
    let direct = true;
    const below: unknown[] = [...children];
    while (below.length > 0) {
      const child = obj(below.pop());
      const name = str(child.nodeName);
      // A filter that drops rows (anything beyond isnotnull) makes the relation smaller than its files say.
      if (/Exchange|QueryStage|InMemoryTableScan|ReusedExchange|Aggregate|Join|Limit/.test(name) || (name === 'Filter' && dropsRows(str(child.simpleString)))) {
        direct = false;
        continue;
      }
      if (name.startsWith('Scan')) fileBytes += value(metricId(child, 'size of files read')) ?? 0;
      if (Array.isArray(child.children)) below.push(...(child.children as unknown[]));
    }
    out.push({
      sqlExecutionId: executionId,
      relationBytes,
      rows: value(metricId(node, 'number of output rows')) ?? 0,
      ...(direct && fileBytes > 0 ? { scannedFileBytes: fileBytes } : {}),
    });
  }
  return out;
}

export async function summarizeEvents(events: AsyncIterable<SparkEvent>): Promise<AppSummary> {
  let appId = '';
  let appName = '';
  let sparkVersion = '';
  let startTimeMs = 0;
  let endTimeMs: number | undefined;
  let lastTimestampMs = 0;
  let sparkEvents = 0;
  let sparkProperties: Record<string, string> = {};
  const executors = new Map<string, { executorId: string; host: string; cores: number; addedTimeMs: number; removedTimeMs?: number; removedReason?: string }>();
  const jobs = new Map<number, JobRecord>();
  const stages = new Map<string, StageAcc>();
  const sql = new Map<
    number,
    { executionId: number; description: string; physicalPlan: string; finalPlan?: string; startTimeMs: number; endTimeMs?: number }
  >();
  const tasks: TaskRecord[] = [];
  const operators = operatorTracker();
  // Driver-side SQL metric values (SparkListenerDriverAccumUpdates) and each execution's latest plan tree.
  const driverAccums = new Map<number, number>();
  const lastPlan = new Map<number, unknown>();
  let memoryPeaks: { executionBytes: number; storageBytes: number; jvmHeapBytes: number } | undefined;

  const stageAcc = (info: Json): StageAcc => {
    const stageId = num(info['Stage ID']);
    const attemptId = num(info['Stage Attempt ID'], num(info['Stage Attempt Id']));
    const key = `${stageId}.${attemptId}`;
    let stage = stages.get(key);
    if (stage === undefined) {
      stage = { stageId, attemptId, name: '', numTasks: 0, parentIds: [], tasks: [] };
      stages.set(key, stage);
    }
    if (info['Stage Name'] !== undefined) stage.name = str(info['Stage Name']);
    if (info['Number of Tasks'] !== undefined) stage.numTasks = num(info['Number of Tasks']);
    if (Array.isArray(info['Parent IDs'])) stage.parentIds = (info['Parent IDs'] as unknown[]).map((id) => num(id));
    if (info['Submission Time'] !== undefined) stage.submissionTimeMs = num(info['Submission Time']);
    if (info['Completion Time'] !== undefined) stage.completionTimeMs = num(info['Completion Time']);
    if (info['Failure Reason'] !== undefined) stage.failureReason = str(info['Failure Reason']);
    return stage;
  };

  for await (const event of events) {
    const kind = str(event.Event);
    if (kind.startsWith('SparkListener') || kind.includes('.SparkListener')) sparkEvents += 1;
    const timestamp = optNum(event.Timestamp) ?? optNum(event.time);
    if (timestamp !== undefined) lastTimestampMs = Math.max(lastTimestampMs, timestamp);
    // The SQL events carry their package name; match on the simple name so shaded or renamed packages still work.
    switch (kind.slice(kind.lastIndexOf('.') + 1)) {
      case 'SparkListenerLogStart':
        sparkVersion = str(event['Spark Version']);
        break;
      case 'SparkListenerApplicationStart':
        appId = str(event['App ID'], appId);
        appName = str(event['App Name']);
        startTimeMs = num(event.Timestamp);
        break;
      case 'SparkListenerApplicationEnd':
        endTimeMs = num(event.Timestamp);
        break;
      case 'SparkListenerEnvironmentUpdate':
        sparkProperties = properties(event['Spark Properties']);
        break;
      case 'SparkListenerExecutorAdded': {
        const info = obj(event['Executor Info']);
        const executorId = str(event['Executor ID']);
        executors.set(executorId, { executorId, host: str(info.Host), cores: num(info['Total Cores']), addedTimeMs: num(event.Timestamp) });
        break;
      }
      case 'SparkListenerExecutorRemoved': {
        const executor = executors.get(str(event['Executor ID']));
        if (executor !== undefined) {
          executor.removedTimeMs = num(event.Timestamp);
          executor.removedReason = str(event['Removed Reason']);
        }
        break;
      }
      case 'SparkListenerBlockManagerAdded': {
        // Old local-mode logs announce the driver only through its block manager.
        const id = obj(event['Block Manager ID']);
        const executorId = str(id['Executor ID']);
        if (!executors.has(executorId)) {
          executors.set(executorId, { executorId, host: str(id.Host), cores: 0, addedTimeMs: num(event.Timestamp, startTimeMs) });
        }
        break;
      }
      case 'SparkListenerJobStart': {
        const jobId = num(event['Job ID']);
        const executionId = optNum(obj(event.Properties)['spark.sql.execution.id']);
        jobs.set(jobId, {
          jobId,
          stageIds: Array.isArray(event['Stage IDs']) ? (event['Stage IDs'] as unknown[]).map((id) => num(id)) : [],
          submissionTimeMs: num(event['Submission Time']),
          completionTimeMs: 0,
          succeeded: false,
          ...(executionId !== undefined ? { sqlExecutionId: executionId } : {}),
        });
        break;
      }
      case 'SparkListenerJobEnd': {
        const job = jobs.get(num(event['Job ID']));
        if (job !== undefined) {
          job.completionTimeMs = num(event['Completion Time']);
          job.succeeded = str(obj(event['Job Result']).Result) === 'JobSucceeded';
        }
        break;
      }
      case 'SparkListenerStageSubmitted':
      case 'SparkListenerStageCompleted': {
        const info = obj(event['Stage Info']);
        const stage = stageAcc(info);
        operators.addAccumulables(`${stage.stageId}.${stage.attemptId}`, info.Accumulables);
        break;
      }
      case 'SparkListenerTaskEnd': {
        const task = taskFromEvent(event);
        tasks.push(task);
        const stage = stageAcc({ 'Stage ID': task.stageId, 'Stage Attempt ID': task.stageAttemptId });
        stage.tasks.push(task);
        operators.addAccumulables(`${stage.stageId}.${stage.attemptId}`, obj(event['Task Info']).Accumulables);
        break;
      }
      case 'SparkListenerSQLExecutionStart': {
        const executionId = num(event.executionId);
        sql.set(executionId, {
          executionId,
          description: str(event.description),
          physicalPlan: str(event.physicalPlanDescription),
          startTimeMs: num(event.time),
        });
        operators.addPlan(event.sparkPlanInfo);
        lastPlan.set(executionId, event.sparkPlanInfo);
        break;
      }
      case 'SparkListenerSQLAdaptiveExecutionUpdate': {
        operators.addPlan(event.sparkPlanInfo);
        lastPlan.set(num(event.executionId), event.sparkPlanInfo);
        const execution = sql.get(num(event.executionId));
        if (execution !== undefined) execution.finalPlan = str(event.physicalPlanDescription);
        break;
      }
      case 'SparkListenerSQLExecutionEnd': {
        const execution = sql.get(num(event.executionId));
        if (execution !== undefined) execution.endTimeMs = num(event.time);
        break;
      }
      case 'SparkListenerDriverAccumUpdates': {
        for (const pair of Array.isArray(event.accumUpdates) ? (event.accumUpdates as unknown[]) : []) {
          if (!Array.isArray(pair) || pair.length < 2) continue;
          const id = optNum(pair[0]);
          const update = optNum(pair[1]);
          if (id !== undefined && update !== undefined) driverAccums.set(id, update);
        }
        break;
      }
      case 'SparkListenerStageExecutorMetrics': {
        const m = obj(event['Executor Metrics']);
        const peaks = {
          executionBytes: num(m.OnHeapExecutionMemory) + num(m.OffHeapExecutionMemory),
          storageBytes: num(m.OnHeapStorageMemory) + num(m.OffHeapStorageMemory),
          jvmHeapBytes: num(m.JVMHeapMemory),
        };
        memoryPeaks = {
          executionBytes: Math.max(memoryPeaks?.executionBytes ?? 0, peaks.executionBytes),
          storageBytes: Math.max(memoryPeaks?.storageBytes ?? 0, peaks.storageBytes),
          jvmHeapBytes: Math.max(memoryPeaks?.jvmHeapBytes ?? 0, peaks.jvmHeapBytes),
        };
        break;
      }
      default:
        break; // unknown or irrelevant events are expected: listeners add new ones every release
    }
  }

  if (sparkEvents === 0) throw new EventLogError('EVENTLOG_NOT_SPARK', 'no Spark listener events found');
  if (appId === '') appId = sparkProperties['spark.app.id'] ?? '';
  const driverCores = localCores(sparkProperties['spark.master']);
  const executorList: ExecutorInfo[] = [...executors.values()].map((e) => ({
    ...e,
    cores: e.cores === 0 && e.executorId === 'driver' ? driverCores : e.cores,
  }));
  // In local mode the driver is the only executor; in cluster mode the driver runs no tasks and is left out.
  const ranTasks = new Set(tasks.map((t) => t.executorId));
  const finalExecutors = executorList.filter((e) => e.executorId !== 'driver' || ranTasks.has('driver') || executorList.length === 1);
  const jobList = [...jobs.values()].sort((a, b) => a.jobId - b.jobId);
  const stageList = [...stages.values()]
    .filter((stage) => stage.submissionTimeMs !== undefined || stage.tasks.length > 0)
    .sort((a, b) => a.stageId - b.stageId || a.attemptId - b.attemptId)
    .map((stage) => stageSummary(stage, jobList, operators.operatorsOf(`${stage.stageId}.${stage.attemptId}`)));
  const sqlList: SqlExecution[] = [...sql.values()].sort((a, b) => a.executionId - b.executionId);
  const seenBroadcasts = new Set<number>();
  const accumValue = (id: number | undefined): number | undefined => (id === undefined ? undefined : driverAccums.get(id));
  const broadcasts = [...lastPlan.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([executionId, plan]) => broadcastsOf(executionId, plan, accumValue, seenBroadcasts));
  const peaks: MemoryPeaks | undefined = memoryPeaks;
  return {
    appId,
    appName,
    sparkVersion,
    startTimeMs,
    endTimeMs: endTimeMs ?? lastTimestampMs,
    sparkProperties,
    executors: finalExecutors,
    jobs: jobList.map((job) => ({ ...job, stageIds: [...job.stageIds] })),
    stages: stageList,
    sql: sqlList,
    tasks,
    broadcasts,
    ...(peaks !== undefined ? { memoryPeaks: peaks } : {}),
  };
}

/** Reads and folds one event log (file or rolling folder, any codec Spark writes). */
export async function summarizeEventLog(path: string): Promise<AppSummary> {
  return summarizeEvents(readEvents(path));
}
