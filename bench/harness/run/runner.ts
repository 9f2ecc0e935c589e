// `bench run`: every (repeat, configuration, job) in turn, one spark-submit each; a failed run is recorded and the
// grid goes on. Writes results/RUN_ID/{run.json, runs.jsonl, summary.csv}, event logs and spark-submit logs beside.
// Repeats are the outer loop so that slow drift of the machine spreads over all configurations instead of one.
import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { type GridPoint, runsJob } from '../grid/expand.ts';
import { engineOf } from '../grid/schema.ts';
import { duration } from '../../lib/format.ts';
import { buildLaunch } from './launch.ts';
import { checksumTables, diffChecksums, type ChecksumDifference, type TableChecksum } from './checksum.ts';
import { findEventLog, stageMetrics, summarize, totalsOf } from './metrics.ts';
import { jobScript } from './jobs.ts';
import { gitCommit, manifestSha256, sparkVersionNear } from './provenance.ts';
import type { InputLaunch } from './s3-input.ts';
import { classifyFailure, runSparkSubmit } from './spawn.ts';
import { summaryCsv } from './summary.ts';
import type { JobName, RunMeta, RunRecord, StageMetrics, RunTotals } from './types.ts';

export interface RunGridOptions {
  readonly points: readonly GridPoint[];
  readonly gridFile: string;
  readonly grid: unknown;
  /** A local folder, or an s3a:// URL (then give manifestSha256 and input). */
  readonly dataDir: string;
  /** The manifest's hash when the caller read it (S3); default: read <dataDir>/_manifest.json. */
  readonly manifestSha256?: string | null;
  /** spark-submit additions for reading the input (s3a). */
  readonly input?: InputLaunch;
  /** The Comet jar (engine.ts cometJar), when a configuration's engine is comet. */
  readonly cometJar?: string;
  readonly jobs: readonly JobName[];
  readonly repeat: number;
  readonly master: string | undefined;
  readonly runDir: string;
  readonly jobsDir: string;
  readonly sparkSubmit: string;
  readonly python: string;
  readonly repoRoot: string;
  /** Keep each run's output tables (default: delete them once checksummed). */
  readonly keepOutputs?: boolean;
  /** Kill a run after this many milliseconds and record it as failed (kind "killed"); undefined: no limit. */
  readonly runTimeoutMs?: number;
  /** Progress lines (stderr in the CLI). */
  readonly progress?: (line: string) => void;
}

export interface RunGridResult {
  readonly runDir: string;
  readonly records: readonly RunRecord[];
  readonly differences: readonly ChecksumDifference[];
}

/**
 * Runs whose output tables must agree. Approximate counts (postJob.approx) are compared with each other only: they are
 * not meant to equal exact ones. The floor job computes other tables than pre and post: its runs agree with each other.
 */
function comparisonClass(record: RunRecord): string {
  if (record.job === 'floor') return 'floor';
  return record.job === 'post' && record.config.postJob.approx === true ? 'approx' : 'exact';
}

export async function runGrid(options: RunGridOptions): Promise<RunGridResult> {
  const progress = options.progress ?? (() => {});
  const runDir = resolve(options.runDir);
  const dataDir = /^s3a?:\/\//.test(options.dataDir) ? options.dataDir : resolve(options.dataDir);
  await mkdir(join(runDir, 'eventlogs'), { recursive: true });
  await mkdir(join(runDir, 'logs'), { recursive: true });
  await mkdir(join(runDir, 'outputs'), { recursive: true });

  const [commit, manifest, sparkVersion] = await Promise.all([
    gitCommit(options.repoRoot),
    options.manifestSha256 !== undefined ? options.manifestSha256 : manifestSha256(dataDir),
    sparkVersionNear(options.sparkSubmit),
  ]);
  const meta: RunMeta = {
    runId: basename(runDir),
    createdAt: new Date().toISOString(),
    gridFile: options.gridFile,
    grid: options.grid,
    jobs: options.jobs,
    repeat: options.repeat,
    master: options.master ?? 'local',
    dataDir,
    manifestSha256: manifest,
    gitCommit: commit,
    sparkVersion,
    host: { cpus: cpus().length, memoryBytes: totalmem(), platform: `${process.platform}-${process.arch}` },
  };
  await writeFile(join(runDir, 'run.json'), `${JSON.stringify(meta, null, 2)}\n`);
  const runsPath = join(runDir, 'runs.jsonl');
  await writeFile(runsPath, '');

  const plan: { point: GridPoint; job: JobName; repeat: number }[] = [];
  for (let repeat = 1; repeat <= options.repeat; repeat++) {
    for (const point of options.points) {
      for (const job of options.jobs) if (runsJob(point, job)) plan.push({ point, job, repeat });
    }
  }

  const env = { ...process.env, PYSPARK_PYTHON: options.python, PYSPARK_DRIVER_PYTHON: options.python, SPARK_LOCAL_IP: '127.0.0.1' };
  const records: RunRecord[] = [];
  const started = Date.now();
  for (const [i, { point, job, repeat }] of plan.entries()) {
    const key = `${point.id}-${job}-r${repeat}`;
    const elapsed = Date.now() - started;
    const eta = i === 0 ? '?' : duration((elapsed / i) * (plan.length - i));
    progress(`run ${i + 1}/${plan.length} ${key} [${point.label}] · elapsed ${duration(elapsed)} · ETA ${eta}`);

    const eventLogDir = join(runDir, 'eventlogs', key);
    const outDir = join(runDir, 'outputs', key);
    const logPath = join(runDir, 'logs', `${key}.log`);
    await rm(eventLogDir, { recursive: true, force: true });
    await rm(outDir, { recursive: true, force: true });
    await mkdir(eventLogDir, { recursive: true });
    const launch = buildLaunch({
      config: point.config,
      job,
      master: options.master,
      jobScript: join(resolve(options.jobsDir), jobScript(job)),
      dataDir,
      ...(options.input !== undefined && { input: options.input }),
      ...(options.cometJar !== undefined && { cometJar: options.cometJar }),
      outDir,
      eventLogDir,
      python: options.python,
    });
    const startedAt = new Date().toISOString();
    const result = await runSparkSubmit({
      sparkSubmit: options.sparkSubmit,
      args: launch.sparkSubmitArgs,
      logPath,
      env,
      ...(options.runTimeoutMs !== undefined && { timeoutMs: options.runTimeoutMs }),
    });

    const eventLogPath = await findEventLog(eventLogDir);
    let stages: StageMetrics[] = [];
    let executors: { id: string; host: string; cores: number }[] = [];
    let totals: RunTotals | null = null;
    let eventLogError: string | undefined;
    let appSparkVersion = sparkVersion;
    if (eventLogPath !== null) {
      try {
        const summary = await summarize(eventLogPath);
        stages = stageMetrics(summary);
        totals = totalsOf(stages);
        executors = summary.executors.map((e) => ({ id: e.executorId, host: e.host, cores: e.cores }));
        if (summary.sparkVersion) appSparkVersion = summary.sparkVersion;
      } catch (error) {
        eventLogError = `event log not summarized: ${(error as Error).message.split('\n')[0]}`;
      }
    } else {
      eventLogError = 'Spark wrote no event log';
    }
    const base = {
      key,
      index: i + 1,
      job,
      configId: point.id,
      configLabel: point.label,
      gridValues: point.values,
      config: point.config,
      engine: engineOf(point.config),
      repeat,
      launch,
      sparkVersion: appSparkVersion,
      gitCommit: commit,
      manifestSha256: manifest,
      dataDir,
      startedAt,
      wallTimeMs: result.wallTimeMs,
      exitCode: result.exitCode,
      eventLog: eventLogPath === null ? null : relative(runDir, eventLogPath),
      log: relative(runDir, logPath),
      executors,
      stages,
      totals,
      ...(eventLogError !== undefined && { eventLogError }),
    };
    let record: RunRecord;
    if (result.exitCode === 0 && !result.timedOut) {
      try {
        const checksums: Record<string, TableChecksum> = await checksumTables(outDir);
        record = { ...base, state: 'completed', checksums };
      } catch (error) {
        record = { ...base, state: 'failed', error: { kind: 'checksum', message: `output not readable: ${(error as Error).message.split('\n')[0]}` } };
      }
    } else {
      record = { ...base, state: 'failed', error: await classifyFailure(logPath, result) };
    }
    if (!options.keepOutputs) await rm(outDir, { recursive: true, force: true });
    records.push(record);
    await appendFile(runsPath, `${JSON.stringify(record)}\n`);
    await writeFile(join(runDir, 'summary.csv'), summaryCsv(records));
    progress(
      record.state === 'completed'
        ? `  ${key} completed in ${duration(record.wallTimeMs)}`
        : `  ${key} FAILED (${record.error.kind}) after ${duration(record.wallTimeMs)}: ${record.error.message}`,
    );
  }
  if (!options.keepOutputs) await rm(join(runDir, 'outputs'), { recursive: true, force: true });

  const differences: ChecksumDifference[] = [];
  for (const cls of ['exact', 'approx', 'floor']) {
    const byKey = new Map<string, Readonly<Record<string, TableChecksum>>>();
    for (const r of records) if (r.state === 'completed' && comparisonClass(r) === cls) byKey.set(r.key, r.checksums);
    differences.push(...diffChecksums(byKey));
  }
  await writeFile(join(runDir, 'checksums.json'), `${JSON.stringify({ differences }, null, 2)}\n`);
  return { runDir, records, differences };
}
