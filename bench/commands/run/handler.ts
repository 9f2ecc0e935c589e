import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ChecksumMismatchError, InputError, RunsFailedError, UsageError } from '../../lib/errors.ts';
import { loadGridFile, runsJob } from '../../harness/grid/expand.ts';
import { engineOf } from '../../harness/grid/schema.ts';
import { cometJar } from '../../harness/run/engine.ts';
import { DEFAULT_PYTHON, DEFAULT_SPARK_SUBMIT, REPO_ROOT, RESULTS_DIR } from '../../lib/paths.ts';
import { formatDifferences } from '../../harness/run/checksum.ts';
import { DEFAULT_JOBS, jobScript } from '../../harness/run/jobs.ts';
import { manifestHash } from '../../harness/run/provenance.ts';
import { runGrid } from '../../harness/run/runner.ts';
import { isS3Url, openS3Data, s3aLaunch } from '../../harness/run/s3-input.ts';
import type { JobName } from '../../harness/run/jobs.ts';

export interface RunOptions {
  readonly configs: string;
  readonly data: string;
  readonly endpoint?: string;
  /** Undefined: the grid's "jobs", else pre,post. */
  readonly jobs?: readonly JobName[];
  readonly repeat: number;
  readonly master?: string;
  readonly out?: string;
  readonly jobsDir: string;
  readonly sparkSubmit?: string;
  readonly keepOutputs: boolean;
  readonly allowFailures: boolean;
  readonly runTimeout: number;
}

function defaultRunId(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export async function handler(options: RunOptions): Promise<number> {
  // Everything is checked before the first spark-submit: a typo must not cost a 20-minute grid.
  const { points, jobs: gridJobs, grid } = await loadGridFile(options.configs);
  const jobs = options.jobs ?? gridJobs ?? DEFAULT_JOBS;
  const s3 = isS3Url(options.data) ? await openS3Data({ url: options.data, ...(options.endpoint !== undefined && { endpoint: options.endpoint }) }) : undefined;
  if (s3 === undefined && options.endpoint !== undefined) throw new UsageError('--endpoint is for --data s3a://…; a local --data folder needs none');
  const dataDir = s3?.sparkUrl ?? resolve(options.data);
  if (s3 === undefined) {
    for (const sub of ['interactions', 'metadata']) {
      if (!existsSync(join(dataDir, sub)))
        throw new InputError(`--data ${options.data}: no ${sub}/ folder (write a dataset with: node bin/gen.js --out ${options.data})`);
    }
  }
  const jobsDir = resolve(options.jobsDir);
  for (const job of jobs) {
    if (!existsSync(join(jobsDir, jobScript(job)))) throw new InputError(`--jobs-dir ${options.jobsDir}: ${jobScript(job)} not found (job ${job})`);
  }
  const sparkSubmit = options.sparkSubmit ?? DEFAULT_SPARK_SUBMIT;
  if (!existsSync(sparkSubmit)) throw new InputError(`spark-submit not found at ${sparkSubmit}: run npm run setup`);
  if (options.master !== undefined && !/^(local(\[(\d+|\*)\])?|spark:\/\/[\w.-]+:\d+)$/.test(options.master)) {
    throw new UsageError(`--master: expected local, local[N], local[*] or spark://HOST:PORT; got "${options.master}"`);
  }
  const input = s3 !== undefined ? s3aLaunch({ data: s3, master: options.master, repoRoot: REPO_ROOT }) : undefined;
  // Comet is never required: only a grid that names it looks for its jar (and says how to fetch it when missing).
  const comet = points.some((p) => engineOf(p.config) === 'comet') ? cometJar(REPO_ROOT) : undefined;
  const runDir = resolve(options.out ?? join(RESULTS_DIR, defaultRunId()));
  if (existsSync(join(runDir, 'runs.jsonl'))) throw new UsageError(`--out ${runDir}: already holds a run; choose another folder`);

  const n = points.reduce((sum, p) => sum + jobs.filter((j) => runsJob(p, j)).length, 0) * options.repeat;
  process.stderr.write(`bench run: ${points.length} configurations × ${jobs.join(',')} × ${options.repeat} = ${n} runs → ${runDir}\n`);
  const result = await runGrid({
    points,
    gridFile: options.configs,
    grid,
    dataDir,
    ...(s3 !== undefined && { manifestSha256: manifestHash(s3.manifest) }),
    ...(input !== undefined && { input }),
    ...(comet !== undefined && { cometJar: comet }),
    jobs,
    repeat: options.repeat,
    master: options.master,
    runDir,
    jobsDir,
    sparkSubmit,
    python: DEFAULT_PYTHON,
    repoRoot: REPO_ROOT,
    keepOutputs: options.keepOutputs,
    ...(options.runTimeout > 0 && { runTimeoutMs: options.runTimeout * 1000 }),
    progress: (line) => process.stderr.write(`bench run: ${line}\n`),
  });

  const failed = result.records.filter((r) => r.state === 'failed');
  const completed = result.records.length - failed.length;
  process.stdout.write(`${result.runDir}\n  runs.jsonl, summary.csv, eventlogs/, logs/ — ${completed} completed, ${failed.length} failed\n`);
  if (result.differences.length > 0) {
    throw new ChecksumMismatchError(
      `output tables differ between runs (${result.differences.map((d) => d.table).join(', ')}):\n${formatDifferences(result.differences)}`,
    );
  }
  if (failed.length > 0 && !options.allowFailures) {
    throw new RunsFailedError(
      `${failed.length} of ${result.records.length} runs failed (recorded in ${join(result.runDir, 'runs.jsonl')}): ${failed.map((r) => `${r.key} ${r.error.kind}`).join(', ')}`,
    );
  }
  return 0;
}
