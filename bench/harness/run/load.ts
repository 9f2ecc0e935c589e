// Reads a run folder back: run.json and runs.jsonl. Used by compare and report.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../lib/errors.ts';
import type { RunMeta, RunRecord } from './types.ts';

export interface LoadedRun {
  readonly dir: string;
  readonly meta: RunMeta;
  readonly records: readonly RunRecord[];
}

export async function loadRun(dir: string): Promise<LoadedRun> {
  let metaText: string;
  let runsText: string;
  try {
    [metaText, runsText] = await Promise.all([readFile(join(dir, 'run.json'), 'utf8'), readFile(join(dir, 'runs.jsonl'), 'utf8')]);
  } catch {
    throw new InputError(`${dir}: not a bench run folder (run.json and runs.jsonl expected)`);
  }
  const records = runsText
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as RunRecord;
      } catch {
        throw new InputError(`${dir}/runs.jsonl line ${i + 1}: not JSON`);
      }
    });
  return { dir, meta: JSON.parse(metaText) as RunMeta, records };
}
