// analyzeSummary: every rule over one AppSummary, findings ordered worst first. Pure: plain objects in and out,
// so the HTML report can call it and embed the result.

import type { AppSummary, TaskRecord } from '../eventlog/types.ts';
import { appFindings } from './rules/app-rules.ts';
import { planFindings } from './rules/plan-rules.ts';
import {
  coresDuring,
  fetchFailureFinding,
  lostExecutorFinding,
  type OverPartitionedStage,
  overPartitionedFinding,
  overPartitionedStage,
  stageRetriedFinding,
} from './rules/resilience-rules.ts';
import {
  failureFindings,
  oversizedPartitionFinding,
  skewFinding,
  smallFilesFindings,
  smallTasksFinding,
  spillFinding,
  stageGcFinding,
} from './rules/stage-rules.ts';
import type { AnalyzeOptions, Finding, Severity } from './types.ts';

const RANK: Readonly<Record<Severity, number>> = { critical: 0, severe: 1, moderate: 2, low: 3, info: 4 };

export function analyzeSummary(summary: AppSummary, options: AnalyzeOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const tasksByAttempt = new Map<string, TaskRecord[]>();
  for (const task of summary.tasks) {
    const key = `${task.stageId}.${task.stageAttemptId}`;
    const list = tasksByAttempt.get(key) ?? [];
    list.push(task);
    tasksByAttempt.set(key, list);
  }
  const previousAttempt = (stageId: number, attemptId: number) => {
    const stage = summary.stages.find((s) => s.stageId === stageId && s.attemptId === attemptId);
    return stage === undefined ? undefined : { stage, attempts: tasksByAttempt.get(`${stageId}.${attemptId}`) ?? [] };
  };
  const overPartitioned: OverPartitionedStage[] = [];
  for (const stage of summary.stages) {
    const all = tasksByAttempt.get(`${stage.stageId}.${stage.attemptId}`) ?? [];
    const ok = all.filter((t) => !t.failed && !t.killed);
    const candidates = [
      skewFinding(stage, ok, options),
      spillFinding(stage),
      stageGcFinding(stage),
      smallTasksFinding(stage),
      oversizedPartitionFinding(stage, ok),
      ...smallFilesFindings(stage, ok),
      ...failureFindings(stage, all),
      fetchFailureFinding(stage, all),
      stageRetriedFinding(stage, all, previousAttempt(stage.stageId, stage.attemptId - 1)),
    ];
    const over = overPartitionedStage(stage, ok, coresDuring(summary, stage));
    if (over !== undefined) overPartitioned.push(over);
    for (const finding of candidates) if (finding !== undefined) findings.push(finding);
  }
  for (const job of summary.jobs) {
    if (job.completionTimeMs > 0 && !job.succeeded) {
      findings.push({
        rule: 'job-failed',
        severity: 'critical',
        scope: { level: 'job', jobIds: [job.jobId], ...(job.sqlExecutionId !== undefined ? { sqlExecutionId: job.sqlExecutionId } : {}) },
        title: `job ${job.jobId} failed`,
        evidence: { jobId: job.jobId, stages: job.stageIds.length },
        hypothesis: 'A stage exhausted its task retries (spark.task.maxFailures) or the job was cancelled.',
        fix: "See the failed stage's failure reason in this report or the Spark UI.",
        validate: 'Re-run: the job succeeds.',
        source: 'Spark job result (SparkListenerJobEnd)',
      });
    }
  }
  for (const sql of summary.sql) findings.push(...planFindings(summary, sql));
  findings.push(...appFindings(summary));
  for (const finding of [lostExecutorFinding(summary), overPartitionedFinding(overPartitioned)]) {
    if (finding !== undefined) findings.push(finding);
  }
  return findings.sort((a, b) => RANK[a.severity] - RANK[b.severity] || (a.scope.stageId ?? -1) - (b.scope.stageId ?? -1));
}
