import type { InsightsCommandOptions } from './index.ts';
import { writeInsightsReport } from '../../insights/report.ts';

export async function handler(options: InsightsCommandOptions): Promise<number> {
  const result = await writeInsightsReport({
    outDir: options.outDir,
    reportPath: options.report,
    manifestPath: options.manifest,
  });
  process.stdout.write(`${result.reportPath}\n`);
  for (const f of result.findings) process.stdout.write(`- ${f.text}\n`);
  return 0;
}
