// Where things are, relative to the repository (this file lives in bench/lib/).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_SPARK_SUBMIT = join(REPO_ROOT, '.venv', 'bin', 'spark-submit');
export const DEFAULT_PYTHON = join(REPO_ROOT, '.venv', 'bin', 'python');
export const RESULTS_DIR = join(REPO_ROOT, 'results');

/** A run given as a folder path, or as an id under results/. */
export function resolveRunDir(run: string): string {
  if (existsSync(join(run, 'runs.jsonl'))) return resolve(run);
  return join(RESULTS_DIR, run);
}
