import { resolve } from 'node:path';
import { BenchError } from '../../lib/errors.ts';
import { resolveRunDir } from '../../lib/paths.ts';
import type { ReportPicture } from '../../harness/report/ui.ts';
import { writeReport } from '../../harness/report/write.ts';
import { loadRun } from '../../harness/run/load.ts';

export interface ReportOptions {
  readonly run: string;
  readonly out?: string;
  readonly screenshot: boolean;
  readonly ui: boolean;
}

export async function handler(options: ReportOptions): Promise<number> {
  const runDir = resolveRunDir(options.run);
  let pictures: ReportPicture[] | undefined;
  if (options.ui) {
    const { captureRunPictures } = await import('../../harness/report/ui.ts');
    pictures = await captureRunPictures(await loadRun(runDir));
  }
  const { path } = await writeReport({ runDir, ...(options.out !== undefined && { out: resolve(options.out) }), ...(pictures !== undefined && { pictures }) });
  process.stdout.write(`${path}\n`);
  if (options.screenshot) {
    const { checkInBrowser } = await import('../../lib/browser.ts');
    const check = await checkInBrowser(path, `${path.replace(/\.html?$/, '')}.png`);
    const empty = check.charts.filter((c) => c.width === 0 || (c.drawn === 0 && !c.allZero));
    const broken = check.images.filter((i) => i.naturalWidth === 0);
    if (
      check.charts.length === 0 ||
      empty.length > 0 ||
      broken.length > 0 ||
      check.images.length < (pictures?.length ?? 0) ||
      check.consoleErrors.length > 0 ||
      check.requests.length > 0
    ) {
      throw new BenchError(
        'INTERNAL',
        `report did not render cleanly: ${check.charts.length} charts, empty: ${empty.map((c) => c.id).join(', ') || 'none'}, pictures: ${check.images.length - broken.length} of ${pictures?.length ?? 0} decoded, console errors: ${check.consoleErrors.length}, requests: ${check.requests.length}`,
        1,
      );
    }
    process.stdout.write(`${check.screenshot}\n`);
  }
  return 0;
}
