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

/** Fetch failures, tasks lost with their executor, and map tasks resubmitted because their output was lost. */
export function fetchFailureFinding(stage: StageSummary, attempts: readonly TaskRecord[]): Finding | undefined {
  const count = (reason: string): number => attempts.filter((t) => t.endReason === reason).length;
  const fetchFailed = count('FetchFailed');
  const executorLost = count('ExecutorLostFailure');
  const resubmitted = count('Resubmitted');
  if (fetchFailed + executorLost + resubmitted === 0) return undefined;
  const label = `stage ${stage.stageId}${stage.attemptId > 0 ? ` (attempt ${stage.attemptId})` : ''}`;
  const parts = [
    fetchFailed > 0 ? `${fetchFailed} fetch failure${fetchFailed === 1 ? '' : 's'}` : '',
    executorLost > 0 ? `${executorLost} task${executorLost === 1 ? '' : 's'} lost with an executor` : '',
    resubmitted > 0 ? `${resubmitted} map task${resubmitted === 1 ? '' : 's'} resubmitted` : '',
  ].filter((p) => p !== '');
  return {
    rule: 'fetch-failures',
    severity: fetchFailed > 0 || resubmitted > 0 ? 'severe' : 'moderate',
    scope: scopeOf(stage),
    title: `${label}: ${parts.join(', ')}${stage.failureReason !== undefined ? ' — the stage failed' : ''}`,
    evidence: {
      stageId: stage.stageId,
      fetchFailedTasks: fetchFailed,
      executorLostTasks: executorLost,
      resubmittedTasks: resubmitted,
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

export interface OverPartitionedStage {
  readonly stage: StageSummary;
  readonly tasks: number;
  readonly suggested: number;
}

/** A shuffle-reading stage with many tasks that each read almost nothing, and the partition count it should have. */
export function overPartitionedStage(stage: StageSummary, ok: readonly TaskRecord[]): OverPartitionedStage | undefined {
  const t = THRESHOLDS.overPartitioned;
  if (ok.length < t.minTasks || stage.shuffleReadBytes <= 0) return undefined;
  if (stage.taskShuffleReadBytes.median >= t.maxMedianShuffleReadBytes) return undefined;
  const suggested = Math.max(1, Math.ceil(stage.shuffleReadBytes / t.targetPartitionBytes));
  return suggested * 4 > ok.length ? undefined : { stage, tasks: ok.length, suggested };
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
      suggestedPartitions: suggested,
    },
    hypothesis: `spark.sql.shuffle.partitions (default 200) is far above what the data needs and nothing coalesced it: each task's scheduling, start-up and output cost is paid ${worst.tasks} times for work that ${suggested} partition${suggested === 1 ? '' : 's'} of ${bytes(t.targetPartitionBytes)} would carry (${pct(suggested / worst.tasks)} of the tasks).`,
    fix: `Set spark.sql.shuffle.partitions to about ${suggested} for this data (the largest stage's shuffle bytes / ${bytes(t.targetPartitionBytes)}), or turn on AQE partition coalescing (spark.sql.adaptive.enabled and spark.sql.adaptive.coalescePartitions.enabled, the default since Spark 3.2).`,
    validate: `Re-run: the shuffle reads of stage${one ? '' : 's'} ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''} are split into about ${suggested} task${suggested === 1 ? '' : 's'} and take less wall time.`,
    source: t.source,
  };
}
