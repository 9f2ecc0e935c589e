// Text for people: the app's headline numbers, then findings grouped app → SQL query → job → stage.

import type { AppSummary } from '../eventlog/types.ts';
import { utilisation } from './rules/app-rules.ts';
import type { Finding } from './types.ts';
import type { WhatIfResult } from './whatif.ts';
import { ms, pct } from '../../lib/format.ts';

function block(finding: Finding): string {
  const evidence = Object.entries(finding.evidence)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return [
    `  [${finding.severity.toUpperCase()}] ${finding.rule}: ${finding.title}`,
    `    evidence:   ${evidence}`,
    `    hypothesis: ${finding.hypothesis}`,
    `    fix:        ${finding.fix}`,
    `    validate:   ${finding.validate}`,
    `    threshold:  ${finding.source}`,
  ].join('\n');
}

export function formatWhatIf(result: WhatIfResult): string {
  const lines = [
    `what-if ${result.target.executors}×${result.target.coresPerExecutor} (${result.targetSlots} slots; recorded ${result.recordedSlots}):`,
    `  estimated wall ${ms(result.estimatedWallMs)} (driver-only ${ms(result.driverOnlyMs)} kept as recorded)`,
    `  model check: replay on the recorded ${result.recordedSlots} slots gives ${ms(result.replayRecordedWallMs)} vs actual ${ms(result.actualWallMs)} (error ${pct(result.modelError)})`,
  ];
  for (const job of result.jobs) {
    lines.push(`  job ${job.jobId}: actual ${ms(job.actualMs)}, replay recorded ${ms(job.replayRecordedMs)}, replay target ${ms(job.replayTargetMs)}`);
  }
  return lines.join('\n');
}

export function formatReport(eventLog: string, summary: AppSummary, findings: readonly Finding[], whatIf?: WhatIfResult): string {
  const u = utilisation(summary);
  const out: string[] = [
    `${summary.appName || summary.appId} (${summary.appId}, Spark ${summary.sparkVersion || '?'}) — ${eventLog}`,
    `  wall ${ms(u.wallMs)}, driver-only ${ms(u.driverOnlyMs)}, ${summary.executors.length} executor(s) / ${u.totalCores} cores, idle core-time ${pct(u.idleShare)}, ${summary.jobs.length} jobs, ${summary.stages.length} stages, ${summary.tasks.length} tasks`,
  ];
  const shown = findings.filter((f) => f.severity !== 'info');
  out.push(`  ${shown.length} finding(s) (+${findings.length - shown.length} info)`);
  const app = findings.filter((f) => f.scope.level === 'app');
  if (app.length > 0) out.push('', 'Application', ...app.map(block));
  const sqlIds = [...new Set(findings.filter((f) => f.scope.sqlExecutionId !== undefined).map((f) => f.scope.sqlExecutionId as number))].sort((a, b) => a - b);
  for (const id of sqlIds) {
    const sql = summary.sql.find((s) => s.executionId === id);
    out.push('', `SQL query ${id}${sql?.description ? `: ${sql.description.split('\n')[0]?.slice(0, 100)}` : ''}`);
    for (const f of findings.filter((x) => x.scope.sqlExecutionId === id)) out.push(block(f));
  }
  const loose = findings.filter((f) => f.scope.level !== 'app' && f.scope.sqlExecutionId === undefined);
  if (loose.length > 0) out.push('', 'Jobs and stages outside SQL', ...loose.map(block));
  if (findings.length === 0) out.push('', '  nothing flagged');
  if (whatIf !== undefined) out.push('', formatWhatIf(whatIf));
  return out.join('\n');
}
