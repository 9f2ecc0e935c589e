import type { BenchCommand } from '../types.ts';

export interface ReportOptions {
  readonly run: string;
  readonly out?: string;
  readonly screenshot: boolean;
}

const command: BenchCommand<ReportOptions> = {
  command: 'report <run>',
  describe: 'write one self-contained HTML report (inline SVG charts, opens offline) for a run',
  positionals: { run: { type: 'string', describe: 'run folder (or id under results/)' } },
  options: {
    out: { type: 'string', describe: 'HTML file to write (default <run>/report.html)' },
    screenshot: { type: 'boolean', default: false, describe: 'also open it in headless Chromium, check the charts rendered, save <report>.png' },
  },
  load: () => import('./handler.ts'),
};

export default command;
