// Errors users see. Each has a stable code; the one top-level handler in cli.ts turns it into a one-line message and
// an exit code. Command logic throws these and never calls process.exit().

export type BenchErrorCode =
  | 'USAGE' // bad flags or a bad grid file: the user must change what they typed
  | 'INPUT' // a file or folder the command needs is missing or unreadable
  | 'RUNS_FAILED' // one or more Spark runs failed (recorded, the grid went on)
  | 'CHECKSUM_MISMATCH' // two runs disagree on an output table
  | 'INTERNAL';

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

export class InputError extends BenchError {
  constructor(message: string) {
    super('INPUT', message, 2);
    this.name = 'InputError';
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
