// `gen`: the command line. Arguments are described once, as data, and validated where they enter; `parseArgs`
// is exported so tests parse strings without running anything. `main` is the one place that turns named errors
// into a one-line message and an exit code (2 for usage errors); command logic never calls process.exit.

import { availableParallelism } from 'node:os';
import yargs from 'yargs';
import { PROFILE_NAMES, type ProfileName } from './behaviour.ts';
import { epochDayOf, isoDateOf } from './calendar.ts';
import { GenError, UsageError } from './errors.ts';
import { DEFAULT_SEED, type GenOptions, type RunOptions } from './options.ts';
import { parseBytes, formatBytes } from './units.ts';

export type ParsedArgs = { readonly kind: 'help'; readonly text: string } | { readonly kind: 'run'; readonly gen: GenOptions; readonly run: RunOptions };

/**
 * Cores, at most 3: a worker holds an open row group (up to 128 MB) plus its batches, about 250 MB measured, so
 * three keep peak RSS under 1 GiB at any scale. Row groups cannot shrink with more workers instead: the files
 * must not depend on the worker count.
 */
const DEFAULT_WORKERS = Math.min(3, availableParallelism());

function yesterdayUtc(): string {
  return isoDateOf(Math.floor(Date.now() / 86_400_000) - 1);
}

function builder(argv: string[]) {
  return yargs(argv)
    .scriptName('gen')
    .help(false) // our own --help flag (below): yargs' would print and exit by itself
    .version(false)
    .usage('gen --scale 64mb --out DIR [options]\n\nWrites the interactions and metadata datasets as Hive-partitioned Parquet, with a manifest of truths.')
    .options({
      scale: { type: 'string', describe: 'bytes of interactions on disk (kb mb gb tb, powers of 1024), ±5 %', requiresArg: true },
      'metadata-scale': {
        type: 'string',
        describe: 'bytes of metadata on disk: fixes the user count, and with it how active users must be [default: follows from --profile]',
        requiresArg: true,
      },
      users: {
        type: 'number',
        describe: 'users in metadata (one row each); activity scales to fill --scale [default: follows from --profile]',
        requiresArg: true,
      },
      profile: {
        type: 'string',
        default: 'note-taking',
        describe: `behaviour profile: ${PROFILE_NAMES.join(' (SaaS-like) | ')} (heavier, consumer-like)`,
        requiresArg: true,
      },
      days: { type: 'number', default: 365, describe: 'days in the window', requiresArg: true },
      end: { type: 'string', describe: 'last day of the window, YYYY-MM-DD UTC [default: yesterday]', requiresArg: true },
      seed: { type: 'number', default: DEFAULT_SEED, describe: 'seed: same arguments, same bytes', requiresArg: true },
      'file-size': { type: 'string', default: '256mb', describe: 'target size of one file', requiresArg: true },
      skew: { type: 'number', default: 1.2, describe: 'Zipf exponent of sessions over users; 0 = uniform', requiresArg: true },
      bots: { type: 'number', default: 5, describe: 'bot-like users with extreme event counts', requiresArg: true },
      'bad-rows': { type: 'number', default: 0, describe: 'fraction of interaction rows that are bad in a known way', requiresArg: true },
      'orphan-share': { type: 'number', default: 0.005, describe: 'fraction of random sessions by users absent from metadata', requiresArg: true },
      'silent-users': { type: 'number', default: 0.02, describe: 'fraction of metadata users with no events', requiresArg: true },
      out: { type: 'string', describe: 'output folder, or s3://bucket/prefix', requiresArg: true },
      endpoint: { type: 'string', describe: 'S3 endpoint URL (MinIO and the like)', requiresArg: true },
      shards: { type: 'number', default: 1, describe: 'split the files over K machines', requiresArg: true },
      shard: { type: 'number', default: 0, describe: 'which shard this run writes, 0 .. K-1', requiresArg: true },
      workers: {
        type: 'number',
        default: DEFAULT_WORKERS,
        describe: 'worker threads (each holds up to one 128 MB row group: about 250 MB of memory)',
        requiresArg: true,
      },
      overwrite: { type: 'boolean', default: false, describe: 'replace what --out holds from other arguments' },
      progress: { choices: ['auto', 'lines', 'none'] as const, default: 'auto' as const, describe: 'progress on stderr' },
      help: { type: 'boolean', default: false, describe: 'show this help' },
    })
    .strict()
    .exitProcess(false)
    .wrap(110)
    .fail((msg, err) => {
      throw err instanceof GenError ? err : new UsageError('bad_args', msg ?? err?.message ?? 'bad arguments');
    });
}

function numberIn(name: string, v: number, lo: number, hi: number, integer = false): number {
  if (!Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v)))
    throw new UsageError('bad_value', `--${name} ${v}: expected ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}]`);
  return v;
}

export async function parseArgs(argv: string[]): Promise<ParsedArgs> {
  const y = builder(argv);
  const a = await y.parseAsync();
  if (a.help) return { kind: 'help', text: await y.getHelp() };
  if (a._.length > 0) throw new UsageError('bad_args', `unexpected argument: ${a._.join(' ')}`);
  if (a.scale === undefined) throw new UsageError('missing_scale', '--scale is required (e.g. --scale 64mb)');
  if (a.out === undefined || a.out === '') throw new UsageError('missing_out', '--out is required (a folder or s3://bucket/prefix)');
  const scaleBytes = parseBytes(a.scale, 'scale');
  if (a['metadata-scale'] !== undefined && a.users !== undefined)
    throw new UsageError('users_and_metadata', '--users and --metadata-scale both fix the user count: pass one of them');
  const metadataBytes = a['metadata-scale'] === undefined ? 0 : parseBytes(a['metadata-scale'], 'metadata-scale');
  const users = a.users === undefined ? 0 : numberIn('users', a.users, 1000, 2 ** 31 - 1, true);
  if (!(PROFILE_NAMES as readonly string[]).includes(a.profile))
    throw new UsageError('bad_profile', `--profile ${a.profile}: expected one of ${PROFILE_NAMES.join(', ')}`);
  const end = a.end ?? yesterdayUtc();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(end) || !Number.isFinite(epochDayOf(end)) || isoDateOf(epochDayOf(end)) !== end)
    throw new UsageError('bad_end', `--end ${end}: expected a date YYYY-MM-DD`);
  const shards = numberIn('shards', a.shards, 1, 1_000_000, true);
  const shard = a.shard;
  if (!Number.isInteger(shard) || shard < 0 || shard >= shards)
    throw new UsageError('bad_shard', `--shard ${shard}: must be an integer in [0, ${shards - 1}] for --shards ${shards}`);
  if (a.overwrite && shards > 1)
    throw new UsageError('overwrite_shards', "--overwrite cannot be combined with --shards > 1 (shards would delete each other's files): clear --out first");
  const fileSizeBytes = parseBytes(a['file-size'], 'file-size');
  if (fileSizeBytes < 1024 ** 2)
    throw new UsageError('bad_file_size', `--file-size ${a['file-size']}: at least 1mb (smaller files only make a swarm Spark reads slowly)`);
  const gen: GenOptions = {
    scaleBytes,
    metadataBytes,
    users,
    profile: a.profile as ProfileName,
    days: numberIn('days', a.days, 1, 3650, true),
    end,
    seed: numberIn('seed', a.seed, -(2 ** 31), 2 ** 31 - 1, true),
    fileSizeBytes,
    skew: numberIn('skew', a.skew, 0, 10),
    bots: numberIn('bots', a.bots, 0, 50, true),
    badRows: numberIn('bad-rows', a['bad-rows'], 0, 0.5),
    orphanShare: numberIn('orphan-share', a['orphan-share'], 0, 0.5),
    silentUsers: numberIn('silent-users', a['silent-users'], 0, 0.9),
  };
  const run: RunOptions = {
    out: a.out,
    endpoint: a.endpoint,
    shards,
    shard,
    workers: numberIn('workers', a.workers, 1, 256, true),
    overwrite: a.overwrite,
    progress: a.progress,
  };
  return { kind: 'run', gen, run };
}

export async function main(argv: string[]): Promise<number> {
  try {
    const parsed = await parseArgs(argv);
    if (parsed.kind === 'help') {
      process.stdout.write(`${parsed.text}\n`);
      return 0;
    }
    const { runGenerate } = await import('./run.ts'); // heavy modules load only when there is work to do
    const t0 = performance.now();
    const result = await runGenerate(parsed.gen, parsed.run);
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    const b = result.plan.behaviour;
    if (b.activityScale !== 1) {
      const fixedBy = parsed.gen.users > 0 ? '--users' : '--metadata-scale';
      const mm = b.measured;
      process.stderr.write(
        `gen: ${fixedBy} gives ${result.plan.users} users where the ${b.profile} profile needs ${b.profileUsers} for this --scale: ` +
          `each user is ${b.activityScale.toPrecision(3)}x as active as the profile` +
          (mm ? ` (stickiness ${mm.stickiness}, median ${mm.medianActiveDays} active days a month, ${mm.sessionsPerUserDay} sessions per active day)\n` : '\n'),
      );
    }
    process.stderr.write(
      `gen: ${result.written} files written, ${result.skipped} already complete, ${secs} s; ` +
        `${result.plan.users} users (${result.plan.behaviour.profile}), ${formatBytes(parsed.gen.scaleBytes)} target; ` +
        (result.manifestComplete ? `manifest ${parsed.run.out}/_manifest.json\n` : 'manifest waits for the other shards\n'),
    );
    return 0;
  } catch (e) {
    if (e instanceof GenError) {
      process.stderr.write(`gen: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`gen: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
