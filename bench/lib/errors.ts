// Errors users see: one class, BenchError, with one scheme of stable codes (AREA_CAUSE, upper case) and the exit
// code that goes with it. The one top-level handler in cli.ts turns a BenchError into a one-line message and its exit
// code; command logic throws these and never calls process.exit(). Subclasses only fix the code family and exit code.

export type BenchErrorCode =
  | 'USAGE' // bad flags or a bad grid file: the user must change what they typed
  | 'INPUT' // a file or folder the command needs is missing or unreadable
  | 'RUNS_FAILED' // one or more Spark runs failed (recorded, the grid went on)
  | 'CHECKSUM_MISMATCH' // two runs disagree on an output table
  | 'INTERNAL' // bench itself went wrong (e.g. a report that does not render)
  | EventLogErrorCode
  | 'ADVISE_NO_MEASUREMENT' // advise --from: the runs measured nothing to scale from
  | InsightsErrorCode;

export type EventLogErrorCode =
  | 'EVENTLOG_NOT_FOUND' // the path does not exist
  | 'EVENTLOG_EMPTY_FOLDER' // a rolling-log folder with no events_N_ files
  | 'EVENTLOG_CORRUPT' // a codec frame or a JSON line (other than the last) does not parse
  | 'EVENTLOG_NOT_SPARK'; // parsed, but holds no Spark listener events

export type InsightsErrorCode =
  | 'INSIGHTS_NO_TABLES' // the output folder holds none of the tables the page needs
  | 'INSIGHTS_BAD_TABLE' // a table is missing columns or does not parse
  | 'INSIGHTS_BAD_MANIFEST'; // gen's _manifest.json does not parse

export class BenchError extends Error {
  constructor(
    readonly code: BenchErrorCode,
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'BenchError';
  }
}

/** Something the user typed is wrong; exit 2 like every CLI's usage error. */
export class UsageError extends BenchError {
  constructor(message: string) {
    super('USAGE', message, 2);
    this.name = 'UsageError';
  }
}

/** A file or folder the command needs is missing or cannot be used; exit 2. `code` says which check failed. */
export class InputError extends BenchError {
  constructor(message: string, code: 'INPUT' | EventLogErrorCode | 'ADVISE_NO_MEASUREMENT' | InsightsErrorCode = 'INPUT') {
    super(code, message, 2);
    this.name = 'InputError';
  }
}

/** An event log that cannot be read (bench/sparklog/eventlog). */
export class EventLogError extends InputError {
  declare readonly code: EventLogErrorCode;
  constructor(code: EventLogErrorCode, message: string) {
    super(message, code);
    this.name = 'EventLogError';
  }
}

export class RunsFailedError extends BenchError {
  constructor(message: string) {
    super('RUNS_FAILED', message, 1);
    this.name = 'RunsFailedError';
  }
}

export class ChecksumMismatchError extends BenchError {
  constructor(message: string) {
    super('CHECKSUM_MISMATCH', message, 3);
    this.name = 'ChecksumMismatchError';
  }
}
