import { InputError } from '../../lib/errors.ts';
import { RESULTS_DIR } from '../../lib/paths.ts';
import { analyzeSummary, formatReport, locateEventLogs, whatIf } from '../../sparklog/analyze/index.ts';
import { type AppSummary, EventLogError, summarizeEventLog } from '../../sparklog/eventlog/index.ts';
import type { WhatIfLayout } from '../../sparklog/analyze/whatif.ts';

export interface AnalyzeCommandOptions {
  readonly eventlog: string;
  readonly json: boolean;
  readonly whatIf?: WhatIfLayout;
  readonly minSkewTaskMs: number;
}

export async function handler(options: AnalyzeCommandOptions): Promise<number> {
  const logs = await locateEventLogs(options.eventlog, RESULTS_DIR);
  if (logs.length === 0) throw new InputError(`analyze: no event log at ${options.eventlog} (nor under ${RESULTS_DIR}/${options.eventlog})`);
  const reports = [];
  for (const eventLog of logs) {
    let summary: AppSummary;
    try {
      summary = await summarizeEventLog(eventLog);
    } catch (error) {
      if (error instanceof EventLogError) throw new InputError(`analyze: ${eventLog}: ${error.message} (${error.code})`);
      throw error;
    }
    const findings = analyzeSummary(summary, { minSkewTaskMs: options.minSkewTaskMs });
    const replay = options.whatIf !== undefined ? whatIf(summary, options.whatIf) : undefined;
    reports.push({ eventLog, summary, findings, replay });
  }
  if (options.json) {
    const json = reports.map((r) => ({
      eventLog: r.eventLog,
      appId: r.summary.appId,
      appName: r.summary.appName,
      sparkVersion: r.summary.sparkVersion,
      findings: r.findings,
      ...(r.replay !== undefined ? { whatIf: r.replay } : {}),
    }));
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    process.stdout.write(`${reports.map((r) => formatReport(r.eventLog, r.summary, r.findings, r.replay)).join('\n\n')}\n`);
  }
  return 0;
}
