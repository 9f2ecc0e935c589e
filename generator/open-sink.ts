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
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND')
      throw new UsageError('s3_unavailable', 'S3 output is not available yet');
    throw e;
  }
  return mod.createS3Sink({ url: out, ...(endpoint ? { endpoint } : {}) });
}
