// The report's findings section: bench analyze on each run's event logs, as a self-contained HTML fragment
// (no scripts, no external links). Spark UI pictures (bench report --ui) go under the table of the run they were
// taken from. buildReport takes another renderer through its `findings` option (tests do).

import { join } from 'node:path';
import type { LoadedRun } from '../run/load.ts';
import type { RunRecord } from '../run/types.ts';
import { summarizeEventLog } from '../../sparklog/eventlog/index.ts';
import { analyzeSummary } from '../../sparklog/analyze/analyze.ts';
import type { Finding } from '../../sparklog/analyze/types.ts';
import { esc } from '../../lib/html.ts';
import { picturesHtml, type ReportPicture } from './ui.ts';

function scope(f: Finding): string {
  if (f.scope.level === 'stage') return `stage ${f.scope.stageId}${f.scope.sqlExecutionId !== undefined ? ` (SQL ${f.scope.sqlExecutionId})` : ''}`;
  if (f.scope.level === 'sql') return `SQL ${f.scope.sqlExecutionId}`;
  if (f.scope.level === 'job') return `job ${f.scope.jobIds?.join(', ')}`;
  return 'app';
}

export function findingsTable(findings: readonly Finding[]): string {
  if (findings.length === 0) return '<p class="ok">nothing flagged</p>';
  const rows = findings
    .map(
      (f) =>
        `<tr><td class="${f.severity === 'critical' || f.severity === 'severe' ? 'bad' : ''}">${esc(f.severity)}</td><td>${esc(f.rule)}</td><td>${esc(scope(f))}</td><td>${esc(f.title)}<br><span class="muted">why: ${esc(f.hypothesis)}</span></td><td>${esc(f.fix)}<br><span class="muted">check: ${esc(f.validate)}</span></td></tr>`,
    )
    .join('');
  return `<table><tr><th>severity</th><th>rule</th><th>where</th><th>finding (evidence in the numbers)</th><th>fix / validation</th></tr>${rows}</table>`;
}

export interface FindingsSectionOptions {
  /** Extra HTML under a record's findings table (bench report --ui puts its Spark UI pictures there). */
  readonly below?: (record: RunRecord, findings: readonly Finding[]) => string;
}

/** One table per job × configuration, from its first repeat that has an event log. */
export async function findingsSectionHtml(run: LoadedRun, options: FindingsSectionOptions = {}): Promise<string> {
  const seen = new Set<string>();
  const parts: string[] = [
    '<h2>Findings (bench analyze)</h2><p class="muted">From each job × configuration\'s event log (first repeat); thresholds and sources in docs/spark-ui-analysis.md.</p>',
  ];
  for (const record of run.records) {
    const key = `${record.job} · ${record.configLabel}`;
    if (record.eventLog === null || seen.has(key)) continue;
    seen.add(key);
    try {
      const findings = analyzeSummary(await summarizeEventLog(join(run.dir, record.eventLog)));
      parts.push(`<h3>${esc(key)}</h3>${findingsTable(findings)}${options.below?.(record, findings) ?? ''}`);
    } catch (error) {
      parts.push(`<h3>${esc(key)}</h3><p class="bad">event log unreadable: ${esc(error instanceof Error ? error.message : String(error))}</p>`);
    }
  }
  if (seen.size === 0) parts.push('<p class="muted">No event logs in this run.</p>');
  return parts.join('\n');
}

export type FindingsRenderer = (run: LoadedRun, pictures?: readonly ReportPicture[]) => Promise<string>;

export const findingsSection: FindingsRenderer = (run, pictures = []) =>
  findingsSectionHtml(run, pictures.length > 0 ? { below: (record, findings) => picturesHtml(record.key, findings, pictures) } : {});
