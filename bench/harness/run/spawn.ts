// Runs one spark-submit, its stdout and stderr into one log file, and times the process alone.
// spark-submit runs in its own process group (the JVM and the Python driver under it), so that a timeout, Ctrl-C or
// the harness being killed takes the whole group down: a run must never outlive the harness that started it.
import { spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';

export interface SubmitResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly wallTimeMs: number;
  readonly timedOut: boolean;
}

export interface SubmitOptions {
  readonly sparkSubmit: string;
  readonly args: readonly string[];
  readonly logPath: string;
  readonly env: NodeJS.ProcessEnv;
  /** Kill the run after this many milliseconds; 0 or undefined: no limit. */
  readonly timeoutMs?: number;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export async function runSparkSubmit(options: SubmitOptions): Promise<SubmitResult> {
  const log = await open(options.logPath, 'w');
  const started = process.hrtime.bigint();
  const child = spawn(options.sparkSubmit, [...options.args], { stdio: ['ignore', log.fd, log.fd], env: options.env, detached: true });
  const onExit = () => killGroup(child.pid, 'SIGKILL');
  const onSignal = (signal: NodeJS.Signals) => {
    killGroup(child.pid, 'SIGKILL');
    process.off(signal, onSignal);
    process.kill(process.pid, signal); // then die of the same signal, as if we had no handler
  };
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let timedOut = false;
  const timer =
    options.timeoutMs !== undefined && options.timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          killGroup(child.pid, 'SIGKILL');
        }, options.timeoutMs)
      : undefined;
  try {
    const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, sig) => resolve([code, sig]));
    });
    // The Python driver may linger a moment after the JVM: clear the group before the next run starts.
    killGroup(child.pid, 'SIGKILL');
    return { exitCode, signal, wallTimeMs: Number((process.hrtime.bigint() - started) / 1_000_000n), timedOut };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await log.close();
  }
}

/** The kind and a one-line message of a failed run, read from its log. */
export async function classifyFailure(logPath: string, result: SubmitResult): Promise<{ kind: 'oom' | 'exception' | 'killed'; message: string }> {
  const text = await readFile(logPath, 'utf8').catch(() => '');
  const lines = text.split('\n');
  const oom = lines.find((l) => l.includes('java.lang.OutOfMemoryError'));
  if (oom !== undefined) return { kind: 'oom', message: oom.trim().slice(0, 300) };
  if (result.timedOut) return { kind: 'killed', message: `killed after the --run-timeout of ${Math.round(result.wallTimeMs / 1000)} s` };
  if (result.signal !== null) return { kind: 'killed', message: `spark-submit killed by ${result.signal}` };
  // The last "SomethingError: message" or "SomethingException: message" line is usually the cause (Python raises last).
  const errorLines = lines.filter((l) => /\b[\w.]*(Error|Exception)\b:?/.test(l) && !/^\s+at /.test(l));
  const last = errorLines.at(-1)?.trim();
  return { kind: 'exception', message: (last ?? `spark-submit exited with code ${result.exitCode}`).slice(0, 300) };
}
