import { writeInsightsReport } from '../../insights/report.ts';

export interface InsightsCommandOptions {
  readonly outDir: string;
  readonly report?: string;
  readonly manifest?: string;
}

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
