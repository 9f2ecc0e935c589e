// Findings about a cluster that lost work, and about shuffles cut into far too many pieces: executors that went
// away, fetch failures and the map output Spark recomputed because of them, and over-partitioned shuffle stages.

import { bytes, pct } from '../../../lib/format.ts';
import type { AppSummary, StageSummary, TaskRecord } from '../../eventlog/types.ts';
import { THRESHOLDS } from '../thresholds.ts';
import type { Finding } from '../types.ts';
import { scopeOf } from './stage-rules.ts';

const firstLine = (text: string): string => text.split('\n', 1)[0] ?? '';

/** Executors removed for any reason other than a release that was asked for (dynamic allocation, decommissioning). */
export function lostExecutorFinding(summary: AppSummary): Finding | undefined {
  const lost = summary.executors.filter((e) => e.removedReason !== undefined && !THRESHOLDS.executorLost.expectedReason.test(e.removedReason));
  if (lost.length === 0) return undefined;
  const reasons = [...new Set(lost.map((e) => firstLine(e.removedReason ?? '')))];
  return {
    rule: 'executor-lost',
    severity: 'severe',
    scope: { level: 'app' },
    title: `${lost.length} of ${summary.executors.length} executors lost (${reasons.join('; ')})`,
    evidence: {
      lostExecutors: lost.length,
      executors: summary.executors.length,
      executorIds: lost.map((e) => e.executorId).join(','),
      hosts: [...new Set(lost.map((e) => e.host))].join(','),
      reasons: reasons.join('; '),
    },
    hypothesis:
      'An executor process died or was killed: the resource manager killed its container for exceeding its memory (heap + memoryOverhead, off-heap and Python workers included), a node was pre-empted or failed, or heartbeats timed out under long GC pauses. Its cached blocks and shuffle files went with it.',
    fix: 'Read the executor logs and the resource manager for the exit reason; for memory kills raise spark.executor.memoryOverhead or shrink partitions (more shuffle partitions, AQE skew splits); keep shuffle files alive across losses with the external shuffle service or spark.decommission.enabled + spark.storage.decommission.shuffleBlocks.enabled.',
    validate: 'Re-run: no SparkListenerExecutorRemoved other than dynamic-allocation releases, and no fetch failures.',
    source: THRESHOLDS.executorLost.source,
  };
}

const idList = (values: readonly (string | number | undefined)[]): string =>
  [...new Set(values.filter((v): v is string | number => v !== undefined && v !== ''))]
    .sort((a, b) => Number(a) - Number(b) || String(a).localeCompare(String(b)))
    .join(',');

/**
 * Fetch failures, tasks lost with their executor, and map tasks resubmitted because their output was lost, with the
 * executors behind each: whose shuffle output could not be fetched (FetchFailed's block manager), which executor a
 * task was lost with, and on which executors the resubmitted map tasks had first run.
 */
export function fetchFailureFinding(stage: StageSummary, attempts: readonly TaskRecord[]): Finding | undefined {
  const withReason = (reason: string): TaskRecord[] => attempts.filter((t) => t.endReason === reason);
  const fetchFailed = withReason('FetchFailed');
  const executorLost = withReason('ExecutorLostFailure');
  const resubmitted = withReason('Resubmitted');
  if (fetchFailed.length + executorLost.length + resubmitted.length === 0) return undefined;
  const label = `stage ${stage.stageId}${stage.attemptId > 0 ? ` (attempt ${stage.attemptId})` : ''}`;
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const fetchFrom = idList(fetchFailed.map((t) => t.endReasonExecutorId));
  const lostWith = idList(executorLost.map((t) => t.endReasonExecutorId ?? t.executorId));
  const resubmittedOn = idList(resubmitted.map((t) => t.executorId));
  const parts = [
    fetchFailed.length > 0
      ? `${plural(fetchFailed.length, 'fetch failure', 'fetch failures')}${fetchFrom !== '' ? ` (output of executor ${fetchFrom})` : ''}`
      : '',
    executorLost.length > 0 ? `${plural(executorLost.length, 'task', 'tasks')} lost with executor ${lostWith}` : '',
    resubmitted.length > 0 ? `${plural(resubmitted.length, 'map task', 'map tasks')} resubmitted (first run on executor ${resubmittedOn})` : '',
  ].filter((p) => p !== '');
  return {
    rule: 'fetch-failures',
    severity: fetchFailed.length > 0 || resubmitted.length > 0 ? 'severe' : 'moderate',
    scope: scopeOf(stage),
    title: `${label}: ${parts.join(', ')}${stage.failureReason !== undefined ? ' — the stage failed' : ''}`,
    evidence: {
      stageId: stage.stageId,
      stageAttemptId: stage.attemptId,
      fetchFailedTasks: fetchFailed.length,
      fetchFailedFromExecutors: fetchFrom,
      fetchFailedShuffleIds: idList(fetchFailed.map((t) => t.endReasonShuffleId)),
      executorLostTasks: executorLost.length,
      lostWithExecutors: lostWith,
      resubmittedTasks: resubmitted.length,
      resubmittedFromExecutors: resubmittedOn,
      taskAttempts: attempts.length,
      stageFailed: stage.failureReason !== undefined,
      failureReason: firstLine(stage.failureReason ?? ''),
    },
    hypothesis:
      'Shuffle output written by an executor that is gone could not be read: Spark marks the map output lost, resubmits the map tasks that wrote it and re-runs the reading stage; after spark.stage.maxConsecutiveAttempts the job fails.',
    fix: 'Find and fix the executor loss (see executor-lost); serve shuffle files independently of executors (external shuffle service, or decommissioning with shuffle-block migration); for transient network errors raise spark.shuffle.io.maxRetries / spark.shuffle.io.retryWait.',
    validate: `Re-run: ${label} has no FetchFailed, ExecutorLostFailure or Resubmitted task ends and runs once.`,
    source: 'Spark TaskEndReason (FetchFailed, ExecutorLostFailure, Resubmitted) and DAGScheduler retry semantics',
  };
}

/**
 * A stage attempt after the first: Spark re-ran the stage, almost always because map output it needed was lost.
 * The previous attempt's task ends say whose output (FetchFailed's block manager) and how it ended.
 */
export function stageRetriedFinding(
  stage: StageSummary,
  attempts: readonly TaskRecord[],
  previous: { readonly stage: StageSummary; readonly attempts: readonly TaskRecord[] } | undefined,
): Finding | undefined {
  if (stage.attemptId === 0) return undefined;
  const before = previous?.attempts ?? [];
  const lostOutputOf = idList(before.filter((t) => t.endReason === 'FetchFailed').map((t) => t.endReasonExecutorId));
  const reason = firstLine(previous?.stage.failureReason ?? '');
  return {
    rule: 'stage-retried',
    severity: 'moderate',
    scope: scopeOf(stage),
    title: `stage ${stage.stageId}: re-run as attempt ${stage.attemptId} (${attempts.length} task${attempts.length === 1 ? '' : 's'})${lostOutputOf !== '' ? ` after fetch failures from executor ${lostOutputOf}` : ''}`,
    evidence: {
      stageId: stage.stageId,
      attemptId: stage.attemptId,
      stageAttempts: stage.attemptId + 1,
      tasksThisAttempt: attempts.length,
      previousAttemptTasks: before.length,
      previousAttemptFetchFailures: before.filter((t) => t.endReason === 'FetchFailed').length,
      lostOutputOfExecutors: lostOutputOf,
      executorsThisAttempt: idList(attempts.map((t) => t.executorId)),
      previousFailureReason: reason,
    },
    hypothesis: 'A fetch failure or lost executor forced Spark to recompute shuffle output of a parent stage and re-run this one.',
    fix: 'Find the executor loss behind it (memory overhead, preemption, disk); enable the external shuffle service or decommissioning so shuffle files survive.',
    validate: 'Re-run: only attempt 0 of every stage.',
    source: 'Spark scheduler semantics (a stage attempt > 0 is a retry)',
  };
}

export interface OverPartitionedStage {
  readonly stage: StageSummary;
  readonly tasks: number;
  /** Partitions the stage's shuffle bytes need at the target size (at least 1). */
  readonly bySize: number;
  /** Cores of the executors alive while the stage ran: fewer partitions than this would leave cores idle. */
  readonly cores: number;
  /** max(bySize, cores). */
  readonly suggested: number;
}

/** Cores of the executors that were alive at some point while the stage ran (0 when the log names none). */
export function coresDuring(summary: AppSummary, stage: StageSummary): number {
  return summary.executors
    .filter((e) => e.addedTimeMs <= stage.completionTimeMs && (e.removedTimeMs === undefined || e.removedTimeMs >= stage.submissionTimeMs))
    .reduce((acc, e) => acc + e.cores, 0);
}

/**
 * A shuffle-reading stage with many tasks that each read almost nothing, and the partition count it should have:
 * its shuffle bytes over the target partition size, but never fewer than the cores that were there to run it.
 */
export function overPartitionedStage(stage: StageSummary, ok: readonly TaskRecord[], cores: number): OverPartitionedStage | undefined {
  const t = THRESHOLDS.overPartitioned;
  if (ok.length < t.minTasks || stage.shuffleReadBytes <= 0) return undefined;
  if (stage.taskShuffleReadBytes.median >= t.maxMedianShuffleReadBytes) return undefined;
  const bySize = Math.max(1, Math.ceil(stage.shuffleReadBytes / t.targetPartitionBytes));
  const suggested = Math.max(bySize, cores);
  return suggested * 4 > ok.length ? undefined : { stage, tasks: ok.length, bySize, cores, suggested };
}

/**
 * One finding for all over-partitioned shuffle stages of an application: one spark.sql.shuffle.partitions serves
 * them all, so the count it should have is the largest any of them needs.
 */
export function overPartitionedFinding(stages: readonly OverPartitionedStage[]): Finding | undefined {
  if (stages.length === 0) return undefined;
  const t = THRESHOLDS.overPartitioned;
  const worst = [...stages].sort((a, b) => b.tasks / b.suggested - a.tasks / a.suggested)[0] as OverPartitionedStage;
  const suggested = Math.max(...stages.map((s) => s.suggested));
  const { stage } = worst;
  const bySize = Math.max(...stages.map((s) => s.bySize));
  const cores = Math.max(...stages.map((s) => s.cores));
  const one = stages.length === 1;
  const what = `stage ${stage.stageId}: ${worst.tasks} tasks read ${bytes(stage.shuffleReadBytes)} of shuffle (at most ${bytes(stage.taskShuffleReadBytes.max)} each)`;
  const ids = stages.map((s) => s.stage.stageId).sort((a, b) => a - b);
  return {
    rule: 'over-partitioned',
    severity: 'moderate',
    scope: one ? scopeOf(stage) : { level: 'app' },
    title: one
      ? `${what} — ${suggested} partition${suggested === 1 ? '' : 's'} would do`
      : `${stages.length} shuffle stages over-partitioned, e.g. ${what} — ${suggested} partition${suggested === 1 ? '' : 's'} would do for all of them`,
    evidence: {
      overPartitionedStages: stages.length,
      stageIds: ids.length > 20 ? `${ids.slice(0, 20).join(',')},…` : ids.join(','),
      worstStageId: stage.stageId,
      worstStageTasks: worst.tasks,
      worstStageShuffleReadBytes: stage.shuffleReadBytes,
      worstStageMedianTaskShuffleReadBytes: stage.taskShuffleReadBytes.median,
      worstStageMedianTaskMs: stage.taskTimeMs.median,
      partitionsBySize: bySize,
      cores,
      suggestedPartitions: suggested,
    },
    hypothesis: `spark.sql.shuffle.partitions (default 200) is far above what the data needs and nothing coalesced it: each task's scheduling, start-up and output cost is paid ${worst.tasks} times for work that ${suggested} partition${suggested === 1 ? '' : 's'} would carry (${pct(suggested / worst.tasks)} of the tasks).`,
    fix: `Set spark.sql.shuffle.partitions to about ${suggested} for this data — max(the largest stage's shuffle bytes / ${bytes(t.targetPartitionBytes)} = ${bySize}, the ${cores} cores that ran it) — or turn on AQE partition coalescing (spark.sql.adaptive.enabled and spark.sql.adaptive.coalescePartitions.enabled, the default since Spark 3.2).`,
    validate: `Re-run: the shuffle reads of stage${one ? '' : 's'} ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''} are split into about ${suggested} task${suggested === 1 ? '' : 's'} and take less wall time.`,
    source: t.source,
  };
}
