// Stages by SQL operator, per job × configuration: which stages join (or aggregate, or window), their task time
// median and max and the max/median ratio (skew), and their per-task shuffle read, each the median over repeats.
// Pure: the records come with operators already (stage-input.ts reads old runs' event logs for them).
import type { Dist } from '../../sparklog/eventlog/types.ts';
import type { JobName } from '../run/types.ts';
import { jobRank } from '../run/jobs.ts';
import { median } from '../../lib/stats.ts';

export const STAGE_KINDS = ['join', 'aggregate', 'window', 'all'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

const AGGREGATES = new Set(['HashAggregate', 'ObjectHashAggregate', 'SortAggregate']);

/** join: any *Join node (SortMergeJoin, BroadcastHashJoin, ShuffledHashJoin, BroadcastNestedLoopJoin, …). */
export function matchesKind(operators: readonly string[], kind: StageKind): boolean {
  switch (kind) {
    case 'join':
      return operators.some((op) => op.endsWith('Join'));
    case 'aggregate':
      return operators.some((op) => AGGREGATES.has(op));
    case 'window':
      return operators.includes('Window');
    case 'all':
      return true;
  }
}

/** One stage of one repeat, as stage-input.ts hands it over. */
export interface StageSample {
  readonly stageId: number;
  readonly operators: readonly string[];
  readonly tasks: number;
  readonly taskTimeMs: Dist;
  /** Undefined when neither the record nor its event log gave per-task shuffle reads. */
  readonly taskShuffleReadBytes?: Dist;
}

/** One completed repeat of one job under one configuration. */
export interface RepeatSample {
  readonly runId: string;
  readonly configId: string;
  readonly configLabel: string;
  readonly job: JobName;
  readonly repeat: number;
  readonly stages: readonly StageSample[];
}

export interface StageRow {
  /** Stage id in each repeat that had the stage, in repeat order; all equal unless matched by position. */
  readonly stageIds: readonly number[];
  /** Union over the repeats, sorted. */
  readonly operators: readonly string[];
  readonly repeats: number;
  readonly tasks: number;
  readonly taskTimeMedianMs: number;
  readonly taskTimeMaxMs: number;
  /** Median over repeats of each repeat's max / median task time (NaN when a median was 0). */
  readonly taskTimeSkew: number;
  readonly shuffleReadMedianBytes: number;
  readonly shuffleReadMaxBytes: number;
}

export interface StageGroup {
  readonly runId: string;
  readonly configId: string;
  readonly configLabel: string;
  readonly job: JobName;
  readonly repeats: number;
  /**
   * How stages were paired across repeats: by id, or (ids differed) by position among the matching stages that ran
   * the same operators.
   */
  readonly matchedBy: 'stageId' | 'position';
  readonly stages: readonly StageRow[];
  /** The row with the highest max/median task time, if any stage matched. */
  readonly worst?: StageRow;
}

export interface StageComparison {
  readonly kind: StageKind;
  readonly groups: readonly StageGroup[];
  /** What could not be read (records without operators whose event log is missing or unreadable). */
  readonly notes: readonly string[];
}

function skewOf(dist: Dist): number {
  return dist.median > 0 ? dist.max / dist.median : dist.max === 0 ? 1 : Number.NaN;
}

/** Median that ignores NaN (a repeat whose ratio is undefined); NaN when nothing is left. */
function medianOfFinite(values: readonly number[]): number {
  return median(values.filter((v) => Number.isFinite(v)));
}

function rowOf(stages: readonly StageSample[]): StageRow {
  const reads = stages.map((s) => s.taskShuffleReadBytes).filter((d): d is Dist => d !== undefined);
  return {
    stageIds: stages.map((s) => s.stageId),
    operators: [...new Set(stages.flatMap((s) => s.operators))].sort(),
    repeats: stages.length,
    tasks: median(stages.map((s) => s.tasks)),
    taskTimeMedianMs: median(stages.map((s) => s.taskTimeMs.median)),
    taskTimeMaxMs: median(stages.map((s) => s.taskTimeMs.max)),
    taskTimeSkew: medianOfFinite(stages.map((s) => skewOf(s.taskTimeMs))),
    shuffleReadMedianBytes: median(reads.map((d) => d.median)),
    shuffleReadMaxBytes: median(reads.map((d) => d.max)),
  };
}

/**
 * Pairs the matching stages of the repeats. By id when every repeat has the same ids. Otherwise (AQE planned more
 * or fewer stages in some repeat) by position among the stages that ran the same operators, so that an extra stage
 * in one repeat does not shift every pair after it; a row then says in how many repeats it was found.
 */
function pairStages(repeats: readonly (readonly StageSample[])[]): { matchedBy: StageGroup['matchedBy']; rows: StageRow[] } {
  const idsOf = (stages: readonly StageSample[]) => stages.map((s) => s.stageId).join(',');
  const sameIds = repeats.every((stages) => idsOf(stages) === idsOf(repeats[0] ?? []));
  const bySignature = new Map<string, StageSample[][]>();
  for (const [i, stages] of repeats.entries()) {
    for (const stage of stages) {
      const signature = sameIds ? String(stage.stageId) : stage.operators.join(',');
      const perRepeat = bySignature.get(signature) ?? repeats.map((): StageSample[] => []);
      perRepeat[i]?.push(stage);
      bySignature.set(signature, perRepeat);
    }
  }
  const rows: StageRow[] = [];
  for (const perRepeat of bySignature.values()) {
    const length = Math.max(...perRepeat.map((stages) => stages.length));
    for (let i = 0; i < length; i++) rows.push(rowOf(perRepeat.map((stages) => stages[i]).filter((s): s is StageSample => s !== undefined)));
  }
  const meanId = (row: StageRow) => row.stageIds.reduce((a, b) => a + b, 0) / row.stageIds.length;
  rows.sort((a, b) => meanId(a) - meanId(b));
  return { matchedBy: sameIds ? 'stageId' : 'position', rows };
}

export interface StageCompareOptions {
  readonly samples: readonly RepeatSample[];
  readonly kind: StageKind;
  readonly notes?: readonly string[];
}

export function compareStages({ samples, kind, notes = [] }: StageCompareOptions): StageComparison {
  const byGroup = new Map<string, RepeatSample[]>();
  for (const sample of samples) {
    const key = `${sample.runId}\u0000${sample.configId}\u0000${sample.job}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), sample]);
  }
  const groups: StageGroup[] = [];
  for (const repeats of byGroup.values()) {
    const first = repeats[0] as RepeatSample;
    const ordered = [...repeats].sort((a, b) => a.repeat - b.repeat);
    const matching = ordered.map((r) => lastAttempts(r.stages).filter((s) => matchesKind(s.operators, kind)));
    const { matchedBy, rows } = pairStages(matching);
    const worst = rows
      .filter((r) => Number.isFinite(r.taskTimeSkew))
      .reduce<StageRow | undefined>((acc, r) => (acc === undefined || r.taskTimeSkew > acc.taskTimeSkew ? r : acc), undefined);
    groups.push({
      runId: first.runId,
      configId: first.configId,
      configLabel: first.configLabel,
      job: first.job,
      repeats: repeats.length,
      matchedBy,
      stages: rows,
      ...(worst !== undefined ? { worst } : {}),
    });
  }
  groups.sort((a, b) => a.runId.localeCompare(b.runId) || a.configId.localeCompare(b.configId) || jobRank(a.job) - jobRank(b.job));
  return { kind, groups, notes };
}

/** A retried stage appears once per attempt; the last attempt is the one whose output was used. */
function lastAttempts(stages: readonly StageSample[]): StageSample[] {
  const byId = new Map<number, StageSample>();
  for (const stage of stages) byId.set(stage.stageId, stage); // records list attempts in order
  return [...byId.values()].sort((a, b) => a.stageId - b.stageId);
}
