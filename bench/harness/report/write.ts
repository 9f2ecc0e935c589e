// `bench report`: reads a run folder, writes <run>/report.html (or --out) atomically.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChecksumDifference } from '../run/checksum.ts';
import { loadRun } from '../run/load.ts';
import { buildReport } from './html.ts';
import type { ReportPicture } from './ui.ts';

export interface WriteReportOptions {
  readonly runDir: string;
  readonly out?: string;
  /** Spark UI pictures to embed (bench report --ui captures them). */
  readonly pictures?: readonly ReportPicture[];
}

export async function writeReport(options: WriteReportOptions): Promise<{ path: string; bytes: number }> {
  const run = await loadRun(options.runDir);
  const differences = await readFile(join(options.runDir, 'checksums.json'), 'utf8')
    .then((t) => (JSON.parse(t) as { differences: ChecksumDifference[] }).differences)
    .catch(() => undefined);
  const html = await buildReport({
    run,
    ...(differences !== undefined && { differences }),
    ...(options.pictures !== undefined && { pictures: options.pictures }),
  });
  const path = options.out ?? join(options.runDir, 'report.html');
  await writeFile(`${path}.tmp`, html);
  await rename(`${path}.tmp`, path); // never a half-written report
  return { path, bytes: Buffer.byteLength(html) };
}
