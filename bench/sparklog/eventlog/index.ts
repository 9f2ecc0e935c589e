// Public face of bench/sparklog/eventlog: read Spark event logs, fold them into an AppSummary.
export { readEvents, eventLogFiles, type SparkEvent } from './read.ts';
export { summarizeEventLog, summarizeEvents, distribution } from './summarize.ts';
export { EventLogError, type EventLogErrorCode } from '../../lib/errors.ts';
export { codecFromName, codecFromMagic, type Codec } from './codecs/index.ts';
export type * from './types.ts';
