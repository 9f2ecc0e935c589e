// Runs one spark-submit, its stdout and stderr into one log file, and times the process alone.
import { spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';

export interface SubmitResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly wallTimeMs: number;
}

export async function runSparkSubmit(sparkSubmit: string, args: readonly string[], logPath: string, env: NodeJS.ProcessEnv): Promise<SubmitResult> {
  const log = await open(logPath, 'w');
  try {
    const started = process.hrtime.bigint();
    const child = spawn(sparkSubmit, [...args], { stdio: ['ignore', log.fd, log.fd], env });
    const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, sig) => resolve([code, sig]));
    });
    return { exitCode, signal, wallTimeMs: Number((process.hrtime.bigint() - started) / 1_000_000n) };
  } finally {
    await log.close();
  }
}

/** The kind and a one-line message of a failed run, read from its log. */
export async function classifyFailure(logPath: string, result: SubmitResult): Promise<{ kind: 'oom' | 'exception' | 'killed'; message: string }> {
  const text = await readFile(logPath, 'utf8').catch(() => '');
  const lines = text.split('\n');
  const oom = lines.find((l) => l.includes('java.lang.OutOfMemoryError'));
  if (oom !== undefined) return { kind: 'oom', message: oom.trim().slice(0, 300) };
  if (result.signal !== null) return { kind: 'killed', message: `spark-submit killed by ${result.signal}` };
  // The last "SomethingError: message" or "SomethingException: message" line is usually the cause (Python raises last).
  const errorLines = lines.filter((l) => /\b[\w.]*(Error|Exception)\b:?/.test(l) && !/^\s+at /.test(l));
  const last = errorLines.at(-1)?.trim();
  return { kind: 'exception', message: (last ?? `spark-submit exited with code ${result.exitCode}`).slice(0, 300) };
}
