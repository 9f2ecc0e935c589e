import { compareRuns } from '../../compare/compare.ts';
import { formatComparison } from '../../compare/format.ts';
import { resolveRunDir } from '../../paths.ts';
import { loadRun } from '../../run/load.ts';
import type { CompareOptions } from './index.ts';

export async function handler(options: CompareOptions): Promise<number> {
  const runs = await Promise.all(options.runs.map((r) => loadRun(resolveRunDir(r))));
  const comparison = compareRuns({ runs, maxSpread: options.maxSpread });
  process.stdout.write(options.json ? JSON.stringify(comparison, null, 2) + '\n' : formatComparison(comparison));
  return 0;
}
