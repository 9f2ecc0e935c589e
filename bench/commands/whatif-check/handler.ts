import { join } from 'node:path';
import { checkWhatIf, pairableKeys, type RecordedRun } from '../../harness/whatif-check/whatif-check.ts';
import { formatWhatIfCheck } from '../../harness/whatif-check/format.ts';
import { EventLogError, summarizeEventLog } from '../../sparklog/eventlog/index.ts';
import { resolveRunDir } from '../../lib/paths.ts';
import { loadRun } from '../../harness/run/load.ts';

export interface WhatIfCheckCommandOptions {
  readonly run: string;
  readonly json: boolean;
}

export async function handler(options: WhatIfCheckCommandOptions): Promise<number> {
  const run = await loadRun(resolveRunDir(options.run));
  const completed = run.records.filter((r) => r.state === 'completed');
  const wanted = pairableKeys(completed); // read only the event logs a pair needs
  const recorded: RecordedRun[] = [];
  const unread: string[] = [];
  for (const r of completed) {
    if (!wanted.keys.has(r.key)) continue;
    if (r.eventLog === null) {
      unread.push(`${r.key}: no event log`);
      continue;
    }
    try {
      const summary = await summarizeEventLog(join(run.dir, r.eventLog));
      recorded.push({ key: r.key, job: r.job, configId: r.configId, configLabel: r.configLabel, config: r.config, wallTimeMs: r.wallTimeMs, summary });
    } catch (error) {
      if (!(error instanceof EventLogError)) throw error;
      unread.push(`${r.key}: event log not readable (${error.code})`);
    }
  }
  const check = checkWhatIf({ runs: recorded });
  const result = { ...check, skipped: [...wanted.skipped, ...unread] };
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ run: run.meta.runId, ...result }, null, 2)}\n`);
  } else {
    process.stdout.write(formatWhatIfCheck(run.meta.runId, result));
  }
  return 0;
}
