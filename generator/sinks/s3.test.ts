// The S3 sink against a real MinIO on 127.0.0.1 (scripts/s3-server.sh): commit/abort semantics, resumption helpers,
// and bounded retries when the server goes away mid-upload.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { createBucket, openUploads, startS3Server, useServerEnv, type S3Server } from '../../test/s3/minio.ts';
import { createS3Sink, resolveS3SinkOptions, S3SinkError } from './s3.ts';

const MiB = 1024 * 1024;
const BUCKET = 'sink-test';

/** Deterministic bytes: chunk i of 1 MiB filled from a hash of i, so content checks catch reordered parts. */
function chunk(i: number, size = MiB): Uint8Array {
  const out = new Uint8Array(size);
  const seed = createHash('sha256').update(String(i)).digest();
  for (let j = 0; j < size; j++) out[j] = seed[j % 32]! ^ (j >>> 8);
  return out;
}

async function objectSha(server: S3Server, key: string): Promise<string> {
  const res = await server.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return createHash('sha256')
    .update(await res.Body!.transformToByteArray())
    .digest('hex');
}

let server: S3Server;
let restoreEnv: () => void;

beforeAll(async () => {
  server = startS3Server();
  restoreEnv = useServerEnv(server); // the sink finds endpoint, keys and region through the standard env chain
  await createBucket(server.client, BUCKET);
});

afterAll(() => {
  restoreEnv?.();
  server?.dispose();
});

describe('options', () => {
  it('rejects bad URLs and impossible sizes with a stable code', () => {
    expect(() => resolveS3SinkOptions({ url: 'file:///tmp/x' })).toThrow(/not an S3 URL/);
    expect(() => resolveS3SinkOptions({ url: 's3://b/p' })).toThrow(/not an S3 URL/); // bucket names have 3+ chars
    expect(() => resolveS3SinkOptions({ url: 's3://bkt/p', partSizeBytes: MiB })).toThrow(/5 MiB/);
    expect(() => resolveS3SinkOptions({ url: 's3://bkt/p', queueSize: 0 })).toThrow(expect.objectContaining({ name: 'S3SinkError', code: 'S3_BAD_OPTION' }));
    const r = resolveS3SinkOptions({ url: 's3://my-bucket/runs/a/', endpoint: 'http://127.0.0.1:9' }, {});
    expect(r).toMatchObject({ bucket: 'my-bucket', prefix: 'runs/a/', region: 'us-east-1', partSizeBytes: 8 * MiB });
  });

  it('names a missing bucket', async () => {
    await expect(createS3Sink({ url: 's3://no-such-bucket/x' })).rejects.toMatchObject({ code: 'S3_NO_BUCKET', exitCode: 2 });
  });
});

describe('files', () => {
  it('streams a multipart upload that appears under its key only at commit', async () => {
    const sink = await createS3Sink({ url: `s3://${BUCKET}/run1`, partSizeBytes: 5 * MiB, queueSize: 2 });
    const key = 'interactions/date=2026-01-01/part-00000.parquet';
    const file = await sink.create(key);
    const whole = createHash('sha256');
    for (let i = 0; i < 12; i++) {
      const c = chunk(i);
      whole.update(c);
      await file.write(c);
    }
    // Two full parts have been handed to the store by now; the object must still be invisible.
    await new Promise((r) => setTimeout(r, 300));
    expect(await sink.stat(key)).toBeUndefined();
    expect(await sink.list('')).toEqual([]);
    expect(await openUploads(server.client, BUCKET, `run1/${key}`)).toEqual([`run1/${key}`]);

    expect(await file.commit()).toEqual({ bytes: 12 * MiB });
    expect(await sink.stat(key)).toEqual({ bytes: 12 * MiB });
    expect(await objectSha(server, `run1/${key}`)).toBe(whole.digest('hex'));
    expect(await openUploads(server.client, BUCKET, `run1/${key}`)).toEqual([]);
    await expect(file.write(chunk(0))).rejects.toMatchObject({ code: 'S3_FILE_CLOSED' });
  });

  it('abort drops a multipart upload and leaves no parts behind', async () => {
    const sink = await createS3Sink({ url: `s3://${BUCKET}/run2`, partSizeBytes: 5 * MiB });
    const file = await sink.create('big.bin');
    for (let i = 0; i < 11; i++) await file.write(chunk(i));
    await new Promise((r) => setTimeout(r, 300));
    expect(await openUploads(server.client, BUCKET, 'run2/big.bin')).toHaveLength(1);
    await file.abort();
    expect(await sink.stat('big.bin')).toBeUndefined();
    expect(await openUploads(server.client, BUCKET, 'run2/big.bin')).toEqual([]);
    await file.abort(); // idempotent
  });

  it('small files: one PutObject at commit, nothing at abort', async () => {
    const sink = await createS3Sink({ url: `s3://${BUCKET}/run3` });
    const a = await sink.create('a/small.bin');
    await a.write(chunk(1, 1000));
    expect(await sink.stat('a/small.bin')).toBeUndefined();
    expect(await a.commit()).toEqual({ bytes: 1000 });
    const b = await sink.create('a/dropped.bin');
    await b.write(chunk(2, 1000));
    await b.abort();
    expect(await sink.list('a/')).toEqual(['a/small.bin']);
    expect(await sink.stat('a/small.bin')).toEqual({ bytes: 1000 });
  });

  it('readText, writeText, list and stat', async () => {
    const sink = await createS3Sink({ url: `s3://${BUCKET}/run4/` });
    expect(sink.url).toBe(`s3://${BUCKET}/run4`);
    expect(await sink.readText('manifest.json')).toBeUndefined();
    await sink.writeText('manifest.json', '{"files":[]}');
    await sink.writeText('manifest.json', '{"files":["x"]}');
    expect(await sink.readText('manifest.json')).toBe('{"files":["x"]}');
    await sink.writeText('metadata/country=US/part-0.parquet', 'x');
    expect(await sink.list('')).toEqual(['manifest.json', 'metadata/country=US/part-0.parquet']);
    expect(await sink.list('metadata/')).toEqual(['metadata/country=US/part-0.parquet']);
    expect(await sink.stat('nope')).toBeUndefined();
    await sink.removePrefix('metadata/');
    expect(await sink.list('')).toEqual(['manifest.json']);
    await sink.removePrefix('');
    expect(await sink.list('')).toEqual([]);
    await expect(sink.create('../escape')).rejects.toMatchObject({ code: 'S3_BAD_OPTION' });
  });

  it('abortIncompleteUploads removes what a killed run left', async () => {
    // What `kill -9` leaves: a multipart upload with a part and no completion.
    const Key = 'run5/interactions/part-00003.parquet';
    const { UploadId } = await server.client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }));
    await server.client.send(new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber: 1, Body: chunk(3, 5 * MiB) }));
    expect(await openUploads(server.client, BUCKET, Key)).toEqual([Key]);

    const sink = await createS3Sink({ url: `s3://${BUCKET}/run5` });
    const other = `run5x/part-00003.parquet`; // a neighbouring prefix that must be left alone
    const o = await server.client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: other }));
    const later = await sink.abortIncompleteUploads('', { initiatedBefore: new Date(Date.now() - 3_600_000) });
    expect(later.aborted).toEqual([]); // started within the last hour: left alone
    expect(await sink.abortIncompleteUploads('metadata/')).toEqual({ aborted: [] });
    expect(await sink.abortIncompleteUploads('', { ownsKey: (k) => k.endsWith('00004.parquet') })).toEqual({ aborted: [] });
    const res = await sink.abortIncompleteUploads('interactions/');
    expect(res.aborted).toEqual(['interactions/part-00003.parquet']);
    expect(await openUploads(server.client, BUCKET, Key)).toEqual([]);
    expect(await openUploads(server.client, BUCKET, other)).toEqual([other]);
    await server.client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: other, UploadId: o.UploadId }));
    expect(await sink.list('')).toEqual([]);
  });
});

describe('faults', () => {
  it('the server stopped mid-upload: a clear error after bounded retries, nothing visible, clean after restart', async () => {
    const sink = await createS3Sink({ url: `s3://${BUCKET}/run6`, partSizeBytes: 5 * MiB, queueSize: 1, maxAttempts: 3 });
    const file = await sink.create('f.bin');
    for (let i = 0; i < 6; i++) await file.write(chunk(i));
    server.stop();
    const t0 = Date.now();
    let err: unknown;
    try {
      for (let i = 6; i < 16; i++) await file.write(chunk(i));
      await file.commit();
    } catch (e) {
      err = e;
    }
    const seconds = (Date.now() - t0) / 1000;
    expect(err).toBeInstanceOf(S3SinkError);
    expect((err as S3SinkError).code).toBe('S3_UNREACHABLE');
    expect((err as S3SinkError).exitCode).toBe(1);
    expect((err as S3SinkError).message).toMatch(/uploading s3:\/\/sink-test\/run6\/f\.bin failed after 3 attempts/);
    expect((err as S3SinkError).message).toMatch(/ECONNREFUSED/);
    expect(seconds).toBeLessThan(30);
    await file.abort(); // safe after a failure

    server.restart();
    expect(await sink.stat('f.bin')).toBeUndefined();
    const res = await sink.abortIncompleteUploads();
    expect(res.aborted.length).toBeLessThanOrEqual(1);
    expect(await openUploads(server.client, BUCKET, 'run6/f.bin')).toEqual([]);
  });
});
