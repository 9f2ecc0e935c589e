// Picks the sink from --out: an s3:// URL loads the S3 sink lazily (its SDK is heavy), anything else is a folder.

import { UsageError } from './errors.ts';
import type { Sink } from './sink.ts';
import { createLocalSink } from './sinks/local.ts';

export function isS3Url(out: string): boolean {
  return out.startsWith('s3://');
}

export async function openSink(out: string, endpoint?: string): Promise<Sink> {
  if (!isS3Url(out)) return createLocalSink({ dir: out });
  let mod: { createS3Sink(opts: { url: string; endpoint?: string; region?: string }): Promise<Sink> };
  try {
    mod = (await import('./sinks/s3.ts')) as typeof mod;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') throw new UsageError('s3_unavailable', 'S3 output is not available yet');
    throw e;
  }
  try {
    return await mod.createS3Sink({ url: out, ...(endpoint ? { endpoint } : {}) });
  } catch (e) {
    // Configuration problems (bad URL, missing bucket, no server) are the user's to fix: exit 2, one line.
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && S3_USAGE_CODES.has(code)) throw new UsageError(code.toLowerCase(), `--out ${out}: ${(e as Error).message}`);
    throw e;
  }
}

const S3_USAGE_CODES = new Set(['S3_BAD_URL', 'S3_BAD_OPTION', 'S3_NO_BUCKET', 'S3_UNREACHABLE']);

/** Aborts this shard's multipart uploads left by a killed run (S3 only; a folder's temp files are handled apart). */
export async function abortStaleUploads(sink: Sink, owns: (key: string) => boolean): Promise<void> {
  const s3 = sink as Partial<{ abortIncompleteUploads(prefix: string, o: { ownsKey: (k: string) => boolean }): Promise<unknown> }>;
  if (s3.abortIncompleteUploads) await s3.abortIncompleteUploads('', { ownsKey: owns });
}
