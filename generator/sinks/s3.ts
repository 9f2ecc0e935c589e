// The S3 sink: each file streams to its final key as a multipart upload and appears there only when the upload is
// completed (commit). Works with AWS S3 and S3-compatible stores (MinIO, ...) through `endpoint`.
//
// Why lib-storage's Upload and not hand-rolled UploadPart calls: it already bounds memory (queueSize parts of
// partSize bytes in flight), aborts the multipart upload when a part fails, and falls back to one PutObject for files
// smaller than a part. Retries with backoff (throttling, 5xx, connection refused/reset) come from the SDK's standard
// retry strategy, bounded by `maxAttempts` per request.
import { PassThrough } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { GenError } from '../errors.ts';
import type { Sink, SinkFile } from '../sink.ts';

export interface S3SinkOptions {
  /** `s3://bucket` or `s3://bucket/prefix`. */
  url: string;
  /** An S3-compatible endpoint such as `http://127.0.0.1:9000`. Default: `AWS_ENDPOINT_URL_S3`, then
   * `AWS_ENDPOINT_URL`, then AWS S3 itself. A custom endpoint switches to path-style addressing. */
  endpoint?: string;
  /** Default: the AWS provider chain (AWS_REGION, ~/.aws/config); `us-east-1` when a custom endpoint is set and
   * nothing else names a region (S3-compatible stores ignore it but the signer needs one). */
  region?: string;
  /** Bytes per multipart part; at least 5 MiB (S3's minimum). Default 8 MiB. */
  partSizeBytes?: number;
  /** Parts uploaded concurrently per file. Memory per open file is about (queueSize + 1) × partSizeBytes. Default 4. */
  queueSize?: number;
  /** Attempts per S3 request, first one included (standard retry mode, exponential backoff with jitter). Default 5. */
  maxAttempts?: number;
}

export interface AbortIncompleteUploadsOptions {
  /** Only abort uploads of keys (sink-relative) this returns true for: a shard passes its own files, so it never
   * aborts a live upload of another shard writing under the same prefix. Default: every key under the prefix. */
  ownsKey?: (key: string) => boolean;
  /** Only abort uploads started before this instant (leave other live writers alone). Default: all. */
  initiatedBefore?: Date;
}

export interface S3Sink extends Sink {
  readonly bucket: string;
  /** Key prefix inside the bucket, '' or ending in '/'. */
  readonly prefix: string;
  /** Aborts multipart uploads left under `prefix` (sink-relative) by a killed run, so no parts linger and nothing
   * partial can ever be completed. Call it before (re)starting a run, when no other writer uses these keys. */
  abortIncompleteUploads(prefix?: string, opts?: AbortIncompleteUploadsOptions): Promise<{ aborted: string[] }>;
  /** Deletes every object under `prefix` (sink-relative; '' = the whole sink prefix) and aborts its open uploads:
   * what `gen --overwrite` needs. */
  removePrefix(prefix: string): Promise<void>;
}

export type S3SinkErrorCode = 'S3_BAD_URL' | 'S3_BAD_OPTION' | 'S3_NO_BUCKET' | 'S3_UNREACHABLE' | 'S3_UPLOAD_FAILED' | 'S3_REQUEST_FAILED' | 'S3_FILE_CLOSED';

const USAGE_CODES: readonly S3SinkErrorCode[] = ['S3_BAD_URL', 'S3_BAD_OPTION', 'S3_NO_BUCKET'];

/** A GenError, so gen's one handler prints it as one line: exit 2 for what the user must fix in the command
 * (URL, options, missing bucket), 1 for failures while writing (resumable). */
export class S3SinkError extends GenError {
  declare readonly code: S3SinkErrorCode;
  constructor(code: S3SinkErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, USAGE_CODES.includes(code) ? 2 : 1);
    this.name = 'S3SinkError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

const MIN_PART_SIZE = 5 * 1024 * 1024;

type Resolved = Required<Pick<S3SinkOptions, 'partSizeBytes' | 'queueSize' | 'maxAttempts'>> & {
  bucket: string;
  prefix: string;
  endpoint: string | undefined;
  region: string | undefined;
};

/** Validates and applies defaults in one place. */
export function resolveS3SinkOptions(opts: S3SinkOptions, env: NodeJS.ProcessEnv = process.env): Resolved {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(opts.url);
  if (!m) {
    throw new S3SinkError('S3_BAD_URL', `not an S3 URL: ${opts.url} (expected s3://bucket or s3://bucket/prefix)`);
  }
  const bucket = m[1]!;
  const rawPrefix = (m[2] ?? '').replace(/\/+$/, '');
  const prefix = rawPrefix === '' ? '' : `${rawPrefix}/`;
  const endpoint = opts.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/]+\/?$/.test(endpoint)) {
    throw new S3SinkError('S3_BAD_OPTION', `endpoint must look like http(s)://host:port, got: ${endpoint}`);
  }
  const region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (endpoint ? 'us-east-1' : undefined);
  const partSizeBytes = opts.partSizeBytes ?? 8 * 1024 * 1024;
  const queueSize = opts.queueSize ?? 4;
  const maxAttempts = opts.maxAttempts ?? 5;
  if (!Number.isInteger(partSizeBytes) || partSizeBytes < MIN_PART_SIZE) {
    throw new S3SinkError('S3_BAD_OPTION', `partSizeBytes must be an integer >= ${MIN_PART_SIZE} (5 MiB, S3's minimum), got ${partSizeBytes}`);
  }
  if (!Number.isInteger(queueSize) || queueSize < 1 || queueSize > 64) {
    throw new S3SinkError('S3_BAD_OPTION', `queueSize must be an integer in 1..64, got ${queueSize}`);
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
    throw new S3SinkError('S3_BAD_OPTION', `maxAttempts must be an integer in 1..20, got ${maxAttempts}`);
  }
  return { bucket, prefix, endpoint, region, partSizeBytes, queueSize, maxAttempts };
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}
function attemptsOf(err: unknown): number | undefined {
  return (err as { $metadata?: { attempts?: number } })?.$metadata?.attempts;
}
export function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: string }).code;
  const status = statusOf(err);
  const parts = [err.name !== 'Error' ? err.name : '', code ?? '', status ? `HTTP ${status}` : '', err.message];
  return parts.filter(Boolean).join(': ');
}
export function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return statusOf(err) === 404 || name === 'NotFound' || name === 'NoSuchKey';
}
export function isNetwork(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code) ||
    (err as { name?: string })?.name === 'TimeoutError'
  );
}

/** The S3 client for resolved options: path-style for a custom endpoint, credentials from the standard provider chain,
 * standard retries. Shared with `bench run --data s3a://…` (bench/run/s3-input.ts). */
export function s3ClientFor(r: Pick<Resolved, 'endpoint' | 'region' | 'maxAttempts'>): S3Client {
  // The SDK warns on every run under Node 20 that *future* SDK versions will need Node 22; ours is pinned in the
  // lockfile, so the warning only clutters stderr. A user who sets the variable keeps their choice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    ...(r.endpoint ? { endpoint: r.endpoint, forcePathStyle: true } : {}),
    ...(r.region ? { region: r.region } : {}),
    maxAttempts: r.maxAttempts,
    retryMode: 'standard',
    // A stopped server refuses connections at once; a hung one must not hang us forever: the socket-idle timeout
    // turns it into a retryable TimeoutError.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
}

export async function createS3Sink(opts: S3SinkOptions): Promise<S3Sink> {
  const r = resolveS3SinkOptions(opts);
  const client = s3ClientFor(r);
  const where = `s3://${r.bucket}/${r.prefix}`;
  const fullKey = (key: string): string => {
    if (key === '' || key.startsWith('/') || key.split('/').some((s) => s === '..')) {
      throw new S3SinkError('S3_BAD_OPTION', `bad key ${JSON.stringify(key)}: expected a relative path such as a/b.parquet`);
    }
    return r.prefix + key;
  };
  const failed = (what: string, err: unknown, code: S3SinkErrorCode = 'S3_REQUEST_FAILED'): S3SinkError => {
    const attempts = attemptsOf(err);
    const tries = attempts ? ` after ${attempts} attempt${attempts > 1 ? 's' : ''}` : '';
    const endpoint = r.endpoint ? ` (endpoint ${r.endpoint})` : '';
    return new S3SinkError(isNetwork(err) ? 'S3_UNREACHABLE' : code, `${what} failed${tries}${endpoint}: ${describe(err)}`, { cause: err });
  };

  // Fail fast with a clear message when the bucket is missing or the store cannot be reached.
  try {
    await client.send(new HeadBucketCommand({ Bucket: r.bucket }));
  } catch (err) {
    if (isNotFound(err)) {
      client.destroy();
      throw new S3SinkError('S3_NO_BUCKET', `bucket ${r.bucket} does not exist${r.endpoint ? ` at ${r.endpoint}` : ''}: create it first`);
    }
    client.destroy();
    throw failed(`opening ${where}`, err);
  }

  async function create(key: string): Promise<SinkFile> {
    const Key = fullKey(key);
    const target = `s3://${r.bucket}/${Key}`;
    // The stream buffers at most one part; Upload's chunker holds queueSize parts in flight: memory stays bounded.
    const body = new PassThrough({ highWaterMark: r.partSizeBytes });
    body.on('error', () => {}); // failures reach the caller through `finished`, never as an unhandled 'error' event
    const upload = new Upload({
      client,
      params: { Bucket: r.bucket, Key, Body: body },
      partSize: r.partSizeBytes,
      queueSize: r.queueSize,
      leavePartsOnError: false,
    });
    let error: unknown;
    let state: 'open' | 'committing' | 'done' | 'aborted' = 'open';
    let bytes = 0;
    // Started at once so parts go out while the caller is still writing. When the stream is destroyed (abort) or a
    // part fails after its retries, Upload waits for in-flight parts, sends AbortMultipartUpload, then rejects: so
    // awaiting `finished` means the store holds no multipart upload for this file any more (when it is reachable).
    const finished = upload.done().then(
      () => undefined,
      (err: unknown) => {
        error ??= err;
        body.destroy();
        throw err;
      },
    );
    finished.catch(() => {}); // observed by write/commit/abort; never an unhandled rejection

    const uploadError = (): S3SinkError => failed(`uploading ${target}`, error, 'S3_UPLOAD_FAILED');

    return {
      async write(chunk: Uint8Array): Promise<void> {
        if (state !== 'open') throw new S3SinkError('S3_FILE_CLOSED', `${target}: write after ${state}`);
        if (error !== undefined || body.destroyed) throw uploadError();
        bytes += chunk.byteLength;
        if (body.write(chunk)) return;
        // Back-pressure: wait until Upload has taken the buffered bytes, or until it failed.
        await new Promise<void>((resolve, reject) => {
          const onDrain = (): void => {
            cleanup();
            resolve();
          };
          const onFail = (): void => {
            cleanup();
            reject(uploadError());
          };
          const cleanup = (): void => {
            body.off('drain', onDrain);
            body.off('close', onFail);
          };
          body.once('drain', onDrain);
          body.once('close', onFail);
          finished.catch(onFail);
        });
      },
      async commit(): Promise<{ bytes: number }> {
        if (state !== 'open') throw new S3SinkError('S3_FILE_CLOSED', `${target}: commit after ${state}`);
        state = 'committing';
        body.end();
        try {
          await finished;
        } catch {
          state = 'aborted';
          throw uploadError();
        }
        state = 'done';
        return { bytes };
      },
      async abort(): Promise<void> {
        if (state === 'done' || state === 'aborted') return;
        state = 'aborted';
        error ??= new S3SinkError('S3_FILE_CLOSED', `${target}: aborted`);
        body.destroy(new Error('aborted by the writer'));
        // Best effort: if the store is unreachable the upload stays; abortIncompleteUploads cleans it up on rerun.
        await finished.catch(() => {});
      },
    };
  }

  async function stat(key: string): Promise<{ bytes: number } | undefined> {
    const Key = fullKey(key);
    try {
      const res = await client.send(new HeadObjectCommand({ Bucket: r.bucket, Key }));
      return { bytes: res.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw failed(`stat s3://${r.bucket}/${Key}`, err);
    }
  }

  async function readText(key: string): Promise<string | undefined> {
    const Key = fullKey(key);
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: r.bucket, Key }));
      return await res.Body!.transformToString('utf-8');
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw failed(`reading s3://${r.bucket}/${Key}`, err);
    }
  }

  async function writeText(key: string, text: string): Promise<void> {
    const Key = fullKey(key);
    try {
      // One PutObject: S3 makes a whole object visible at once, never a partial one.
      await client.send(new PutObjectCommand({ Bucket: r.bucket, Key, Body: text, ContentType: 'application/json' }));
    } catch (err) {
      throw failed(`writing s3://${r.bucket}/${Key}`, err);
    }
  }

  async function list(prefix: string): Promise<string[]> {
    const Prefix = r.prefix + prefix;
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    try {
      do {
        const res = await client.send(new ListObjectsV2Command({ Bucket: r.bucket, Prefix, ContinuationToken }));
        for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key.slice(r.prefix.length));
        ContinuationToken = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (ContinuationToken);
    } catch (err) {
      throw failed(`listing s3://${r.bucket}/${Prefix}`, err);
    }
    return keys.sort();
  }

  async function listUploads(Prefix: string): Promise<{ Key: string; UploadId: string; Initiated?: Date }[]> {
    const out: { Key: string; UploadId: string; Initiated?: Date }[] = [];
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    do {
      const res = await client.send(new ListMultipartUploadsCommand({ Bucket: r.bucket, Prefix, KeyMarker, UploadIdMarker }));
      for (const u of res.Uploads ?? []) {
        if (u.Key && u.UploadId) out.push({ Key: u.Key, UploadId: u.UploadId, Initiated: u.Initiated });
      }
      KeyMarker = res.IsTruncated ? res.NextKeyMarker : undefined;
      UploadIdMarker = res.IsTruncated ? res.NextUploadIdMarker : undefined;
    } while (KeyMarker);
    return out;
  }

  async function abortIncompleteUploads(prefix = '', o: AbortIncompleteUploadsOptions = {}): Promise<{ aborted: string[] }> {
    const want = r.prefix + prefix;
    const found = new Map<string, { Key: string; UploadId: string; Initiated?: Date }>();
    try {
      // Listed bucket-wide and filtered here: MinIO answers ListMultipartUploads only for an exact key or an empty
      // prefix (a folder-like prefix returns nothing, measured with the pinned MinIO), AWS S3 for any prefix.
      for (const u of await listUploads('')) {
        if (!u.Key.startsWith(want)) continue;
        if (o.ownsKey && !o.ownsKey(u.Key.slice(r.prefix.length))) continue;
        if (o.initiatedBefore && u.Initiated && u.Initiated >= o.initiatedBefore) continue;
        found.set(u.UploadId, u);
      }
      for (const u of found.values()) {
        try {
          await client.send(new AbortMultipartUploadCommand({ Bucket: r.bucket, Key: u.Key, UploadId: u.UploadId }));
        } catch (err) {
          if (!isNotFound(err)) throw err; // NoSuchUpload: completed or aborted meanwhile
        }
      }
    } catch (err) {
      throw failed(`aborting incomplete uploads under s3://${r.bucket}/${want}`, err);
    }
    return { aborted: [...found.values()].map((u) => u.Key.slice(r.prefix.length)).sort() };
  }

  async function removePrefix(prefix: string): Promise<void> {
    await abortIncompleteUploads(prefix);
    const keys = await list(prefix);
    try {
      for (let i = 0; i < keys.length; i += 1000) {
        const Objects = keys.slice(i, i + 1000).map((k) => ({ Key: r.prefix + k }));
        const res = await client.send(new DeleteObjectsCommand({ Bucket: r.bucket, Delete: { Objects, Quiet: true } }));
        if (res.Errors?.length) {
          const e = res.Errors[0]!;
          throw new Error(`${res.Errors.length} objects not deleted, first: ${e.Key}: ${e.Code} ${e.Message}`);
        }
      }
    } catch (err) {
      throw failed(`removing s3://${r.bucket}/${r.prefix}${prefix}`, err);
    }
  }

  return {
    url: `s3://${r.bucket}${r.prefix ? `/${r.prefix.slice(0, -1)}` : ''}`,
    bucket: r.bucket,
    prefix: r.prefix,
    create,
    stat,
    readText,
    writeText,
    list,
    abortIncompleteUploads,
    removePrefix,
  };
}
