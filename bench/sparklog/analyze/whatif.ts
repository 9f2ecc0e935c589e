// What-if, as Sparklens does it: replay the recorded task times over each job's stage graph on N executors × C
// cores, jobs one after another, plus the recorded driver-only time. Assumes a task takes as long on any slot
// (no change in spill, GC or locality with a different layout): the estimate is a lower bound when memory per
// task shrinks. The same replay on the recorded layout gives the model's own error against the real run.

import type { AppSummary, TaskRecord } from '../eventlog/types.ts';
import { unionMs } from './rules/app-rules.ts';

export interface WhatIfLayout {
  readonly executors: number;
  readonly coresPerExecutor: number;
}

export interface JobReplay {
  readonly jobId: number;
  readonly actualMs: number;
  readonly replayRecordedMs: number;
  readonly replayTargetMs: number;
}

export interface WhatIfResult {
  readonly target: WhatIfLayout;
  readonly targetSlots: number;
  readonly recordedSlots: number;
  readonly actualWallMs: number;
  readonly driverOnlyMs: number;
  /** driver-only + replayed jobs on the recorded slots: how well the model explains the real run. */
  readonly replayRecordedWallMs: number;
  /** (replay on recorded slots − actual) / actual. */
  readonly modelError: number;
  /** driver-only + replayed jobs on the target layout. */
  readonly estimatedWallMs: number;
  readonly jobs: readonly JobReplay[];
}

export function parseLayout(text: string): WhatIfLayout | undefined {
  const match = /^(\d+)x(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const executors = Number(match[1]);
  const coresPerExecutor = Number(match[2]);
  if (executors < 1 || coresPerExecutor < 1) return undefined;
  return { executors, coresPerExecutor };
}

/** Greedy list scheduling: ready stages in order of readiness, each task on the earliest free slot. */
export function replayJob(stages: readonly { id: number; parents: readonly number[]; tasks: readonly TaskRecord[] }[], slots: number): number {
  const free = new Array<number>(Math.max(1, slots)).fill(0);
  const finish = new Map<number, number>();
  const ids = new Set(stages.map((s) => s.id));
  const pending = [...stages];
  let end = 0;
  while (pending.length > 0) {
    // Parents outside this job (or skipped) count as done at time 0.
    const ready = pending.filter((s) => s.parents.every((p) => !ids.has(p) || finish.has(p)));
    const candidates = ready.length > 0 ? ready : pending; // a cycle cannot happen; guard anyway
    const readyAt = (s: (typeof stages)[number]): number => Math.max(0, ...s.parents.map((p) => finish.get(p) ?? 0));
    candidates.sort((a, b) => readyAt(a) - readyAt(b) || a.id - b.id);
    const stage = candidates[0] as (typeof stages)[number];
    pending.splice(pending.indexOf(stage), 1);
    const start = readyAt(stage);
    let stageEnd = start;
    for (const task of [...stage.tasks].sort((a, b) => a.launchTimeMs - b.launchTimeMs || a.taskId - b.taskId)) {
      let slot = 0;
      for (let i = 1; i < free.length; i++) if ((free[i] as number) < (free[slot] as number)) slot = i;
      const taskStart = Math.max(free[slot] as number, start);
      const taskEnd = taskStart + task.durationMs;
      free[slot] = taskEnd;
      stageEnd = Math.max(stageEnd, taskEnd);
    }
    finish.set(stage.id, stageEnd);
    end = Math.max(end, stageEnd);
  }
  return end;
}

export function whatIf(summary: AppSummary, target: WhatIfLayout): WhatIfResult {
  const recordedSlots = Math.max(
    1,
    summary.executors.reduce((acc, e) => acc + e.cores, 0),
  );
  const targetSlots = target.executors * target.coresPerExecutor;
  const tasksByStage = new Map<number, TaskRecord[]>();
  for (const task of summary.tasks) {
    const list = tasksByStage.get(task.stageId) ?? [];
    list.push(task);
    tasksByStage.set(task.stageId, list);
  }
  const jobs: JobReplay[] = summary.jobs.map((job) => {
    const stages = summary.stages
      .filter((s) => job.stageIds.includes(s.stageId) && s.attemptId === 0)
      .map((s) => ({ id: s.stageId, parents: s.parentIds, tasks: tasksByStage.get(s.stageId) ?? [] }));
    return {
      jobId: job.jobId,
      actualMs: Math.max(0, (job.completionTimeMs || summary.endTimeMs) - job.submissionTimeMs),
      replayRecordedMs: replayJob(stages, recordedSlots),
      replayTargetMs: replayJob(stages, targetSlots),
    };
  });
  const actualWallMs = Math.max(0, summary.endTimeMs - summary.startTimeMs);
  const jobWallMs = unionMs(summary.jobs.map((j) => [j.submissionTimeMs, j.completionTimeMs || summary.endTimeMs] as const));
  const driverOnlyMs = Math.max(0, actualWallMs - jobWallMs);
  const replayRecordedWallMs = driverOnlyMs + jobs.reduce((acc, j) => acc + j.replayRecordedMs, 0);
  return {
    target,
    targetSlots,
    recordedSlots,
    actualWallMs,
    driverOnlyMs,
    replayRecordedWallMs,
    modelError: actualWallMs > 0 ? (replayRecordedWallMs - actualWallMs) / actualWallMs : 0,
    estimatedWallMs: driverOnlyMs + jobs.reduce((acc, j) => acc + j.replayTargetMs, 0),
    jobs,
  };
}
