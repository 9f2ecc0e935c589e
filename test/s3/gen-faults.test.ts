// `gen --out s3://...` under faults, against a real MinIO on 127.0.0.1:
// - killed with -9 in the middle of a multipart upload, then rerun: complete, byte-identical, no stray uploads;
// - the S3 server stopped in the middle: a clear one-line error after bounded retries; rerun after restart resumes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { filesUnder, sha } from './files.ts';
import { createBucket, startS3Server, type S3Server } from './minio.ts';
import { download, killStarted, run } from './spark.ts';

const BUCKET = 'faults';
// Two interactions files of ~10 MiB: each goes up as a 2-part multipart upload (8 MiB parts), so there is an upload
// in flight to interrupt. Small enough to generate in a few seconds.
const GEN_ARGS = ['--scale', '20mb', '--file-size', '10mb', '--days', '1', '--end', '2026-01-10', '--progress', 'none', '--workers', '1'];

let server: S3Server;
let tmp: string;
const children: ChildProcess[] = [];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function openUploadKeys(prefix: string): Promise<string[]> {
  // Bucket-wide listing filtered here: MinIO lists uploads only for an exact key or an empty prefix.
  const res = await server.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
  return (res.Uploads ?? []).map((u) => u.Key!).filter((k) => k.startsWith(prefix));
}

async function committedKeys(prefix: string): Promise<string[]> {
  const res = await server.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key!);
}

function startGen(prefix: string): { child: ChildProcess; exit: Promise<{ code: number | null; signal: string | null; stderr: string }> } {
  const child = spawn('node', ['bin/gen.js', ...GEN_ARGS, '--out', `s3://${BUCKET}/${prefix}`], {
    env: { ...process.env, ...server.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exit };
}

/** Same bytes as the local run, key for key (the manifests name their output location, so only data files). */
async function expectSameAsLocal(prefix: string): Promise<void> {
  const dir = join(tmp, `from-s3-${prefix}`);
  const keys = await download(server.client, BUCKET, prefix, dir);
  const local = filesUnder(join(tmp, 'local'));
  expect(keys).toEqual(local);
  for (const f of local.filter((k) => k.endsWith('.parquet'))) {
    expect(sha(readFileSync(join(dir, f))), f).toBe(sha(readFileSync(join(tmp, 'local', f))));
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'insights-faults-'));
  server = startS3Server();
  await createBucket(server.client, BUCKET);
  const local = await run('node', ['bin/gen.js', ...GEN_ARGS, '--out', join(tmp, 'local')]);
  expect(local.code, local.stderr).toBe(0);
  const big = filesUnder(join(tmp, 'local')).filter((f) => statSync(join(tmp, 'local', f)).size > 8 * 1024 * 1024);
  expect(big.length, 'files large enough for multipart uploads').toBeGreaterThanOrEqual(2);
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  killStarted();
  server?.dispose();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('gen to S3 under faults', () => {
  it('a missing bucket or a bad URL: one line, exit 2', async () => {
    const missing = await run('node', ['bin/gen.js', ...GEN_ARGS, '--out', 's3://no-such-bucket/x'], server.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(/^gen: .*bucket no-such-bucket does not exist at http:\/\/127\.0\.0\.1:\d+: create it first$/);
    const bad = await run('node', ['bin/gen.js', ...GEN_ARGS, '--out', 's3://B!/x'], server.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^gen: .*not an S3 URL: s3:\/\/B!\/x/);
  });

  it('killed with -9 mid-upload, then rerun: complete, identical objects, no stray multipart uploads', async () => {
    const { child, exit } = startGen('killed');
    let exited = false;
    void exit.then(() => (exited = true));
    let interrupted: string | undefined;
    while (!exited && interrupted === undefined) {
      const open = await openUploadKeys('killed/');
      if (open.length > 0) {
        // Freeze gen first so the upload cannot finish between our look and the kill, then look again.
        child.kill('SIGSTOP');
        const still = await openUploadKeys('killed/');
        if (still.length > 0) {
          interrupted = still[0];
          child.kill('SIGKILL');
        } else child.kill('SIGCONT');
      }
      await sleep(20);
    }
    const killed = await exit;
    expect(interrupted, 'gen finished before an upload could be interrupted').toBeDefined();
    expect(killed.signal).toBe('SIGKILL');
    // What the kill left: an open multipart upload, and nothing under its final key.
    expect(await openUploadKeys('killed/')).toContain(interrupted);
    await expect(server.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: interrupted! }))).rejects.toMatchObject({
      name: 'NotFound',
    });
    const manifest = await server.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'killed/_manifest.json' }));
    expect(JSON.parse(await manifest.Body!.transformToString())).toMatchObject({ complete: false });

    const rerun = startGen('killed');
    const res = await rerun.exit;
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/gen: \d+ files written, \d+ already complete/);
    expect(await openUploadKeys('killed/')).toEqual([]);
    await expectSameAsLocal('killed');
  });

  it('S3 server stopped mid-run: a clear error after bounded retries; rerun after restart resumes', async () => {
    const { exit } = startGen('stopped');
    let exited = false;
    void exit.then(() => (exited = true));
    // Stop the server once the first data file is committed: the run is then really in the middle.
    while (!exited && !(await committedKeys('stopped/')).some((k) => k.endsWith('.parquet'))) await sleep(20);
    expect(exited, 'gen finished before the server could be stopped').toBe(false);
    const stoppedAt = Date.now();
    server.stop();
    const res = await exit;
    const seconds = (Date.now() - stoppedAt) / 1000;
    expect(res.code).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines, res.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^gen: .*s3:\/\/faults\/stopped.* failed after \d+ attempts \(endpoint http:\/\/127\.0\.0\.1:\d+\): .*ECONNREFUSED/);
    expect(seconds).toBeLessThan(60);
    console.log(`gen gave up ${seconds.toFixed(1)} s after the server stopped: ${lines[0]}`);

    server.restart();
    const rerun = await startGen('stopped').exit;
    expect(rerun.code, rerun.stderr).toBe(0);
    const m = /gen: (\d+) files written, (\d+) already complete/.exec(rerun.stderr);
    expect(m, rerun.stderr).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThanOrEqual(1); // resumed: the files committed before the stop were kept
    expect(await openUploadKeys('stopped/')).toEqual([]);
    await expectSameAsLocal('stopped');
  });
});
