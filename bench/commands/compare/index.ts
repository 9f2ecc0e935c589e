import type { BenchCommand } from '../types.ts';
import { UsageError } from '../../lib/errors.ts';
import { STAGE_KINDS } from '../../harness/compare/stages.ts';
import type { CompareOptions } from './handler.ts';

const command: BenchCommand<CompareOptions> = {
  command: 'compare <runs..>',
  describe: 'median (min–max) wall time per job × configuration, speedup post/pre, shuffle and spill ratios, the best configuration',
  positionals: { runs: { type: 'string', array: true, describe: 'run folders (or ids under results/)' } },
  options: {
    'max-spread': {
      type: 'number',
      default: 0.25,
      describe: 'flag a configuration when (max − min) / median of its wall times is above this',
      coerce: (value: number) => {
        if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--max-spread: expected a positive number such as 0.25; got ${value}`);
        return value;
      },
    },
    json: { type: 'boolean', default: false, describe: 'print the comparison as JSON instead of a table' },
    baseline: {
      type: 'string',
      describe:
        "a configuration id (c01…), e.g. the one `bench advise` proposed: each row's median as a multiple of the same job's there, and the baseline against the best",
    },
    stages: {
      type: 'string',
      choices: STAGE_KINDS,
      describe:
        'also list the stages running a join (any *Join), aggregate (Hash/ObjectHash/SortAggregate), window, or all: tasks, task time median/max and max/median, shuffle read per task, medians over repeats; old runs are read from their event logs',
    },
  },
  load: () => import('./handler.ts'),
};

export default command;
