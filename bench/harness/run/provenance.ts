// Where a run came from: git commit, Spark version, the dataset manifest's hash.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** HEAD's commit, with "-dirty" when the tree has uncommitted changes to tracked files; "unknown" outside git. */
export async function gitCommit(cwd: string): Promise<string> {
  try {
    const { stdout: head } = await exec('git', ['rev-parse', 'HEAD'], { cwd });
    const { stdout: status } = await exec('git', ['status', '--porcelain', '--untracked-files=no'], { cwd });
    return head.trim() + (status.trim() === '' ? '' : '-dirty');
  } catch {
    return 'unknown';
  }
}

/** The manifest's hash as run.json records it: the same bytes give the same hash wherever they were read from. */
export function manifestHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 of <data>/_manifest.json, or null when the dataset has no manifest (data not written by `gen`). */
export async function manifestSha256(dataDir: string): Promise<string | null> {
  try {
    return manifestHash(await readFile(join(dataDir, '_manifest.json')));
  } catch {
    return null;
  }
}

/**
 * The Spark version of the pyspark install next to spark-submit, read from pyspark/version.py: starting a JVM just to
 * print a version costs seconds. The event log's own version is recorded per run as well.
 */
export async function sparkVersionNear(sparkSubmit: string): Promise<string> {
  const venv = dirname(dirname(sparkSubmit));
  try {
    for (const py of await readdir(join(venv, 'lib'))) {
      const text = await readFile(join(venv, 'lib', py, 'site-packages', 'pyspark', 'version.py'), 'utf8').catch(() => '');
      const match = /__version__[^=]*=\s*["']([^"']+)["']/.exec(text);
      if (match?.[1] !== undefined) return match[1];
    }
  } catch {
    // fall through
  }
  return 'unknown';
}
