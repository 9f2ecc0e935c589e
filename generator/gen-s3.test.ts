// gen writing to a real S3-compatible server (MinIO on 127.0.0.1): the objects equal a local run's files byte
// for byte, the manifest lands, and a rerun skips every complete object.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBucket, startS3Server, useServerEnv, type S3Server } from '../test/s3/minio.ts';
import { gen, readTree } from './testing.ts';

const BUCKET = 'gen-test';
const ARGS = ['--scale', '1mb', '--days', '10', '--end', '2026-02-10', '--bad-rows', '0.01', '--workers', '2'];
const root = mkdtempSync(join(tmpdir(), 'gen-s3-'));
let server: S3Server;
let restoreEnv: () => void;

beforeAll(async () => {
  server = startS3Server();
  restoreEnv = useServerEnv(server);
  await createBucket(server.client, BUCKET);
});

afterAll(() => {
  restoreEnv?.();
  server?.dispose();
  rmSync(root, { recursive: true, force: true });
});

async function objects(prefix: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  let token: string | undefined;
  do {
    const page = await server.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const body = await server.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: o.Key! }));
      out.set(o.Key!.slice(prefix.length), Buffer.from(await body.Body!.transformToByteArray()));
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

describe('gen to S3', () => {
  it('writes the same bytes as to a folder, and resumes by skipping complete objects', async () => {
    const url = `s3://${BUCKET}/run1`;
    const r = await gen([...ARGS, '--out', url, '--endpoint', server.endpoint]);
    expect(r.code, r.stderr).toBe(0);
    const local = join(root, 'local');
    expect((await gen([...ARGS, '--out', local])).code).toBe(0);
    const s3 = await objects('run1/');
    const files = readTree(local);
    expect([...s3.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [k, v] of files) expect(s3.get(k)!.equals(v), k).toBe(true);
    const again = await gen([...ARGS, '--out', url, '--endpoint', server.endpoint]);
    expect(again.stderr).toMatch(/^gen: 0 files written, \d+ already complete/);
    const other = await gen([...ARGS, '--seed', '5', '--out', url, '--endpoint', server.endpoint]);
    expect(other.code).toBe(2);
  });
});
