// One `gen` run: plan, check the output folder against earlier runs, write this shard's missing files, keep the
// shard manifest current, and assemble the final manifest when every shard is done.

import type { Worker } from 'node:worker_threads';
import { UsageError } from './errors.ts';
import { MANIFEST_KEY, assembleManifest, completeShardRecords, inProgressManifest, sameArgs, shardManifestKey, type ShardManifest } from './manifest.ts';
import { countryBounds, countryUserCount, type Plan } from './model.ts';
import { abortStaleUploads, isS3Url, openSink } from './open-sink.ts';
import type { GenOptions, RunOptions } from './options.ts';
import { buildPlan, withMeasuredBehaviour } from './plan.ts';
import { runPool, sampleOnThread, startWorkers } from './pool.ts';
import { createProgress } from './progress.ts';
import type { Sink } from './sink.ts';
import { removeStaleTempFiles } from './sinks/local.ts';
import { allTasks, shardTasks, type FileRecord } from './tasks.ts';

export interface RunResult {
  readonly plan: Plan;
  readonly written: number;
  readonly skipped: number;
  /** True when this run assembled the complete `_manifest.json`. */
  readonly manifestComplete: boolean;
}

async function checkOutput(sink: Sink, args: GenOptions, run: RunOptions): Promise<void> {
  const existingText = await sink.readText(MANIFEST_KEY).catch(() => undefined);
  if (run.overwrite) {
    const remove = (sink as Partial<{ removePrefix(p: string): Promise<void> }>).removePrefix;
    if (!remove) throw new UsageError('overwrite_unsupported', `--overwrite is not supported for ${sink.url}: clear it first`);
    await remove.call(sink, '');
    return;
  }
  if (existingText !== undefined) {
    let existing: { args?: GenOptions };
    try {
      existing = JSON.parse(existingText) as { args?: GenOptions };
    } catch {
      throw new UsageError('bad_manifest', `${sink.url}/${MANIFEST_KEY} is not valid JSON: pass --overwrite to replace it`);
    }
    if (!existing.args || !sameArgs(existing.args, args))
      throw new UsageError('other_args', `${sink.url} holds data generated with other arguments: pass --overwrite, or use another --out`);
    return;
  }
  // Shards started together may already have written the in-progress manifest: that is not foreign data.
  const keys = (await sink.list('')).filter((k) => !k.startsWith('_manifest'));
  if (keys.length > 0) throw new UsageError('not_empty', `${sink.url} is not empty and has no ${MANIFEST_KEY}: pass --overwrite, or use another --out`);
}

export async function runGenerate(args: GenOptions, run: RunOptions): Promise<RunResult> {
  // Worker threads load while the main thread plans; they write nothing until they get tasks.
  const threads = run.workers > 1 ? startWorkers(run.workers, run.out, run.endpoint) : [];
  try {
    return await generate(args, run, threads);
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

async function generate(args: GenOptions, run: RunOptions, threads: readonly Worker[]): Promise<RunResult> {
  // Before touching the output: plan errors leave nothing behind. The worker threads share the planner's user
  // sample while they wait for the plan.
  let plan = await buildPlan(args, { measure: false, helpers: threads.map(sampleOnThread) });
  let sink: Sink;
  try {
    sink = await openSink(run.out, run.endpoint);
    await checkOutput(sink, args, run);
    await sink.writeText(MANIFEST_KEY, inProgressManifest(args));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST'].includes(err.code ?? ''))
      throw new UsageError('unwritable_out', `--out ${run.out} is not writable (${err.code})`);
    throw e;
  }

  const tasks = shardTasks(allTasks(plan), run.shards, run.shard);
  const shardKey = shardManifestKey(run.shard, run.shards);
  const previous = await sink.readText(shardKey);
  const done = new Map<string, FileRecord>();
  if (previous !== undefined) {
    const m = JSON.parse(previous) as ShardManifest;
    if (sameArgs(m.args, args)) for (const r of m.files) done.set(r.key, r);
  }
  const todo = [];
  for (const t of tasks) {
    const r = done.get(t.key);
    const st = r ? await sink.stat(t.key) : undefined;
    if (r && st && st.bytes === r.bytes) continue;
    done.delete(t.key);
    todo.push(t);
  }
  const ownKeys = new Set(tasks.map((t) => t.key));
  // A killed run leaves temp files (folder) or open multipart uploads (S3, generator/sinks/README.md): clear this
  // shard's own, never another shard's that may be writing into the same place right now. Its own include its
  // shard manifest (rewritten after every file, so a kill often lands inside that write) and, unsharded, the
  // manifest itself.
  ownKeys.add(shardKey);
  if (run.shards === 1) ownKeys.add(MANIFEST_KEY);
  if (isS3Url(run.out)) await abortStaleUploads(sink, (k) => ownKeys.has(k));
  else await removeStaleTempFiles(run.out, (k) => ownKeys.has(k));

  const writeShard = (): Promise<void> => {
    const m: ShardManifest = {
      args,
      shard: run.shard,
      shards: run.shards,
      expectedFiles: tasks.length,
      files: [...done.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
    };
    return sink.writeText(shardKey, `${JSON.stringify(m)}\n`);
  };
  const bounds = countryBounds();
  const expectedRows = todo.reduce(
    (sum, t) =>
      sum +
      (t.dataset === 'interactions'
        ? plan.calibration.expectedInteractionRows / (plan.options.days * plan.filesPerDay)
        : countryUserCount(bounds, t.country, plan.users) / plan.countryFiles[t.country]!),
    0,
  );
  const progress = createProgress({ mode: run.progress, expectedRows, totalFiles: todo.length });
  let chain = Promise.resolve();
  const pool = runPool({
    plan,
    threads,
    out: run.out,
    endpoint: run.endpoint,
    workers: run.workers,
    tasks: todo,
    onRows: (rows) => progress.addRows(rows),
    onRecord: (record) => {
      done.set(record.key, record);
      progress.fileDone(record.bytes);
      chain = chain.then(writeShard); // serialised: two writes of the shard manifest never interleave
      return chain;
    },
  });
  // The behaviour metrics for the manifest, measured here while the workers start and generate (main thread idle).
  plan = withMeasuredBehaviour(plan);
  await pool;
  await chain;
  await writeShard();
  progress.finish();

  const records = await completeShardRecords(sink, args, run.shards);
  if (records) await sink.writeText(MANIFEST_KEY, `${JSON.stringify(assembleManifest(plan, records), null, 2)}\n`);
  return { plan, written: todo.length, skipped: tasks.length - todo.length, manifestComplete: records !== undefined };
}
