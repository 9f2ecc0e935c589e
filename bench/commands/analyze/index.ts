import type { BenchCommand } from '../types.ts';
import { UsageError } from '../../lib/errors.ts';
import { parseLayout } from '../../sparklog/analyze/whatif.ts';
import type { AnalyzeCommandOptions } from './handler.ts';

const command: BenchCommand<AnalyzeCommandOptions> = {
  command: 'analyze <eventlog>',
  describe: 'findings (skew, spill, GC, idle cores, joins, AQE, files, failures) with evidence, fix and validation, from Spark event logs',
  positionals: { eventlog: { type: 'string', describe: 'an event-log file or eventlog_v2_ folder, or a run (results/RUN_ID or a folder holding event logs)' } },
  options: {
    json: { type: 'boolean', default: false, describe: 'print findings as JSON instead of text' },
    'what-if': {
      type: 'string',
      describe: 'also replay the task times on EXECUTORSxCORES, e.g. 2x4',
      coerce: (value: string) => {
        const layout = parseLayout(value);
        if (layout === undefined) throw new UsageError(`--what-if: expected EXECUTORSxCORES such as 2x4; got ${value}`);
        return layout;
      },
    },
    'min-skew-task-ms': {
      type: 'number',
      default: 1000,
      describe: 'skew needs the slowest task to run at least this long (Dr. Elephant uses 150000 on production clusters)',
      coerce: (value: number) => {
        if (!Number.isFinite(value) || value < 0) throw new UsageError(`--min-skew-task-ms: expected milliseconds ≥ 0 such as 1000; got ${value}`);
        return value;
      },
    },
  },
  load: () => import('./handler.ts'),
};

export default command;
