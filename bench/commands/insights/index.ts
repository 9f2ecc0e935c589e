import type { BenchCommand } from '../types.ts';
import type { InsightsCommandOptions } from './handler.ts';

const command: BenchCommand<InsightsCommandOptions> = {
  command: 'insights <out-dir>',
  describe: "write one offline HTML page of charts and a written analysis of a job's output tables (DAU/MAU, sessions, segments)",
  positionals: { 'out-dir': { type: 'string', describe: "a job's --out folder (daily/, sessions_daily/, … and _run.json)" } },
  options: {
    report: { type: 'string', describe: 'HTML file to write (default <out-dir>/insights.html)' },
    manifest: { type: 'string', describe: "the generator's _manifest.json, to set the findings beside what gen planted (default: none)" },
  },
  load: () => import('./handler.ts'),
};

export default command;
