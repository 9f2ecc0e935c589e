// The module's entry point: load OUT_DIR, analyse, render, write one HTML file. `bench insights` and `npm run demo`
// call this; tests call it directly.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { analyze } from './analyze.ts';
import { loadTables } from './load.ts';
import { compareWithManifest, readManifestHotKeys } from './manifest.ts';
import { renderPage } from './page.ts';
import type { Insight, WriteInsightsOptions, WriteInsightsResult } from './types.ts';

export async function writeInsightsReport(opts: WriteInsightsOptions): Promise<WriteInsightsResult> {
  const outDir = resolve(opts.outDir);
  const reportPath = resolve(opts.reportPath ?? join(outDir, 'insights.html'));
  // Read the manifest first: a bad --manifest should fail before any DuckDB work.
  const hotKeys = opts.manifestPath !== undefined ? readManifestHotKeys(opts.manifestPath) : undefined;
  const tables = await loadTables(outDir);
  const analysis = analyze(tables);
  const findings: Insight[] = [...analysis.findings];
  if (hotKeys && tables.topUsers) findings.push(compareWithManifest(tables.topUsers, hotKeys));
  const html = renderPage({ tables, analysis, findings, generatedAt: `${new Date().toISOString().slice(0, 19)}Z` });
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, html);
  return { reportPath, findings };
}
