import type { BenchCommand } from '../types.ts';
import type { WhatIfCheckCommandOptions } from './handler.ts';

const command: BenchCommand<WhatIfCheckCommandOptions> = {
  command: 'whatif-check <run>',
  describe:
    "the what-if replay's error against real runs: configurations of one run that differ only in executors × executorCores, each replayed onto the other",
  positionals: { run: { type: 'string', describe: 'a run folder (or an id under results/)' } },
  options: {
    json: { type: 'boolean', default: false, describe: 'print the check as JSON instead of a table' },
  },
  load: () => import('./handler.ts'),
};

export default command;
