import { InputError, UsageError } from '../../lib/errors.ts';
import { RESULTS_DIR } from '../../lib/paths.ts';
import { advise, fitCost, formatAdvice, formatTable, measureRuns, NoMeasurementError } from '../../sparklog/advise/index.ts';
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
  /** Runs of the job at several input sizes (folders under results/): the estimate from their fitted growth. */
  readonly series?: readonly string[];
  /** --deadline, in milliseconds. */
  readonly deadline?: number;
  readonly json: boolean;
  readonly local: boolean;
  readonly offer: boolean;
  readonly grid: boolean;
  readonly table: boolean;
}

function fitSeries(runs: readonly MeasuredRun[]) {
  try {
    return fitCost(runs);
  } catch (error) {
    if (error instanceof NoMeasurementError) throw new InputError(`advise: ${error.message}`);
    throw error;
  }
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
  if (options.local && options.offer) throw new UsageError('advise: --offer sizes cluster workers; not with --local');
  if (options.local && options.nodes !== 1) throw new UsageError(`advise: --local runs on one machine; got --nodes ${options.nodes}`);
  if (options.data.length !== 1 && !options.table) throw new UsageError(`advise: several --data sizes need --table; got ${options.data.length}`);
  if (options.series !== undefined && options.series.length < 2)
    throw new UsageError(`advise: --series needs two or more runs at different sizes; got ${options.series.length}`);
  if (options.deadline !== undefined && options.local) throw new UsageError('advise: --deadline counts cluster nodes; not with --local');
  const seriesRuns = options.series !== undefined ? await Promise.all(options.series.map((run) => measured(run, options.job))) : undefined;
  const series = seriesRuns !== undefined ? fitSeries(seriesRuns) : undefined;
  // Without --from, the memory and size ratios come from the series' largest run: measured closest to the target.
  const largest = seriesRuns?.reduce((a, b) => (b.inputBytes > a.inputBytes ? b : a));
  const run = options.from !== undefined ? await measured(options.from, options.job) : largest;
  const results = options.data.map((dataBytes) =>
    advise({
      dataBytes,
      nodes: options.nodes,
      coresPerNode: options.cores,
      memoryPerNodeBytes: options.memory,
      job: options.job,
      local: options.local,
      offer: options.offer,
      ...(options.metadata !== undefined ? { metadataBytes: options.metadata } : {}),
      ...(run !== undefined ? { measured: run } : {}),
      ...(series !== undefined ? { series } : {}),
      ...(options.deadline !== undefined ? { deadlineMs: options.deadline } : {}),
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
