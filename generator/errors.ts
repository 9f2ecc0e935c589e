// Named errors with stable codes. Command logic throws them; cli.ts's one handler turns them into a one-line
// message and an exit code. Anything else is a bug and exits 1 with its stack.

export class GenError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'GenError';
  }
}

/** Bad arguments or an output folder we must not touch: exit 2, nothing written. */
export class UsageError extends GenError {
  constructor(code: string, message: string) {
    super(code, message, 2);
    this.name = 'UsageError';
  }
}

/** A failure while generating or writing (disk full, worker crash): exit 1, complete files stay, resumable. */
export class GenerationError extends GenError {
  constructor(code: string, message: string) {
    super(code, message, 1);
    this.name = 'GenerationError';
  }
}
