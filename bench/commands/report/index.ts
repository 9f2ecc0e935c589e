import type { BenchCommand } from '../types.ts';
import type { ReportOptions } from './handler.ts';

const command: BenchCommand<ReportOptions> = {
  command: 'report <run>',
  describe: 'write one self-contained HTML report (inline SVG charts, opens offline) for a run',
  positionals: { run: { type: 'string', describe: 'run folder (or id under results/)' } },
  options: {
    out: { type: 'string', describe: 'HTML file to write (default <run>/report.html)' },
    ui: {
      type: 'boolean',
      default: false,
      describe:
        "also capture Spark UI pages (History Server + Chromium, a JVM for ~20 s) of the best configuration's pre and post into <run>/ui/ and embed them under the findings",
    },
    screenshot: { type: 'boolean', default: false, describe: 'also open it in headless Chromium, check the charts rendered, save <report>.png' },
  },
  load: () => import('./handler.ts'),
};

export default command;
