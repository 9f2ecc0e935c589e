import { InputError, UsageError } from '../../lib/errors.ts';
import { RESULTS_DIR } from '../../lib/paths.ts';
import { advise, formatAdvice, formatTable, measureRuns, NoMeasurementError } from '../../sparklog/advise/index.ts';
import type { MeasuredRun } from '../../sparklog/advise/types.ts';
import { locateEventLogs } from '../../sparklog/analyze/locate.ts';
import { EventLogError, summarizeEventLog } from '../../sparklog/eventlog/index.ts';
import type { JobKind } from '../../sparklog/advise/types.ts';

export interface AdviseCommandOptions {
  /** One size, or several with --table. */
  readonly data: readonly number[];
  readonly nodes: number;
  readonly cores: number;
  readonly memory: number;
  readonly job: JobKind;
  readonly metadata?: number;
  readonly from?: string;
  readonly json: boolean;
  readonly local: boolean;
  readonly grid: boolean;
  readonly table: boolean;
}

async function measured(from: string, job: AdviseCommandOptions['job']): Promise<MeasuredRun> {
  const logs = await locateEventLogs(from, RESULTS_DIR);
  if (logs.length === 0) throw new InputError(`advise: --from ${from}: no event logs there (nor under ${RESULTS_DIR}/${from})`);
  try {
    const summaries = await Promise.all(logs.map((log) => summarizeEventLog(log)));
    return measureRuns(from, summaries, job);
  } catch (error) {
    if (error instanceof EventLogError || error instanceof NoMeasurementError) throw new InputError(`advise: ${error.message}`);
    throw error;
  }
}

export async function handler(options: AdviseCommandOptions): Promise<number> {
  if (options.local && options.nodes !== 1) throw new UsageError(`advise: --local runs on one machine; got --nodes ${options.nodes}`);
  if (options.data.length !== 1 && !options.table) throw new UsageError(`advise: several --data sizes need --table; got ${options.data.length}`);
  const run = options.from !== undefined ? await measured(options.from, options.job) : undefined;
  const results = options.data.map((dataBytes) =>
    advise({
      dataBytes,
      nodes: options.nodes,
      coresPerNode: options.cores,
      memoryPerNodeBytes: options.memory,
      job: options.job,
      local: options.local,
      ...(options.metadata !== undefined ? { metadataBytes: options.metadata } : {}),
      ...(run !== undefined ? { measured: run } : {}),
    }),
  );
  const [result] = results;
  if (result === undefined) throw new UsageError('advise: --data needs a size');
  const text = options.table
    ? formatTable(results)
    : options.grid
      ? JSON.stringify({ configs: [result.grid] }, null, 2)
      : options.json
        ? JSON.stringify(result, null, 2)
        : formatAdvice(result);
  process.stdout.write(`${text}\n`);
  return 0;
}
