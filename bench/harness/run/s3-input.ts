// `bench run --data s3a://bucket/prefix`: the dataset's manifest fetched with the same S3 client `gen` writes with,
// and the spark-submit additions that let the jobs read s3a:// (hadoop-aws jars, fs.s3a settings). Credentials never
// go on the command line: the JVM reads AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY(/AWS_SESSION_TOKEN) from the
// environment it inherits from us, or the instance's role when those are not set.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, isNetwork, isNotFound, resolveS3SinkOptions, s3ClientFor } from '../../../generator/sinks/s3.ts';
import { InputError, UsageError } from '../../lib/errors.ts';

export interface S3DataOptions {
  /** `s3a://bucket/prefix` or `s3://bucket/prefix` as the user typed it. */
  readonly url: string;
  /** S3-compatible endpoint; default AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL, then AWS S3 itself. */
  readonly endpoint?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface S3Data {
  readonly bucket: string;
  /** Key prefix without a trailing slash ('' for a whole bucket). */
  readonly prefix: string;
  /** What Spark reads: always s3a:// (hadoop-aws has no s3:// filesystem). */
  readonly sparkUrl: string;
  readonly endpoint: string | undefined;
  readonly region: string | undefined;
  /** The bytes of `_manifest.json`, hashed exactly like a local folder's. */
  readonly manifest: Uint8Array;
}

/** What an input adds to every spark-submit of a run (see buildLaunch: the grid's own --conf keys win). */
export interface InputLaunch {
  readonly submitArgs: readonly string[];
  readonly conf: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
}

export function isS3Url(data: string): boolean {
  return /^s3a?:\/\//.test(data);
}

/** Checks bucket, manifest and both table folders; throws one line naming what is missing. Writes nothing. */
export async function openS3Data(options: S3DataOptions): Promise<S3Data> {
  let r: ReturnType<typeof resolveS3SinkOptions>;
  try {
    r = resolveS3SinkOptions(
      { url: options.url.replace(/^s3a:/, 's3:'), ...(options.endpoint !== undefined && { endpoint: options.endpoint }), maxAttempts: 2 },
      options.env,
    );
  } catch (error) {
    throw new UsageError(`--data/--endpoint: ${(error as Error).message}`);
  }
  const prefix = r.prefix.replace(/\/$/, '');
  const sparkUrl = `s3a://${r.bucket}${prefix === '' ? '' : `/${prefix}`}`;
  const at = r.endpoint !== undefined ? ` at ${r.endpoint}` : '';
  const client = s3ClientFor(r);
  const fail = (what: string, error: unknown, hint = ''): InputError =>
    new InputError(
      isNotFound(error)
        ? `--data ${options.url}: ${what} not found${at}${hint}`
        : `--data ${options.url}: ${isNetwork(error) ? 'S3 unreachable' : 'S3 request failed'}${at} (${what}): ${describe(error).split('\n')[0]}`,
    );
  try {
    try {
      await client.send(new HeadBucketCommand({ Bucket: r.bucket }));
    } catch (error) {
      throw fail(`bucket ${r.bucket}`, error);
    }
    let manifest: Uint8Array;
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: r.bucket, Key: `${r.prefix}_manifest.json` }));
      manifest = await res.Body!.transformToByteArray();
    } catch (error) {
      throw fail(`${sparkUrl}/_manifest.json`, error, ` (write the dataset with: node bin/gen.js --out s3://${r.bucket}/${prefix})`);
    }
    for (const sub of ['interactions', 'metadata']) {
      const res = await client.send(new ListObjectsV2Command({ Bucket: r.bucket, Prefix: `${r.prefix}${sub}/`, MaxKeys: 1 })).catch((error: unknown) => {
        throw fail(`${sparkUrl}/${sub}/`, error);
      });
      if ((res.KeyCount ?? 0) === 0) throw new InputError(`--data ${options.url}: no ${sub}/ objects under ${sparkUrl}${at}`);
    }
    return { bucket: r.bucket, prefix, sparkUrl, endpoint: r.endpoint, region: r.region, manifest };
  } finally {
    client.destroy();
  }
}

export interface S3aLaunchOptions {
  readonly data: Pick<S3Data, 'sparkUrl' | 'endpoint' | 'region'>;
  /** --master as given; local (undefined or local[…]) puts the jars on the class path, anything else ships --jars. */
  readonly master: string | undefined;
  readonly repoRoot: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** The jars scripts/hadoop-aws.sh fetches (one list, the script's), checked to be present. */
export function hadoopAwsJars(repoRoot: string): string[] {
  const out = execFileSync('bash', [join(repoRoot, 'scripts/hadoop-aws.sh'), 'classpath'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const jars = out
    .trim()
    .split(':')
    .filter((j) => j !== '');
  const missing = jars.filter((j) => !existsSync(j));
  if (jars.length === 0 || missing.length > 0) throw new InputError(`hadoop-aws jars missing (${missing.join(', ')}): run bash scripts/hadoop-aws.sh`);
  return jars;
}

export function s3aLaunch(options: S3aLaunchOptions): InputLaunch {
  const env = options.env ?? process.env;
  const jars = hadoopAwsJars(options.repoRoot);
  const local = options.master === undefined || options.master.startsWith('local');
  // Local: class paths, not --jars, which copies the ~640 MB SDK bundle into the work folder at every start and
  // would be timed as part of each run (scripts/hadoop-aws.sh: 58 s vs 38 s for a 100-row job).
  const submitArgs = local ? ['--driver-class-path', jars.join(':')] : ['--jars', jars.join(',')];
  const conf: Record<string, string> = local ? { 'spark.executor.extraClassPath': jars.join(':') } : {};
  const { endpoint, region } = options.data;
  if (endpoint !== undefined) {
    conf['spark.hadoop.fs.s3a.endpoint'] = endpoint;
    conf['spark.hadoop.fs.s3a.path.style.access'] = 'true';
    conf['spark.hadoop.fs.s3a.connection.ssl.enabled'] = String(endpoint.startsWith('https://'));
  }
  if (region !== undefined) conf['spark.hadoop.fs.s3a.endpoint.region'] = region;
  const fromEnv = env.AWS_ACCESS_KEY_ID !== undefined && env.AWS_ACCESS_KEY_ID !== '';
  if (fromEnv) {
    // hadoop-aws 3.4 takes AWS SDK v2 provider classes; this one reads the keys (and a session token) from the JVM's
    // environment, so they never appear in a command line, a log or runs.jsonl.
    conf['spark.hadoop.fs.s3a.aws.credentials.provider'] = 'software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider';
  }
  const notes = [
    `input from S3: ${options.data.sparkUrl}${endpoint !== undefined ? ` via ${endpoint}` : ' (AWS S3)'}; hadoop-aws jars ${local ? 'on the class path' : 'via --jars'}; credentials ${fromEnv ? 'from the environment (AWS_ACCESS_KEY_ID)' : "from hadoop-aws's default provider chain"}`,
  ];
  // Standalone executors are started by the workers with the workers' environment, not spark-submit's.
  if (!local && fromEnv) notes.push("executors read the keys from their worker's environment: start the workers with AWS_* set (or use an instance role)");
  return { submitArgs, conf, notes };
}
