import { resolve } from 'node:path';
import { BenchError } from '../../errors.ts';
import { resolveRunDir } from '../../paths.ts';
import { writeReport } from '../../report/write.ts';
import type { ReportOptions } from './index.ts';

export async function handler(options: ReportOptions): Promise<number> {
  const { path } = await writeReport({ runDir: resolveRunDir(options.run), ...(options.out !== undefined && { out: resolve(options.out) }) });
  process.stdout.write(`${path}\n`);
  if (options.screenshot) {
    const { checkInBrowser } = await import('../../report/browser.ts');
    const check = await checkInBrowser(path, path.replace(/\.html?$/, '') + '.png');
    const empty = check.charts.filter((c) => c.width === 0 || (c.marks === 0 && !c.allZero));
    if (check.charts.length === 0 || empty.length > 0 || check.consoleErrors.length > 0 || check.requests.length > 0) {
      throw new BenchError('INTERNAL', `report did not render cleanly: ${check.charts.length} charts, empty: ${empty.map((c) => c.id).join(', ') || 'none'}, console errors: ${check.consoleErrors.length}, requests: ${check.requests.length}`, 1);
    }
    process.stdout.write(`${check.screenshot}\n`);
  }
  return 0;
}
