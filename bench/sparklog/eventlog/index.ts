// Public face of bench/sparklog/eventlog: read Spark event logs, fold them into an AppSummary.
export { readEvents, type SparkEvent } from './read.ts';
export { summarizeEventLog, summarizeEvents, distribution } from './summarize.ts';
export { EventLogError } from '../../lib/errors.ts';
export type * from './types.ts';
