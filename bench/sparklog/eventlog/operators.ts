// Stage → SQL operators, linked the way Spark's SQL tab links them: every metric of a physical-plan node is an
// accumulator (`sparkPlanInfo…metrics[].accumulatorId`), and a stage whose tasks updated one of those accumulators
// ran (part of) that node. Accumulator ids are unique within an application, so one id → node map serves every SQL
// execution and every adaptive re-plan.
//
// Memory: one entry per plan metric (ids repeat across AQE updates and are stored once), operator names interned,
// and per stage a small set of name indexes. An accumulator a stage updated before any plan named it (a cached
// relation's plan shows up in a later update) is kept as a pending id and resolved at the end.

type Json = Record<string, unknown>;

export interface OperatorTracker {
  /** A `sparkPlanInfo` tree (SQLExecutionStart or SQLAdaptiveExecutionUpdate). */
  addPlan(planInfo: unknown): void;
  /** `Stage Info.Accumulables` or a task's `Task Info.Accumulables`, for the stage attempt `stageKey`. */
  addAccumulables(stageKey: string, accumulables: unknown): void;
  /** Distinct operator names of the stage attempt, sorted; [] when none of its accumulators is a plan metric. */
  operatorsOf(stageKey: string): string[];
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function accumulatorId(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The operator a plan node stands for: its nodeName, trimmed ("Scan parquet " → "Scan parquet"). Whole-stage
 * codegen wrappers ("WholeStageCodegen (3)") are not operators; their only metric is the pipeline's duration.
 */
export function operatorName(nodeName: string): string | undefined {
  const name = nodeName.trim();
  return name === '' || name.startsWith('WholeStageCodegen') ? undefined : name;
}

/** Task metrics (internal.metrics.*) and non-SQL accumulators can never name a plan node: not worth keeping. */
function maybePlanMetric(entry: Json): boolean {
  const metadata = entry.Metadata;
  if (metadata !== undefined && metadata !== 'sql') return false;
  const name = entry.Name;
  return !(typeof name === 'string' && name.startsWith('internal.'));
}

export function operatorTracker(): OperatorTracker {
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const byAccumulator = new Map<number, number>();
  const stages = new Map<string, { known: Set<number>; pending: Set<number> }>();

  const intern = (name: string): number => {
    let index = nameIndex.get(name);
    if (index === undefined) {
      index = names.length;
      names.push(name);
      nameIndex.set(name, index);
    }
    return index;
  };

  return {
    addPlan(planInfo) {
      // Iterative walk: plans of wide queries nest deeply, and a recursion limit is not worth risking.
      const todo: unknown[] = [planInfo];
      while (todo.length > 0) {
        const node = todo.pop();
        if (!isObject(node)) continue;
        const name = typeof node.nodeName === 'string' ? operatorName(node.nodeName) : undefined;
        if (name !== undefined && Array.isArray(node.metrics)) {
          for (const metric of node.metrics) {
            const id = isObject(metric) ? accumulatorId(metric.accumulatorId) : undefined;
            if (id !== undefined) byAccumulator.set(id, intern(name));
          }
        }
        if (Array.isArray(node.children)) todo.push(...(node.children as unknown[]));
      }
    },

    addAccumulables(stageKey, accumulables) {
      if (!Array.isArray(accumulables) || accumulables.length === 0) return;
      let stage = stages.get(stageKey);
      if (stage === undefined) {
        stage = { known: new Set(), pending: new Set() };
        stages.set(stageKey, stage);
      }
      for (const entry of accumulables) {
        if (!isObject(entry)) continue;
        const id = accumulatorId(entry.ID);
        if (id === undefined) continue;
        const index = byAccumulator.get(id);
        if (index !== undefined) stage.known.add(index);
        else if (maybePlanMetric(entry)) stage.pending.add(id);
      }
    },

    operatorsOf(stageKey) {
      const stage = stages.get(stageKey);
      if (stage === undefined) return [];
      const indexes = new Set(stage.known);
      for (const id of stage.pending) {
        const index = byAccumulator.get(id);
        if (index !== undefined) indexes.add(index);
      }
      return [...indexes].map((i) => names[i] as string).sort();
    },
  };
}
