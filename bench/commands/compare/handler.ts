import { UsageError } from '../../lib/errors.ts';
import { compareRuns } from '../../harness/compare/compare.ts';
import { formatComparison } from '../../harness/compare/format.ts';
import { formatStages } from '../../harness/compare/format-stages.ts';
import { stageInput } from '../../harness/compare/stage-input.ts';
import { compareStages } from '../../harness/compare/stages.ts';
import { resolveRunDir } from '../../lib/paths.ts';
import { loadRun } from '../../harness/run/load.ts';
import type { StageKind } from '../../harness/compare/stages.ts';

export interface CompareOptions {
  readonly runs: readonly string[];
  readonly maxSpread: number;
  readonly json: boolean;
  readonly stages?: StageKind;
  readonly baseline?: string;
}

export async function handler(options: CompareOptions): Promise<number> {
  const runs = await Promise.all(options.runs.map((r) => loadRun(resolveRunDir(r))));
  const { baseline } = options;
  if (baseline !== undefined && !runs.some((run) => run.records.some((r) => r.configId === baseline)))
    throw new UsageError(`compare: --baseline ${baseline}: no such configuration in ${options.runs.join(', ')}`);
  const comparison = compareRuns({ runs, maxSpread: options.maxSpread, ...(baseline !== undefined ? { baseline } : {}) });
  if (options.stages === undefined) {
    process.stdout.write(options.json ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparison(comparison));
    return 0;
  }
  const { samples, notes } = await stageInput({ runs });
  const stages = compareStages({ samples, kind: options.stages, notes });
  process.stdout.write(options.json ? `${JSON.stringify({ ...comparison, stages }, null, 2)}\n` : `${formatComparison(comparison)}\n${formatStages(stages)}`);
  return 0;
}
